"""Withdrawing a guardian's consent. A minor's data is kept only while a parent's or guardian's
consent stands: withdrawing the last one erases the participant's personal data at once."""

from uuid import UUID

from buurtwerk_shared.pseudonyms import Pseudonymizer
from buurtwerk_shared.web.problems import conflict, not_found, unprocessable
from buurtwerk_shared.web.writes import WriteContext
from courses.api.schemas.participants import ConsentView, ConsentWithdrawn, WithdrawConsent
from courses.domain import clock
from courses.domain.ages import is_minor
from courses.domain.erasure import erase_participant
from courses.domain.participants import ensure_not_erased, load_visible

_WITHDRAW = """
UPDATE guardian_consents SET withdrawn_on = $2, withdrawn_at = $3, withdrawn_by = $4
WHERE consent_id = $1
RETURNING consent_id, guardian_name, relationship, guardian_phone, given_on, recorded_at,
          withdrawn_on
"""


async def withdraw_guardian_consent(
    ctx: WriteContext,
    participant_id: UUID,
    consent_id: UUID,
    request: WithdrawConsent,
    pseudonyms: Pseudonymizer,
) -> ConsentWithdrawn:
    """Record that a guardian withdrew their consent; erase a minor left without one."""
    participant = await load_visible(ctx.conn, ctx.principal, participant_id, lock=True)
    ensure_not_erased(participant)
    consent = await ctx.conn.fetchrow(
        "SELECT given_on, withdrawn_on FROM guardian_consents "
        "WHERE consent_id = $1 AND participant_id = $2",
        consent_id,
        participant_id,
    )
    if consent is None:
        raise not_found(f"consent {consent_id} of this participant", field="path.consent_id")
    if consent["withdrawn_on"] is not None:
        raise conflict(
            f"this consent was already withdrawn on {consent['withdrawn_on']}",
            field="path.consent_id",
            code="consent-withdrawn",
        )
    withdrawn_on = request.withdrawn_on or clock.today()
    if withdrawn_on < consent["given_on"]:
        raise unprocessable(
            f"is before the consent was given ({consent['given_on']})", field="body.withdrawn_on"
        )
    row = await ctx.conn.fetchrow(
        _WITHDRAW, consent_id, withdrawn_on, clock.now(), ctx.principal.sub
    )
    assert row is not None
    await ctx.audit(
        "participant.guardian_consent_withdrawn",
        "participant",
        participant_id,
        {"consent_id": consent_id, "withdrawn_on": withdrawn_on},
    )
    still_consented = await ctx.conn.fetchval(
        "SELECT true FROM guardian_consents WHERE participant_id = $1 AND withdrawn_on IS NULL "
        "LIMIT 1",
        participant_id,
    )
    minor = is_minor(participant["birth_date"], participant["age_band"], clock.today())
    erase = minor and not still_consented
    if erase:
        await erase_participant(
            ctx, participant, pseudonyms, clock.now(), "guardian_consent_withdrawn"
        )
    return ConsentWithdrawn(consent=ConsentView.model_validate(dict(row)), participant_erased=erase)
