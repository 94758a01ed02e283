"""HTTP routes for participants. Their contact data never leaves this service; reads are audited."""

from typing import Annotated
from uuid import UUID

from fastapi import APIRouter, Query
from fastapi.responses import JSONResponse

from buurtwerk_shared.contracts.types import CentreId, TargetGroup
from buurtwerk_shared.web.pagination import Page, PageQuery
from buurtwerk_shared.web.writes import WritesDep
from courses.api.dependencies import Db, Manager, Neighbourhoods
from courses.api.schemas.participants import (
    GuardianConsent,
    ParticipantSummary,
    ParticipantView,
    RegisterParticipant,
    SearchParticipants,
    UpdateParticipant,
)
from courses.domain import participants

router = APIRouter(prefix="/participants", tags=["participants"])


@router.post("", status_code=201, response_model=ParticipantView, summary="Register a participant")
async def register_participant(
    body: RegisterParticipant,
    principal: Manager,
    writes: WritesDep,
    neighbourhoods: Neighbourhoods,
) -> JSONResponse:
    """Register a participant; a minor needs a parent's or guardian's consent."""
    return await writes.run(
        principal, lambda ctx: participants.register_participant(ctx, body, neighbourhoods)
    )


@router.get("", response_model=Page[ParticipantSummary], summary="List participants")
async def list_participants(
    principal: Manager,
    db: Db,
    page: PageQuery,
    centre_id: Annotated[CentreId | None, Query()] = None,
    target_group: Annotated[TargetGroup | None, Query()] = None,
    neighbourhood: Annotated[str | None, Query(max_length=80)] = None,
) -> Page[ParticipantSummary]:
    """Participants of the caller's centres, by family name (an audited read)."""
    return await participants.list_participants(
        db,
        principal,
        page,
        centre_id=centre_id,
        target_group=target_group,
        neighbourhood=neighbourhood,
    )


@router.post(
    "/search", response_model=Page[ParticipantSummary], summary="Find participants by name"
)
async def search_participants(
    body: SearchParticipants, principal: Manager, db: Db, page: PageQuery
) -> Page[ParticipantSummary]:
    """Participants whose name contains the text (an audited read; the name stays out of URLs
    and logs)."""
    return await participants.list_participants(db, principal, page, name=body.name)


@router.get("/{participant_id}", response_model=ParticipantView, summary="One participant")
async def get_participant(participant_id: UUID, principal: Manager, db: Db) -> ParticipantView:
    """A participant with their contact data (an audited read)."""
    return await participants.read_participant(db, principal, participant_id)


@router.patch("/{participant_id}", response_model=ParticipantView, summary="Change a participant")
async def update_participant(
    participant_id: UUID,
    body: UpdateParticipant,
    principal: Manager,
    writes: WritesDep,
    neighbourhoods: Neighbourhoods,
) -> JSONResponse:
    """Change a participant's data."""
    return await writes.run(
        principal,
        lambda ctx: participants.update_participant(ctx, participant_id, body, neighbourhoods),
        status_code=200,
    )


@router.post(
    "/{participant_id}/guardian-consents",
    status_code=201,
    response_model=ParticipantView,
    summary="Record a guardian's consent",
)
async def record_consent(
    participant_id: UUID, body: GuardianConsent, principal: Manager, writes: WritesDep
) -> JSONResponse:
    """Record a parent's or guardian's consent for a minor."""
    return await writes.run(
        principal, lambda ctx: participants.record_consent(ctx, participant_id, body)
    )
