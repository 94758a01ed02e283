"""HTTP routes for shift templates, shifts, assignments and the hours worked."""

from typing import Annotated
from uuid import UUID

from fastapi import APIRouter, Query
from fastapi.responses import JSONResponse

from buurtwerk_shared.contracts.events.volunteers import ShiftRole
from buurtwerk_shared.contracts.types import CentreId
from buurtwerk_shared.web.fields import Instant
from buurtwerk_shared.web.pagination import Page, PageQuery
from buurtwerk_shared.web.writes import WritesDep
from volunteers.api.deps import Coordinator, Db, PlanReader
from volunteers.api.schemas.hours import CompletedShift, CompleteShift, HoursCorrection, HoursView
from volunteers.api.schemas.shifts import (
    AssignmentView,
    GeneratedShifts,
    GenerateShifts,
    NewAssignment,
    NewShift,
    NewShiftTemplate,
    ShiftChanges,
    ShiftDetail,
    ShiftTemplateChanges,
    ShiftTemplateView,
    ShiftView,
)
from volunteers.domain.assignments import assign, unassign
from volunteers.domain.hours import complete_shift, correct_hours
from volunteers.domain.shifts import (
    cancel_shift,
    change_shift,
    change_template,
    create_shift,
    create_template,
    generate_shifts,
    list_shifts,
    list_templates,
    shift_detail,
    understaffed_shifts,
)

templates = APIRouter(prefix="/shift-templates", tags=["shifts"])
router = APIRouter(prefix="/shifts", tags=["shifts"])


@templates.post(
    "", status_code=201, response_model=ShiftTemplateView, summary="Define a weekly shift"
)
async def create_recurring(
    body: NewShiftTemplate, principal: Coordinator, writes: WritesDep
) -> JSONResponse:
    """A shift that recurs every week at a centre, at local (Europe/Brussels) times."""
    return await writes.run(principal, lambda ctx: create_template(ctx, body))


@templates.get("", response_model=Page[ShiftTemplateView], summary="Weekly shifts")
async def find_recurring(
    principal: PlanReader,
    db: Db,
    page: PageQuery,
    centre_id: CentreId | None = None,
    role: ShiftRole | None = None,
) -> Page[ShiftTemplateView]:
    """The shift templates of your centres."""
    return await list_templates(db, principal, page, centre_id, role)


@templates.patch(
    "/{template_id}", response_model=ShiftTemplateView, summary="Change or end a weekly shift"
)
async def change_recurring(
    template_id: UUID, body: ShiftTemplateChanges, principal: Coordinator, writes: WritesDep
) -> JSONResponse:
    """Change the number needed or the last day; shifts already generated keep theirs."""
    return await writes.run(
        principal, lambda ctx: change_template(ctx, template_id, body), status_code=200
    )


@router.post(
    "/generate", status_code=201, response_model=GeneratedShifts, summary="Generate shifts"
)
async def generate(body: GenerateShifts, principal: Coordinator, writes: WritesDep) -> JSONResponse:
    """Create the concrete shifts of a centre's templates for a date range (at most 92 days);
    each new shift emits `volunteers.shift_scheduled.v1`. Shifts that already exist stay."""
    return await writes.run(principal, lambda ctx: generate_shifts(ctx, body))


@router.post("", status_code=201, response_model=ShiftView, summary="Schedule a one-off shift")
async def create(body: NewShift, principal: Coordinator, writes: WritesDep) -> JSONResponse:
    """A shift outside the weekly templates; emits `volunteers.shift_scheduled.v1`."""
    return await writes.run(principal, lambda ctx: create_shift(ctx, body))


@router.get("", response_model=Page[ShiftView], summary="Find shifts")
async def find(
    principal: PlanReader,
    db: Db,
    page: PageQuery,
    centre_id: CentreId | None = None,
    role: ShiftRole | None = None,
    starts_from: Annotated[
        Instant | None, Query(alias="from", description="Shifts starting at or after.")
    ] = None,
    starts_before: Annotated[
        Instant | None, Query(alias="before", description="Shifts starting before.")
    ] = None,
    understaffed: bool | None = None,
) -> Page[ShiftView]:
    """Shifts of your centres in order of their start, with how many volunteers are missing."""
    return await list_shifts(
        db,
        principal,
        page,
        centre_id=centre_id,
        role=role,
        starts_from=starts_from,
        starts_before=starts_before,
        understaffed=understaffed,
    )


