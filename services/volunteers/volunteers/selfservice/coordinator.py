"""What the coordinator does with the self-service: see the replies on a shift, revoke links,
set the language a volunteer's mail is written in."""

from uuid import UUID

from buurtwerk_shared.db.pool import Connection
from buurtwerk_shared.web.auth import Principal, ensure_centre
from buurtwerk_shared.web.writes import WriteContext, audit
from volunteers.domain.access import ensure_not_erased, volunteer_for_update
from volunteers.domain.clock import now
from volunteers.domain.shifts import shift_view
from volunteers.selfservice import links
from volunteers.selfservice.mailing import set_language
from volunteers.selfservice.schemas import (
    InvitationReply,
    LinkRevocation,
    MailLanguage,
    MailLanguageView,
    ReminderReply,
    RevokedLinks,
    ShiftReplies,
)


async def shift_replies(conn: Connection, principal: Principal, shift_id: UUID) -> ShiftReplies:
    """The reminders and invitations of a shift with their answers (names: the read is
    audited)."""
    shift = await shift_view(conn, shift_id)
    ensure_centre(principal, shift.centre_id)
    reminders = await conn.fetch(
        """
        SELECT r.volunteer_id, v.given_name, v.family_name, r.reminded_at, r.mailed, r.answer,
               r.answered_at
        FROM shift_reminders r JOIN volunteers v USING (volunteer_id)
        WHERE r.shift_id = $1 ORDER BY r.reminded_at, r.volunteer_id
        """,
        shift_id,
    )
    invitations = await conn.fetch(
        """
        SELECT g.volunteer_id, v.given_name, v.family_name, g.invited_at, g.answer, g.answered_at
        FROM gap_invitations g JOIN volunteers v USING (volunteer_id)
        WHERE g.shift_id = $1 ORDER BY g.invited_at, g.volunteer_id
        """,
        shift_id,
    )
    await audit(conn, principal, "shift.replies.read", "shift", shift_id)
    return ShiftReplies(
        shift_id=shift_id,
        reminders=[ReminderReply.model_validate(dict(r)) for r in reminders],
        invitations=[InvitationReply.model_validate(dict(r)) for r in invitations],
    )


async def revoke_links(ctx: WriteContext, shift_id: UUID, request: LinkRevocation) -> RevokedLinks:
    """Revoke the shift's open links (one volunteer's, or everyone's): a leaked or mistaken link
    stops working at once."""
    shift = await shift_view(ctx.conn, shift_id)
    ensure_centre(ctx.principal, shift.centre_id)
    revoked = await links.revoke(ctx.conn, shift_id, request.volunteer_id, ctx.principal.sub, now())
    await ctx.audit(
        "link.revoke",
        "shift",
        shift_id,
        {"volunteer_id": request.volunteer_id, "revoked": revoked},
    )
    return RevokedLinks(shift_id=shift_id, volunteer_id=request.volunteer_id, revoked=revoked)


async def change_mail_language(
    ctx: WriteContext, volunteer_id: UUID, request: MailLanguage
) -> MailLanguageView:
    """Write the volunteer's mail (and show their link pages) in Dutch or English."""
    volunteer = await volunteer_for_update(ctx.conn, ctx.principal, volunteer_id)
    ensure_not_erased(volunteer)
    await set_language(ctx.conn, volunteer_id, request.language)
    await ctx.audit(
        "volunteer.mail_language", "volunteer", volunteer_id, {"language": request.language}
    )
    return MailLanguageView(volunteer_id=volunteer_id, language=request.language)
