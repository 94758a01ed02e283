"""HTTP routes for partners and activities, and for scheduling and enrolling into them."""

from typing import Annotated
from uuid import UUID

from fastapi import APIRouter, Query
from fastapi.responses import JSONResponse

from buurtwerk_shared.contracts.events.courses import ActivityKind
from buurtwerk_shared.contracts.types import CentreId, PartnerId, TargetGroup
from buurtwerk_shared.web.pagination import Page, PageQuery
from buurtwerk_shared.web.writes import WritesDep
from courses.api.dependencies import Db, Manager, Pseudonyms, Reader
from courses.api.schemas.activities import (
    ActivityStatus,
    ActivityView,
    CreateActivity,
    Mode,
    PartnerView,
    UpdateActivity,
)
from courses.api.schemas.enrolments import Enrol, EnrolmentView
from courses.api.schemas.sessions import ScheduledSessions, ScheduleSessions
from courses.domain import activities, activity_changes, enrolments, sessions

router = APIRouter(tags=["activities"])


@router.get("/partners", response_model=list[PartnerView], summary="Partner organisations")
async def list_partners(_: Reader) -> list[PartnerView]:
    """The partner organisations activities can name (reference data)."""
    return activities.partners()


@router.post("/activities", status_code=201, response_model=ActivityView, summary="Create a draft")
async def create_activity(
    body: CreateActivity, principal: Manager, writes: WritesDep
) -> JSONResponse:
    """Create an activity as a draft; publish it to take sessions and enrolments."""
    return await writes.run(principal, lambda ctx: activities.create_activity(ctx, body))


@router.get("/activities", response_model=Page[ActivityView], summary="List activities")
async def list_activities(
    principal: Reader,
    db: Db,
    page: PageQuery,
    centre_id: Annotated[CentreId | None, Query()] = None,
    kind: Annotated[ActivityKind | None, Query()] = None,
    partner: Annotated[PartnerId | None, Query()] = None,
    mode: Annotated[Mode | None, Query()] = None,
    status: Annotated[ActivityStatus | None, Query()] = None,
    target_group: Annotated[TargetGroup | None, Query()] = None,
) -> Page[ActivityView]:
    """Activities of the caller's centres, newest first."""
    return await activities.list_activities(
        db,
        principal,
        page,
        centre_id=centre_id,
        kind=kind,
        partner=partner,
        mode=mode,
        status=status,
        target_group=target_group,
    )


@router.get("/activities/{activity_id}", response_model=ActivityView, summary="One activity")
async def get_activity(activity_id: UUID, principal: Reader, db: Db) -> ActivityView:
    """One activity, with its seats taken and its waiting list's length."""
    return await activities.get_activity(db, principal, activity_id)


@router.patch(
    "/activities/{activity_id}", response_model=ActivityView, summary="Change an activity"
)
async def update_activity(
    activity_id: UUID,
    body: UpdateActivity,
    principal: Manager,
    writes: WritesDep,
    pseudonyms: Pseudonyms,
) -> JSONResponse:
    """Change a draft; of a published activity, its title, description, partner, target groups
    and capacity (raised: those waiting move up at once; lowered: to no fewer than those holding a
    seat), emitting `courses.activity_changed.v1`. Kind and mode change only in a draft."""
    return await writes.run(
        principal,
        lambda ctx: activity_changes.update_activity(ctx, activity_id, body, pseudonyms),
        status_code=200,
    )


@router.post(
    "/activities/{activity_id}/publish", response_model=ActivityView, summary="Publish an activity"
)
async def publish_activity(
    activity_id: UUID, principal: Manager, writes: WritesDep
) -> JSONResponse:
    """Publish a draft; emits `courses.activity_published.v1`."""
    return await writes.run(
        principal, lambda ctx: activities.publish_activity(ctx, activity_id), status_code=200
    )


@router.post(
    "/activities/{activity_id}/sessions",
    status_code=201,
    response_model=ScheduledSessions,
    summary="Schedule sessions",
)
async def schedule_sessions(
    activity_id: UUID, body: ScheduleSessions, principal: Manager, writes: WritesDep
) -> JSONResponse:
    """Schedule a session, or one a week; emits `courses.session_scheduled.v1` for each (for a
    draft, when it is published)."""
    return await writes.run(
        principal, lambda ctx: sessions.schedule_sessions(ctx, activity_id, body)
    )


@router.post(
    "/activities/{activity_id}/enrolments",
    status_code=201,
    response_model=EnrolmentView,
    summary="Enrol a participant",
)
async def enrol(
    activity_id: UUID,
    body: Enrol,
    principal: Manager,
    writes: WritesDep,
    pseudonyms: Pseudonyms,
) -> JSONResponse:
    """A seat if one is free, else the end of the waiting list (first come, first served);
    emits `courses.enrolment_changed.v1` (`enrolled` or `waitlisted`). A participant enrols once.
    """
    return await writes.run(
        principal, lambda ctx: enrolments.enrol(ctx, activity_id, body, pseudonyms)
    )