@router.get("/understaffed", response_model=Page[ShiftView], summary="Shifts still short")
async def short(
    principal: PlanReader,
    db: Db,
    page: PageQuery,
    centre_id: CentreId | None = None,
    role: ShiftRole | None = None,
    days: Annotated[int, Query(ge=1, le=56, description="How far ahead to look.")] = 14,
) -> Page[ShiftView]:
    """Shifts in the coming two weeks (or `days`) with fewer volunteers than needed."""
    return await understaffed_shifts(db, principal, page, centre_id, role, days)


@router.get("/{shift_id}", response_model=ShiftDetail, summary="One shift and its roster")
async def read(shift_id: UUID, principal: Coordinator, db: Db) -> ShiftDetail:
    """A shift, who is on it, and their recorded hours."""
    return await shift_detail(db, principal, shift_id)


@router.patch("/{shift_id}", response_model=ShiftView, summary="Change how many a shift needs")
async def change(
    shift_id: UUID, body: ShiftChanges, principal: Coordinator, writes: WritesDep
) -> JSONResponse:
    """For a shift that has not started (one-off or from a template): the number of volunteers
    it needs, never below those on it (409). Emits `volunteers.shift_changed.v1`
    (`change: needed`) naming the volunteers on it."""
    return await writes.run(
        principal, lambda ctx: change_shift(ctx, shift_id, body), status_code=200
    )


@router.post("/{shift_id}/cancellation", response_model=ShiftView, summary="Cancel a shift")
async def cancel(shift_id: UUID, principal: Coordinator, writes: WritesDep) -> JSONResponse:
    """A shift that has not started will not take place: it leaves the gaps and takes no one
    any more. Emits `volunteers.shift_changed.v1` (`change: cancelled`) naming the volunteers
    on it, to be told."""
    return await writes.run(principal, lambda ctx: cancel_shift(ctx, shift_id), status_code=200)


@router.post(
    "/{shift_id}/assignments",
    status_code=201,
    response_model=AssignmentView,
    summary="Put a volunteer on a shift",
)
async def put_on(
    shift_id: UUID, body: NewAssignment, principal: Coordinator, writes: WritesDep
) -> JSONResponse:
    """A sign-up or an assignment: refused when the shift is full, when the volunteer is on
    another shift at that time (also under concurrent requests), or lacks a qualification the
    role needs that day. Emits `volunteers.shift_assignment_changed.v1`."""
    return await writes.run(principal, lambda ctx: assign(ctx, shift_id, body))


@router.delete(
    "/{shift_id}/assignments/{volunteer_id}",
    response_model=AssignmentView,
    summary="Take a volunteer off a shift",
)
async def take_off(
    shift_id: UUID, volunteer_id: UUID, principal: Coordinator, writes: WritesDep
) -> JSONResponse:
    """Emits `volunteers.shift_assignment_changed.v1` with `assigned: false`."""
    return await writes.run(
        principal, lambda ctx: unassign(ctx, shift_id, volunteer_id), status_code=200
    )


@router.post(
    "/{shift_id}/completions",
    status_code=201,
    response_model=CompletedShift,
    summary="Record the hours worked",
)
async def complete(
    shift_id: UUID, body: CompleteShift, principal: Coordinator, writes: WritesDep
) -> JSONResponse:
    """For a shift that is over: the hours of each volunteer who worked it (by default the
    shift's length). Emits `volunteers.shift_completed.v1` per volunteer, and
    `volunteers.milestone_reached.v1` for a milestone reached for the first time."""
    return await writes.run(principal, lambda ctx: complete_shift(ctx, shift_id, body))


@router.put(
    "/{shift_id}/completions/{volunteer_id}",
    response_model=HoursView,
    summary="Correct the hours worked",
)
async def correct(
    shift_id: UUID,
    volunteer_id: UUID,
    body: HoursCorrection,
    principal: Coordinator,
    writes: WritesDep,
) -> JSONResponse:
    """Replace the recorded hours; emits `volunteers.hours_corrected.v1` with the new total.
    A milestone already announced is never announced again."""
    return await writes.run(
        principal, lambda ctx: correct_hours(ctx, shift_id, volunteer_id, body), status_code=200
    )
