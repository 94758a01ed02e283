"""Shifts: weekly templates per centre and role, the concrete shifts generated from them (at the
same local wall-clock times across daylight-saving changes), and how far each is staffed."""

import datetime as dt
from uuid import UUID, uuid4

import asyncpg

from buurtwerk_shared.contracts.events.volunteers import ShiftChangedV1, ShiftScheduledV1
from buurtwerk_shared.db.pool import Connection
from buurtwerk_shared.web.auth import Principal, ensure_centre
from buurtwerk_shared.web.pagination import Page, PageParams
from buurtwerk_shared.web.problems import conflict, not_found, unprocessable
from buurtwerk_shared.web.writes import WriteContext, audit
from volunteers.api.schemas.shifts import (
    GeneratedShifts,
    GenerateShifts,
    NewShift,
    NewShiftTemplate,
    RosterEntry,
    ShiftChanges,
    ShiftDetail,
    ShiftTemplateChanges,
    ShiftTemplateView,
    ShiftView,
)
from volunteers.domain.access import scope
from volunteers.domain.assignments import withdraw
from volunteers.domain.clock import local_instant, now
from volunteers.domain.rules import occurrences

_STAFFED = """
SELECT s.*, count(a.volunteer_id) FILTER (WHERE a.assigned) AS assigned
FROM shifts s LEFT JOIN assignments a USING (shift_id)
"""
_INSERT_SHIFT = """
INSERT INTO shifts
    (shift_id, template_id, centre_id, role, date, starts_at, ends_at, needed, created_by)
VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)
ON CONFLICT (template_id, date) DO NOTHING
RETURNING shift_id
"""


def _shift(row: asyncpg.Record) -> ShiftView:
    return ShiftView(
        shift_id=row["shift_id"],
        template_id=row["template_id"],
        centre_id=row["centre_id"],
        role=row["role"],
        date=row["date"],
        starts_at=row["starts_at"],
        ends_at=row["ends_at"],
        needed=row["needed"],
        assigned=row["assigned"],
        missing=0 if row["cancelled_at"] else max(row["needed"] - row["assigned"], 0),
        cancelled_at=row["cancelled_at"],
    )


async def create_template(ctx: WriteContext, request: NewShiftTemplate) -> ShiftTemplateView:
    """Define a weekly recurring shift at a centre."""
    ensure_centre(ctx.principal, request.centre_id)
    template_id = uuid4()
    row = await ctx.conn.fetchrow(
        """
        INSERT INTO shift_templates (template_id, centre_id, role, weekday, start_time, end_time,
                                     needed, valid_from, valid_until, created_by)
        VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)
        RETURNING *
        """,
        template_id,
        request.centre_id,
        request.role,
        request.weekday,
        request.start_time,
        request.end_time,
        request.needed,
        request.valid_from,
        request.valid_until,
        ctx.principal.sub,
    )
    assert row is not None
    await ctx.audit("shift_template.create", "shift_template", template_id, {"role": request.role})
    return ShiftTemplateView.model_validate(dict(row))


async def change_template(
    ctx: WriteContext, template_id: UUID, request: ShiftTemplateChanges
) -> ShiftTemplateView:
    """Change the number needed or the end of a template; shifts already generated keep theirs."""
    template = await ctx.conn.fetchrow(
        "SELECT * FROM shift_templates WHERE template_id = $1 FOR UPDATE", template_id
    )
    if template is None:
        raise not_found(f"shift template {template_id}", field="path.template_id")
    ensure_centre(ctx.principal, template["centre_id"])
    needed = request.needed or template["needed"]
    fields = request.model_fields_set
    until = request.valid_until if "valid_until" in fields else template["valid_until"]
    if until is not None and until < template["valid_from"]:
        raise unprocessable("is before the template's valid_from", field="body.valid_until")
    row = await ctx.conn.fetchrow(
        "UPDATE shift_templates SET needed = $2, valid_until = $3 WHERE template_id = $1 "
        "RETURNING *",
        template_id,
        needed,
        until,
    )
    assert row is not None
    await ctx.audit(
        "shift_template.change", "shift_template", template_id, {"fields": sorted(fields)}
    )
    return ShiftTemplateView.model_validate(dict(row))


async def list_templates(
    conn: Connection,
    principal: Principal,
    page: PageParams,
    centre_id: str | None,
    role: str | None,
) -> Page[ShiftTemplateView]:
    """The templates of the caller's centres."""
    where = """
        FROM shift_templates WHERE ($1::text[] IS NULL OR centre_id = ANY($1))
          AND ($2::text IS NULL OR centre_id = $2) AND ($3::text IS NULL OR role = $3)
    """
    args = (scope(principal), centre_id, role)
    total = await conn.fetchval(f"SELECT count(*) {where}", *args)
    rows = await conn.fetch(
        f"SELECT * {where} ORDER BY centre_id, weekday, start_time, role, template_id "
        "LIMIT $4 OFFSET $5",
        *args,
        page.limit,
        page.offset,
    )
    items = [ShiftTemplateView.model_validate(dict(r)) for r in rows]
    return Page(items=items, total=total, limit=page.limit, offset=page.offset)


