"""Putting volunteers on shifts and taking them off: the number needed, the qualification gate,
and no volunteer in two shifts at once.

Every assignment locks the volunteer's row first and then the shift's, in that order everywhere,
so concurrent requests for one volunteer (or one shift) apply one after the other and see each
other's result. The exclusion constraint `assignments_no_double_booking` refuses overlapping
shifts in the database itself as well.
"""

import datetime as dt
from uuid import UUID

import asyncpg

from buurtwerk_shared.contracts.events.volunteers import ShiftAssignmentChangedV1
from buurtwerk_shared.db.pool import Connection
from buurtwerk_shared.web.auth import ensure_centre
from buurtwerk_shared.web.problems import conflict, not_found
from buurtwerk_shared.web.writes import WriteContext
from volunteers.api.schemas.shifts import AssignmentView, NewAssignment
from volunteers.domain.access import ensure_not_erased, volunteer_for_update
from volunteers.domain.clock import now
from volunteers.domain.rules import SCHEDULABLE

_OVERLAPPING = """
SELECT s.shift_id, s.centre_id, s.role, s.starts_at
FROM assignments a JOIN shifts s USING (shift_id)
WHERE a.volunteer_id = $1 AND a.assigned AND a.shift_id <> $2
  AND tstzrange(a.starts_at, a.ends_at) && tstzrange($3, $4)
LIMIT 1
"""
_MISSING_QUALIFICATIONS = """
SELECT r.qualification
FROM role_requirements r
WHERE r.role = $1 AND NOT EXISTS (
    SELECT 1 FROM volunteer_qualifications q
    WHERE q.volunteer_id = $2 AND q.qualification = r.qualification
      AND q.obtained_on <= $3 AND (q.expires_on IS NULL OR q.expires_on >= $3)
)
ORDER BY r.qualification
"""
_ASSIGN = """
INSERT INTO assignments
    (shift_id, volunteer_id, assigned, via, starts_at, ends_at, changed_at, changed_by)
VALUES ($1, $2, true, $3, $4, $5, $6, $7)
ON CONFLICT (shift_id, volunteer_id) DO UPDATE
SET assigned = true, via = EXCLUDED.via, starts_at = EXCLUDED.starts_at,
    ends_at = EXCLUDED.ends_at, changed_at = EXCLUDED.changed_at, changed_by = EXCLUDED.changed_by
"""


async def shift_for_update(conn: Connection, shift_id: UUID) -> asyncpg.Record:
    """The shift's row, locked (after the volunteer's: see the module's docstring)."""
    shift = await conn.fetchrow("SELECT * FROM shifts WHERE shift_id = $1 FOR UPDATE", shift_id)
    if shift is None:
        raise not_found(f"shift {shift_id}", field="path.shift_id")
    return shift


async def assign(ctx: WriteContext, shift_id: UUID, request: NewAssignment) -> AssignmentView:
    """Put a volunteer on a shift, if the shift still needs someone, the volunteer holds the
    qualifications the role needs on that day, and is not on another shift at that time."""
    field = "body.volunteer_id"
    volunteer = await volunteer_for_update(ctx.conn, ctx.principal, request.volunteer_id, field)
    shift = await shift_for_update(ctx.conn, shift_id)
    ensure_centre(ctx.principal, shift["centre_id"])
    ensure_not_erased(volunteer, field)
    if shift["cancelled_at"] is not None:
        raise conflict("the shift is cancelled", field="path.shift_id", code="shift-cancelled")
    if volunteer["status"] not in SCHEDULABLE:
        raise conflict(
            f"a volunteer in status '{volunteer['status']}' cannot take shifts "
            "(only onboarding or active)",
            field=field,
            code="volunteer-not-schedulable",
        )
    if shift["centre_id"] not in volunteer["centre_ids"]:
        raise conflict(
            f"the volunteer does not help at centre '{shift['centre_id']}'; add the centre first",
            field=field,
            code="volunteer-not-at-centre",
        )
    current = await ctx.conn.fetchval(
        "SELECT assigned FROM assignments WHERE shift_id = $1 AND volunteer_id = $2",
        shift_id,
        request.volunteer_id,
    )
    if current:
        raise conflict(
            "the volunteer is already on this shift", field=field, code="already-assigned"
        )
    taken = await ctx.conn.fetchval(
        "SELECT count(*) FROM assignments WHERE shift_id = $1 AND assigned", shift_id
    )
    if taken >= shift["needed"]:
        raise conflict(
            f"the shift is full: {taken} of {shift['needed']} places taken",
            field="path.shift_id",
            code="shift-full",
        )
    missing = await ctx.conn.fetch(
        _MISSING_QUALIFICATIONS, shift["role"], request.volunteer_id, shift["date"]
    )
    if missing:
        names = ", ".join(row["qualification"] for row in missing)
        raise conflict(
            f"{shift['role']} shifts need a valid {names} on {shift['date']}; "
            "the volunteer has none valid that day",
            field=field,
            code="qualification-missing",
        )
    await _refuse_overlap(ctx.conn, shift, request.volunteer_id)
    changed_at = now()
    try:
        await ctx.conn.execute(
            _ASSIGN,
            shift_id,
            request.volunteer_id,
            request.via,
            shift["starts_at"],
            shift["ends_at"],
            changed_at,
            ctx.principal.sub,
        )
    except asyncpg.ExclusionViolationError as exc:
        raise _double_booked() from exc
    await ctx.emit(_event(shift, request.volunteer_id, assigned=True, changed_at=changed_at))
    await ctx.audit(
        "shift.assign",
        "shift",
        shift_id,
        {"volunteer_id": request.volunteer_id, "via": request.via},
    )
    return AssignmentView(
        shift_id=shift_id,
        volunteer_id=request.volunteer_id,
        assigned=True,
        via=request.via,
        changed_at=changed_at,
    )


