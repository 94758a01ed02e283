"""HTTP routes for enrolments: the waiting list, cancellation and completion."""

from typing import Annotated, Literal
from uuid import UUID

from fastapi import APIRouter, Query
from fastapi.responses import JSONResponse

from buurtwerk_shared.contracts.types import CentreId
from buurtwerk_shared.web.pagination import Page, PageQuery
from buurtwerk_shared.web.writes import WritesDep
from courses.api.dependencies import Db, Manager, Pseudonyms
from courses.api.schemas.enrolments import EnrolmentCancelled, EnrolmentView
from courses.domain import enrolments

router = APIRouter(prefix="/enrolments", tags=["enrolments"])


@router.get("", response_model=Page[EnrolmentView], summary="List enrolments")
async def list_enrolments(
    principal: Manager,
    db: Db,
    page: PageQuery,
    centre_id: Annotated[CentreId | None, Query()] = None,
    activity_id: Annotated[UUID | None, Query()] = None,
    participant_id: Annotated[UUID | None, Query()] = None,
    status: Annotated[
        Literal["enrolled", "waitlisted", "cancelled", "completed"] | None, Query()
    ] = None,
) -> Page[EnrolmentView]:
    """Enrolments in arrival order; `?activity_id=…&status=waitlisted` is the waiting list."""
    return await enrolments.list_enrolments(
        db,
        principal,
        page,
        centre_id=centre_id,
        activity_id=activity_id,
        participant_id=participant_id,
        status=status,
    )


@router.get("/{enrolment_id}", response_model=EnrolmentView, summary="One enrolment")
async def get_enrolment(enrolment_id: UUID, principal: Manager, db: Db) -> EnrolmentView:
    """One enrolment, with its place on the waiting list while waiting."""
    return await enrolments.get_enrolment(db, principal, enrolment_id)


@router.post(
    "/{enrolment_id}/cancel", response_model=EnrolmentCancelled, summary="Cancel an enrolment"
)
async def cancel_enrolment(
    enrolment_id: UUID, principal: Manager, writes: WritesDep, pseudonyms: Pseudonyms
) -> JSONResponse:
    """Cancel an enrolment or a place on the waiting list. A freed seat goes to the first one
    waiting: emits `cancelled`, and `promoted` for them."""
    return await writes.run(
        principal,
        lambda ctx: enrolments.cancel_enrolment(ctx, enrolment_id, pseudonyms),
        status_code=200,
    )


@router.post(
    "/{enrolment_id}/complete", response_model=EnrolmentView, summary="Complete an enrolment"
)
async def complete_enrolment(
    enrolment_id: UUID, principal: Manager, writes: WritesDep, pseudonyms: Pseudonyms
) -> JSONResponse:
    """The enrolled participant completed the activity; emits `completed`."""
    return await writes.run(
        principal,
        lambda ctx: enrolments.complete_enrolment(ctx, enrolment_id, pseudonyms),
        status_code=200,
    )