async def _schedule(
    ctx: WriteContext,
    template_id: UUID | None,
    centre_id: str,
    role: str,
    date: dt.date,
    starts_at: dt.datetime,
    ends_at: dt.datetime,
    needed: int,
) -> UUID | None:
    """Insert one shift and announce it; None when the template already has one that day."""
    shift_id: UUID | None = await ctx.conn.fetchval(
        _INSERT_SHIFT,
        uuid4(),
        template_id,
        centre_id,
        role,
        date,
        starts_at,
        ends_at,
        needed,
        ctx.principal.sub,
    )
    if shift_id is not None:
        await ctx.emit(
            ShiftScheduledV1(
                shift_id=shift_id,
                centre_id=centre_id,
                role=role,
                starts_at=starts_at,
                ends_at=ends_at,
                needed=needed,
            )
        )
    return shift_id


async def generate_shifts(ctx: WriteContext, request: GenerateShifts) -> GeneratedShifts:
    """Create the shifts of every template of a centre valid in the date range; a shift that
    already exists for a template and day is left as it is, so generating twice is harmless."""
    ensure_centre(ctx.principal, request.centre_id)
    templates = await ctx.conn.fetch(
        """
        SELECT * FROM shift_templates
        WHERE centre_id = $1 AND valid_from <= $3 AND (valid_until IS NULL OR valid_until >= $2)
        ORDER BY template_id
        FOR SHARE
        """,
        request.centre_id,
        request.first,
        request.last,
    )
    created: list[UUID] = []
    existing = 0
    for template in templates:
        first = max(request.first, template["valid_from"])
        last = min(request.last, template["valid_until"] or request.last)
        for occurrence in occurrences(
            template["weekday"], template["start_time"], template["end_time"], first, last
        ):
            shift_id = await _schedule(
                ctx,
                template["template_id"],
                template["centre_id"],
                template["role"],
                occurrence.date,
                occurrence.starts_at,
                occurrence.ends_at,
                template["needed"],
            )
            if shift_id is None:
                existing += 1
            else:
                created.append(shift_id)
    await ctx.audit(
        "shift.generate",
        "centre",
        request.centre_id,
        {"from": request.first, "until": request.last, "created": len(created)},
    )
    rows = await ctx.conn.fetch(
        f"{_STAFFED} WHERE s.shift_id = ANY($1) GROUP BY s.shift_id ORDER BY s.starts_at", created
    )
    return GeneratedShifts(created=[_shift(r) for r in rows], existing=existing)


async def create_shift(ctx: WriteContext, request: NewShift) -> ShiftView:
    """Schedule a one-off shift."""
    ensure_centre(ctx.principal, request.centre_id)
    starts_at = local_instant(request.date, request.start_time)
    ends_at = local_instant(request.date, request.end_time)
    shift_id = await _schedule(
        ctx, None, request.centre_id, request.role, request.date, starts_at, ends_at, request.needed
    )
    assert shift_id is not None  # no template: nothing to conflict with
    await ctx.audit("shift.create", "shift", shift_id, {"role": request.role})
    return await shift_view(ctx.conn, shift_id)


async def shift_view(conn: Connection, shift_id: UUID) -> ShiftView:
    """One shift with its staffing (the caller checks the centre scope)."""
    row = await conn.fetchrow(f"{_STAFFED} WHERE s.shift_id = $1 GROUP BY s.shift_id", shift_id)
    if row is None:
        raise not_found(f"shift {shift_id}", field="path.shift_id")
    return _shift(row)


async def shift_detail(conn: Connection, principal: Principal, shift_id: UUID) -> ShiftDetail:
    """A shift with its roster (volunteers' names) and recorded hours; the read is audited."""
    shift = await shift_view(conn, shift_id)
    ensure_centre(principal, shift.centre_id)
    roster = await conn.fetch(
        """
        SELECT a.volunteer_id, v.given_name, v.family_name, a.via, h.hours::float AS hours
        FROM assignments a JOIN volunteers v USING (volunteer_id)
        LEFT JOIN shift_hours h ON h.shift_id = a.shift_id AND h.volunteer_id = a.volunteer_id
        WHERE a.shift_id = $1 AND a.assigned
        ORDER BY v.family_name, v.given_name, a.volunteer_id
        """,
        shift_id,
    )
    await audit(conn, principal, "shift.read", "shift", shift_id)
    return ShiftDetail(
        **shift.model_dump(), roster=[RosterEntry.model_validate(dict(r)) for r in roster]
    )