async def unassign(ctx: WriteContext, shift_id: UUID, volunteer_id: UUID) -> AssignmentView:
    """Take a volunteer off a shift whose hours are not recorded yet."""
    await volunteer_for_update(ctx.conn, ctx.principal, volunteer_id)
    shift = await shift_for_update(ctx.conn, shift_id)
    ensure_centre(ctx.principal, shift["centre_id"])
    row = await ctx.conn.fetchrow(
        "SELECT * FROM assignments WHERE shift_id = $1 AND volunteer_id = $2 AND assigned",
        shift_id,
        volunteer_id,
    )
    if row is None:
        raise not_found(f"an assignment of volunteer {volunteer_id}", field="path.volunteer_id")
    worked = await ctx.conn.fetchval(
        "SELECT true FROM shift_hours WHERE shift_id = $1 AND volunteer_id = $2",
        shift_id,
        volunteer_id,
    )
    if worked:
        raise conflict(
            "the volunteer's hours on this shift are recorded; correct the hours instead",
            field="path.volunteer_id",
            code="shift-completed",
        )
    changed_at = await withdraw(ctx, shift, volunteer_id)
    await ctx.audit("shift.unassign", "shift", shift_id, {"volunteer_id": volunteer_id})
    return AssignmentView(
        shift_id=shift_id,
        volunteer_id=volunteer_id,
        assigned=False,
        via=row["via"],
        changed_at=changed_at,
    )


async def withdraw(ctx: WriteContext, shift: asyncpg.Record, volunteer_id: UUID) -> dt.datetime:
    """Mark an assignment withdrawn and announce it; the caller holds the locks."""
    changed_at = now()
    await ctx.conn.execute(
        "UPDATE assignments SET assigned = false, changed_at = $3, changed_by = $4 "
        "WHERE shift_id = $1 AND volunteer_id = $2",
        shift["shift_id"],
        volunteer_id,
        changed_at,
        ctx.principal.sub,
    )
    await ctx.emit(_event(shift, volunteer_id, assigned=False, changed_at=changed_at))
    return changed_at


async def withdraw_upcoming(ctx: WriteContext, volunteer_id: UUID) -> list[UUID]:
    """Take a volunteer (whose row the caller has locked) off every shift still to start."""
    shifts = await ctx.conn.fetch(
        """
        SELECT s.* FROM assignments a JOIN shifts s USING (shift_id)
        WHERE a.volunteer_id = $1 AND a.assigned AND s.starts_at > $2
        ORDER BY s.starts_at
        FOR UPDATE OF s
        """,
        volunteer_id,
        now(),
    )
    for shift in shifts:
        await withdraw(ctx, shift, volunteer_id)
    return [shift["shift_id"] for shift in shifts]


async def _refuse_overlap(conn: Connection, shift: asyncpg.Record, volunteer_id: UUID) -> None:
    other = await conn.fetchrow(
        _OVERLAPPING, volunteer_id, shift["shift_id"], shift["starts_at"], shift["ends_at"]
    )
    if other is not None:
        raise _double_booked(
            f"the volunteer is already on shift {other['shift_id']} ({other['role']} at "
            f"{other['centre_id']}, {other['starts_at'].isoformat()}) at that time"
        )


def _double_booked(detail: str = "the volunteer is on another shift at that time") -> Exception:
    return conflict(detail, field="body.volunteer_id", code="double-booked")


def _event(
    shift: asyncpg.Record, volunteer_id: UUID, *, assigned: bool, changed_at: dt.datetime
) -> ShiftAssignmentChangedV1:
    return ShiftAssignmentChangedV1(
        shift_id=shift["shift_id"],
        volunteer_id=volunteer_id,
        centre_id=shift["centre_id"],
        role=shift["role"],
        starts_at=shift["starts_at"],
        ends_at=shift["ends_at"],
        assigned=assigned,
        changed_at=changed_at,
    )
