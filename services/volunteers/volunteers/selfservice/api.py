"""The coordinator's routes of the self-service (bearer token, volunteer coordinator)."""

from uuid import UUID

from fastapi import APIRouter
from fastapi.responses import JSONResponse

from buurtwerk_shared.web.writes import WritesDep
from volunteers.api.deps import Coordinator, Db
from volunteers.selfservice.coordinator import change_mail_language, revoke_links, shift_replies
from volunteers.selfservice.schemas import (
    LinkRevocation,
    MailLanguage,
    MailLanguageView,
    RevokedLinks,
    ShiftReplies,
)

router = APIRouter(tags=["self-service links"])


@router.get(
    "/shifts/{shift_id}/replies",
    response_model=ShiftReplies,
    summary="Reminders, invitations and answers of a shift",
)
async def replies(shift_id: UUID, principal: Coordinator, db: Db) -> ShiftReplies:
    """Who was reminded (and whether by mail), who confirmed or declined and when, who was
    invited to fill a freed place and who took it."""
    return await shift_replies(db, principal, shift_id)


@router.post(
    "/shifts/{shift_id}/link-revocations",
    status_code=201,
    response_model=RevokedLinks,
    summary="Revoke the mailed links of a shift",
)
async def revoke(
    shift_id: UUID, body: LinkRevocation, principal: Coordinator, writes: WritesDep
) -> JSONResponse:
    """Every open link of the shift, or of one volunteer on it, stops working at once."""
    return await writes.run(principal, lambda ctx: revoke_links(ctx, shift_id, body))


@router.put(
    "/volunteers/{volunteer_id}/mail-language",
    response_model=MailLanguageView,
    summary="The language of a volunteer's mail",
)
async def mail_language(
    volunteer_id: UUID, body: MailLanguage, principal: Coordinator, writes: WritesDep
) -> JSONResponse:
    """Dutch (the default) or English, for the volunteer's mails and link pages."""
    return await writes.run(
        principal, lambda ctx: change_mail_language(ctx, volunteer_id, body), status_code=200
    )
