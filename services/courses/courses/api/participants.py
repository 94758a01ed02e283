"""HTTP routes for participants. Their contact data never leaves this service; reads are audited.
A participant's coordinator exports everything kept about them, or erases it, on request."""

from typing import Annotated
from uuid import UUID

from fastapi import APIRouter, Query
from fastapi.responses import JSONResponse

from buurtwerk_shared.contracts.types import CentreId, TargetGroup
from buurtwerk_shared.web.pagination import Page, PageQuery
from buurtwerk_shared.web.writes import WritesDep
from courses.api.dependencies import Db, Manager, Neighbourhoods, Pseudonyms
from courses.api.schemas.export import ParticipantExport
from courses.api.schemas.participants import (
    ConsentWithdrawn,
    GuardianConsent,
    ParticipantErasure,
    ParticipantSummary,
    ParticipantView,
    RegisterParticipant,
    SearchParticipants,
    UpdateParticipant,
    WithdrawConsent,
)
from courses.domain import participants
from courses.domain.consents import withdraw_guardian_consent
from courses.domain.erasure import erase_on_request
from courses.domain.export import export_participant

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


@router.post(
    "/{participant_id}/guardian-consents/{consent_id}/withdrawal",
    response_model=ConsentWithdrawn,
    summary="Record that a guardian withdrew their consent",
)
async def withdraw_consent(
    participant_id: UUID,
    consent_id: UUID,
    body: WithdrawConsent,
    principal: Manager,
    writes: WritesDep,
    pseudonyms: Pseudonyms,
) -> JSONResponse:
    """Record that a parent or guardian withdrew their consent. A minor's data is kept only with
    a consent that stands: withdrawing the last one erases the participant's personal data, as
    `POST /participants/{id}/erasure` does (`participant_erased` says so)."""
    return await writes.run(
        principal,
        lambda ctx: withdraw_guardian_consent(ctx, participant_id, consent_id, body, pseudonyms),
        status_code=200,
    )


@router.get(
    "/{participant_id}/export",
    response_model=ParticipantExport,
    summary="Everything kept about a participant (subject access)",
)
async def export(
    participant_id: UUID, principal: Manager, db: Db, pseudonyms: Pseudonyms
) -> ParticipantExport:
    """For a participant's subject access request: their personal data, their guardians'
    consents (withdrawn ones too), enrolments, attendance, youth referrals and the audit trail of
    their records, as JSON. The read is audited (`participant.export`)."""
    return await export_participant(db, principal, participant_id, pseudonyms)


@router.post(
    "/{participant_id}/erasure",
    response_model=ParticipantErasure,
    summary="Erase a participant's personal data",
)
async def erasure(
    participant_id: UUID, principal: Manager, writes: WritesDep, pseudonyms: Pseudonyms
) -> JSONResponse:
    """Erase the participant's personal data on their (or their guardian's) request: name,
    contact, birth date, neighbourhood and guardians' consents go, and the pseudonym in published
    events can no longer be traced back to them. Their seats and waiting-list places are given up
    (announced as cancellations); enrolments, attendance and referrals stay under the id for the
    figures. The same erasure runs when the retention period passes."""
    return await writes.run(
        principal, lambda ctx: erase_on_request(ctx, participant_id, pseudonyms), status_code=200
    )
