"""Hours: a shift that is over records the hours each volunteer on it worked; corrections replace
the total and are announced as events; every change looks for milestones."""

from decimal import Decimal
from uuid import UUID

from buurtwerk_shared.contracts.events.volunteers import HoursCorrectedV1, ShiftCompletedV1
from buurtwerk_shared.web.auth import ensure_centre
from buurtwerk_shared.web.problems import conflict, not_found, unprocessable
from buurtwerk_shared.web.writes import WriteContext
from volunteers.api.schemas.hours import (
    CompletedShift,
    CompleteShift,
    HoursCorrection,
    HoursView,
    ReachedMilestone,
)
from volunteers.domain.access import volunteer_for_update
from volunteers.domain.clock import now
from volunteers.domain.milestones import detect_hours_milestones
from volunteers.domain.rules import shift_hours
from volunteers.domain.shifts import shift_view


async def complete_shift(
    ctx: WriteContext, shift_id: UUID, request: CompleteShift
) -> CompletedShift:
    """Record the hours of the volunteers who worked a shift that is over (all or none)."""
    shift = await ctx.conn.fetchrow("SELECT * FROM shifts WHERE shift_id = $1", shift_id)
    if shift is None:
        raise not_found(f"shift {shift_id}", field="path.shift_id")
    ensure_centre(ctx.principal, shift["centre_id"])
    if shift["ends_at"] > now():
        raise conflict("the shift is not over yet", field="path.shift_id", code="shift-not-over")
    index_of: dict[UUID, int] = {}
    for index, entry in enumerate(request.volunteers):
        if entry.volunteer_id in index_of:
            raise unprocessable(
                "the volunteer is listed twice", field=f"body.volunteers.{index}.volunteer_id"
            )
        index_of[entry.volunteer_id] = index
    # Locks in volunteer-id order, as every multi-volunteer write does, against deadlocks.
    for volunteer_id in sorted(index_of):
        field = f"body.volunteers.{index_of[volunteer_id]}.volunteer_id"
        await volunteer_for_update(ctx.conn, ctx.principal, volunteer_id, field)
    recorded = []
    reached = []
    for index, entry in enumerate(request.volunteers):
        field = f"body.volunteers.{index}.volunteer_id"
        on_shift = await ctx.conn.fetchval(
            "SELECT assigned FROM assignments WHERE shift_id = $1 AND volunteer_id = $2",
            shift_id,
            entry.volunteer_id,
        )
        if not on_shift:
            raise conflict("the volunteer was not on this shift", field=field, code="not-assigned")
        hours = (
            entry.hours
            if entry.hours is not None
            else shift_hours(shift["starts_at"], shift["ends_at"])
        )
        inserted = await ctx.conn.fetchval(
            """
            INSERT INTO shift_hours
                (shift_id, volunteer_id, centre_id, role, date, hours, recorded_by)
            VALUES ($1, $2, $3, $4, $5, $6, $7)
            ON CONFLICT DO NOTHING
            RETURNING true
            """,
            shift_id,
            entry.volunteer_id,
            shift["centre_id"],
            shift["role"],
            shift["date"],
            hours,
            ctx.principal.sub,
        )
        if not inserted:
            raise conflict(
                "the volunteer's hours on this shift are already recorded; correct them instead",
                field=field,
                code="already-completed",
            )
        event = ShiftCompletedV1(
            shift_id=shift_id,
            volunteer_id=entry.volunteer_id,
            centre_id=shift["centre_id"],
            role=shift["role"],
            date=shift["date"],
            hours=float(hours),
        )
        await ctx.emit(event)
        milestones = await detect_hours_milestones(ctx.conn, entry.volunteer_id, shift["ends_at"])
        reached += [
            ReachedMilestone(volunteer_id=entry.volunteer_id, milestone=m) for m in milestones
        ]
        recorded.append(HoursView.model_validate(event.model_dump()))
    await ctx.audit(
        "shift.complete",
        "shift",
        shift_id,
        {"hours": {str(view.volunteer_id): view.hours for view in recorded}},
    )
    return CompletedShift(shift_id=shift_id, recorded=recorded, milestones_reached=reached)


async def correct_hours(
    ctx: WriteContext, shift_id: UUID, volunteer_id: UUID, request: HoursCorrection
) -> HoursView:
    """Replace the hours a volunteer worked on a shift; announced with the corrected total."""
    await volunteer_for_update(ctx.conn, ctx.principal, volunteer_id)
    shift = await shift_view(ctx.conn, shift_id)
    ensure_centre(ctx.principal, shift.centre_id)
    row = await ctx.conn.fetchrow(
        "SELECT * FROM shift_hours WHERE shift_id = $1 AND volunteer_id = $2 FOR UPDATE",
        shift_id,
        volunteer_id,
    )
    if row is None:
        raise not_found(
            f"hours of volunteer {volunteer_id} on this shift", field="path.volunteer_id"
        )
    view = HoursView(
        shift_id=shift_id,
        volunteer_id=volunteer_id,
        centre_id=row["centre_id"],
        role=row["role"],
        date=row["date"],
        hours=float(request.hours),
    )
    previous: Decimal = row["hours"]
    if previous == request.hours:
        return view
    corrected_at = now()
    await ctx.conn.execute(
        "UPDATE shift_hours SET hours = $3 WHERE shift_id = $1 AND volunteer_id = $2",
        shift_id,
        volunteer_id,
        request.hours,
    )
    await ctx.conn.execute(
        """
        INSERT INTO hours_corrections
            (shift_id, volunteer_id, previous_hours, hours, corrected_at, corrected_by)
        VALUES ($1, $2, $3, $4, $5, $6)
        """,
        shift_id,
        volunteer_id,
        previous,
        request.hours,
        corrected_at,
        ctx.principal.sub,
    )
    await ctx.emit(
        HoursCorrectedV1(
            shift_id=shift_id,
            volunteer_id=volunteer_id,
            centre_id=row["centre_id"],
            role=row["role"],
            date=row["date"],
            hours=float(request.hours),
            corrected_at=corrected_at,
        )
    )
    await detect_hours_milestones(ctx.conn, volunteer_id, shift.ends_at)
    await ctx.audit(
        "hours.correct",
        "shift",
        shift_id,
        {"volunteer_id": volunteer_id, "from": previous, "to": request.hours},
    )
    return view