async def list_shifts(
    conn: Connection,
    principal: Principal,
    page: PageParams,
    *,
    centre_id: str | None = None,
    role: str | None = None,
    starts_from: dt.datetime | None = None,
    starts_before: dt.datetime | None = None,
    understaffed: bool | None = None,
) -> Page[ShiftView]:
    """Shifts of the caller's centres matching every filter, in order of their start."""
    where = """
        WHERE ($1::text[] IS NULL OR s.centre_id = ANY($1))
          AND ($2::text IS NULL OR s.centre_id = $2) AND ($3::text IS NULL OR s.role = $3)
          AND ($4::timestamptz IS NULL OR s.starts_at >= $4)
          AND ($5::timestamptz IS NULL OR s.starts_at < $5)
        GROUP BY s.shift_id
        HAVING ($6::boolean IS NULL
                OR (s.cancelled_at IS NULL
                    AND count(a.volunteer_id) FILTER (WHERE a.assigned) < s.needed) = $6)
    """
    args = (scope(principal), centre_id, role, starts_from, starts_before, understaffed)
    total = await conn.fetchval(f"SELECT count(*) FROM ({_STAFFED} {where}) matching", *args)
    rows = await conn.fetch(
        f"{_STAFFED} {where} ORDER BY s.starts_at, s.centre_id, s.shift_id LIMIT $7 OFFSET $8",
        *args,
        page.limit,
        page.offset,
    )
    return Page(items=[_shift(r) for r in rows], total=total, limit=page.limit, offset=page.offset)


async def understaffed_shifts(
    conn: Connection,
    principal: Principal,
    page: PageParams,
    centre_id: str | None,
    role: str | None,
    days: int,
) -> Page[ShiftView]:
    """Shifts starting from now within `days` days that still need volunteers."""
    start = now()
    return await list_shifts(
        conn,
        principal,
        page,
        centre_id=centre_id,
        role=role,
        starts_from=start,
        starts_before=start + dt.timedelta(days=days),
        understaffed=True,
    )


async def _shift_to_change(ctx: WriteContext, shift_id: UUID) -> asyncpg.Record:
    """The shift, locked, if it may still change: in the caller's centres, not cancelled, not
    started."""
    shift = await ctx.conn.fetchrow("SELECT * FROM shifts WHERE shift_id = $1 FOR UPDATE", shift_id)
    if shift is None:
        raise not_found(f"shift {shift_id}", field="path.shift_id")
    ensure_centre(ctx.principal, shift["centre_id"])
    if shift["cancelled_at"] is not None:
        raise conflict("the shift is cancelled", field="path.shift_id", code="shift-cancelled")
    if shift["starts_at"] <= now():
        raise conflict(
            "the shift has started: it can no longer change",
            field="path.shift_id",
            code="shift-started",
        )
    return shift


async def _on_shift(ctx: WriteContext, shift_id: UUID) -> list[UUID]:
    rows = await ctx.conn.fetch(
        "SELECT volunteer_id FROM assignments WHERE shift_id = $1 AND assigned "
        "ORDER BY volunteer_id",
        shift_id,
    )
    return [r["volunteer_id"] for r in rows]


async def _announce(
    ctx: WriteContext, shift: asyncpg.Record, change: str, needed: int, on_shift: list[UUID]
) -> None:
    await ctx.emit(
        ShiftChangedV1(
            shift_id=shift["shift_id"],
            centre_id=shift["centre_id"],
            role=shift["role"],
            starts_at=shift["starts_at"],
            ends_at=shift["ends_at"],
            change=change,
            needed=needed,
            previous_needed=shift["needed"],
            volunteer_ids=on_shift,
            changed_at=now(),
        )
    )


async def cancel_shift(ctx: WriteContext, shift_id: UUID) -> ShiftView:
    """Cancel a shift that has not started: it leaves the gaps and takes no one any more. The
    volunteers on it come off it (free for another shift at that time; each
    `volunteers.shift_assignment_changed.v1`) and are named in `volunteers.shift_changed.v1`, to
    be told."""
    shift = await _shift_to_change(ctx, shift_id)
    on_shift = await _on_shift(ctx, shift_id)
    for volunteer_id in on_shift:
        await withdraw(ctx, shift, volunteer_id)
    await ctx.conn.execute(
        "UPDATE shifts SET cancelled_at = $2, cancelled_by = $3 WHERE shift_id = $1",
        shift_id,
        now(),
        ctx.principal.sub,
    )
    await _announce(ctx, shift, "cancelled", shift["needed"], on_shift)
    await ctx.audit("shift.cancel", "shift", shift_id, {"volunteers": len(on_shift)})
    return await shift_view(ctx.conn, shift_id)


async def change_shift(ctx: WriteContext, shift_id: UUID, request: ShiftChanges) -> ShiftView:
    """Change how many volunteers a shift that has not started needs: never below those already
    on it. The volunteers on it are named in `volunteers.shift_changed.v1`."""
    shift = await _shift_to_change(ctx, shift_id)
    on_shift = await _on_shift(ctx, shift_id)
    if request.needed < len(on_shift):
        raise conflict(
            f"{len(on_shift)} volunteers are on the shift: take someone off first",
            field="body.needed",
            code="below-assigned",
        )
    if request.needed != shift["needed"]:
        await ctx.conn.execute(
            "UPDATE shifts SET needed = $2 WHERE shift_id = $1", shift_id, request.needed
        )
        await _announce(ctx, shift, "needed", request.needed, on_shift)
        await ctx.audit(
            "shift.change", "shift", shift_id, {"needed": request.needed, "was": shift["needed"]}
        )
    return await shift_view(ctx.conn, shift_id)
