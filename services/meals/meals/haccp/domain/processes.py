"""Timed processes: cooling and reheating a batch.

A process starts with a reading and a deadline (start + the limits' `within_minutes`); readings
follow until one reaches the target. The process is concluded by one record (published as
`meals.haccp_check_recorded.v1` with `due_at` = the deadline, the occurrence reporting watches):
ok when the target was reached by the deadline, a deviation when the first reading after the
deadline comes in without it. Until then a process past its deadline shows as overdue.
"""

import datetime as dt
from uuid import UUID, uuid4

import asyncpg

from buurtwerk_shared.contracts.events.haccp import TimedLimits
from buurtwerk_shared.contracts.events.meals import HaccpProcessStartedV1
from buurtwerk_shared.db.pool import Connection
from buurtwerk_shared.web.auth import Principal, ensure_centre
from buurtwerk_shared.web.problems import conflict, not_found, unprocessable
from buurtwerk_shared.web.writes import WriteContext
from meals.haccp.api.schemas import (
    ProcessReading,
    ProcessReadingView,
    ProcessStatus,
    ProcessView,
    StartProcess,
)
from meals.haccp.domain.checks import current_version, version_at
from meals.haccp.domain.common import entry_time, kitchen_in_scope, load_limits, utc_now
from meals.haccp.domain.defaults import TIMED_KINDS
from meals.haccp.domain.equipment import thermometer_offset
from meals.haccp.domain.judging import target_reached
from meals.haccp.domain.records import Judged, corrected, store_record


async def start_process(ctx: WriteContext, check_id: UUID, request: StartProcess) -> ProcessView:
    """Start cooling or reheating a batch under a timed check."""
    current = await current_version(ctx.conn, check_id)
    ensure_centre(ctx.principal, current.centre_id)
    if current.kind not in TIMED_KINDS:
        raise conflict(f"a {current.kind} check is not a timed process", code="not-a-process")
    started_at = entry_time(request.started_at, "body.started_at", utc_now())
    version = await version_at(ctx.conn, check_id, started_at)
    if not version.active:
        raise conflict("this check was switched off at that time", code="check-inactive")
    limits = version.limits
    assert isinstance(limits, TimedLimits)
    offset = await thermometer_offset(
        ctx.conn, request.thermometer_id, version.kitchen_id, "body.thermometer_id"
    )
    start_value = corrected(request.start_value, offset)
    deadline_at = started_at + dt.timedelta(minutes=limits.within_minutes)
    process_id = uuid4()
    await ctx.conn.execute(
        """
        INSERT INTO haccp_processes
            (process_id, check_id, limits_version, kitchen_id, centre_id, kind, product,
             started_at, start_value, raw_start_value, thermometer_id, deadline_at, started_by)
        VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)
        """,
        process_id,
        check_id,
        version.version,
        version.kitchen_id,
        version.centre_id,
        version.kind,
        request.product,
        started_at,
        start_value,
        request.start_value,
        request.thermometer_id,
        deadline_at,
        ctx.principal.sub,
    )
    await ctx.emit(
        HaccpProcessStartedV1(
            process_id=process_id,
            check_id=check_id,
            kitchen_id=version.kitchen_id,
            centre_id=version.centre_id,
            kind="cooling" if version.kind == "cooling" else "reheating",
            started_at=started_at,
            start_value=start_value,
            deadline_at=deadline_at,
        )
    )
    await ctx.audit("haccp_process.start", "haccp_process", process_id, {"check_id": check_id})
    return await process_view(ctx.conn, process_id)


async def add_reading(ctx: WriteContext, process_id: UUID, request: ProcessReading) -> ProcessView:
    """Add a reading; the one that reaches the target, or the first after the deadline, concludes
    the process."""
    process = await ctx.conn.fetchrow(
        "SELECT * FROM haccp_processes WHERE process_id = $1 FOR UPDATE", process_id
    )
    if process is None:
        raise not_found(f"process {process_id}", field="path.process_id")
    ensure_centre(ctx.principal, process["centre_id"])
    if process["record_id"] is not None:
        raise conflict("this process is already concluded", code="process-concluded")
    taken_at = entry_time(request.taken_at, "body.taken_at", utc_now())
    if taken_at < process["started_at"]:
        raise unprocessable("lies before the process started", field="body.taken_at")
    offset = await thermometer_offset(
        ctx.conn, request.thermometer_id, process["kitchen_id"], "body.thermometer_id"
    )
    value = corrected(request.value, offset)
    await ctx.conn.execute(
        """
        INSERT INTO haccp_process_readings
            (reading_id, process_id, taken_at, value, raw_value, thermometer_id, staff_id)
        VALUES ($1, $2, $3, $4, $5, $6, $7)
        """,
        uuid4(),
        process_id,
        taken_at,
        value,
        request.value,
        request.thermometer_id,
        ctx.principal.sub,
    )
    version = await version_at(ctx.conn, process["check_id"], process["started_at"])
    assert isinstance(version.limits, TimedLimits)
    late = taken_at > process["deadline_at"]
    if late or target_reached(version.limits, value):
        judged = Judged(
            outcome="deviation" if late else "ok",
            value=value,
            raw_value=request.value,
            unit=version.limits.unit,
            thermometer_id=request.thermometer_id,
            calibration_offset=offset if request.thermometer_id else None,
            details={"process_id": str(process_id), "product": process["product"]},
        )
        record_id = await store_record(ctx, version, judged, taken_at, process["deadline_at"])
        await ctx.conn.execute(
            "UPDATE haccp_processes SET record_id = $2 WHERE process_id = $1",
            process_id,
            record_id,
        )
    await ctx.audit("haccp_process.read", "haccp_process", process_id, {"value": value})
    return await process_view(ctx.conn, process_id)


_PROCESSES = """
SELECT p.*, v.label, v.limits, r.outcome,
       coalesce(
           (SELECT json_agg(json_build_object(
                       'taken_at', x.taken_at, 'value', x.value, 'raw_value', x.raw_value,
                       'staff_id', x.staff_id) ORDER BY x.taken_at)
            FROM haccp_process_readings x WHERE x.process_id = p.process_id),
           '[]') AS readings
FROM haccp_processes p
JOIN haccp_check_versions v ON v.check_id = p.check_id AND v.version = p.limits_version
LEFT JOIN haccp_records r ON r.record_id = p.record_id
"""


def process_status(
    outcome: str | None, deadline_at: dt.datetime, now: dt.datetime
) -> ProcessStatus:
    """Where a process stands: concluded ok or failed, else running or past its deadline."""
    if outcome == "ok":
        return "completed"
    if outcome == "deviation":
        return "failed"
    return "overdue" if now > deadline_at else "running"


def _view(row: asyncpg.Record, now: dt.datetime) -> ProcessView:
    return ProcessView(
        process_id=row["process_id"],
        check_id=row["check_id"],
        kitchen_id=row["kitchen_id"],
        centre_id=row["centre_id"],
        kind=row["kind"],
        label=row["label"],
        product=row["product"],
        limits=load_limits(row["limits"]),
        started_at=row["started_at"],
        start_value=row["start_value"],
        raw_start_value=row["raw_start_value"],
        deadline_at=row["deadline_at"],
        status=process_status(row["outcome"], row["deadline_at"], now),
        readings=[ProcessReadingView.model_validate(r) for r in row["readings"]],
        record_id=row["record_id"],
    )


async def process_view(conn: Connection, process_id: UUID) -> ProcessView:
    """One process with its readings."""
    row = await conn.fetchrow(_PROCESSES + " WHERE p.process_id = $1", process_id)
    if row is None:
        raise not_found(f"process {process_id}", field="path.process_id")
    return _view(row, utc_now())


async def kitchen_processes(
    conn: Connection,
    kitchen_id: str,
    since: dt.datetime,
    until: dt.datetime,
    *,
    unconcluded_only: bool = False,
) -> list[ProcessView]:
    """A kitchen's processes started in [since, until), oldest first."""
    rows = await conn.fetch(
        _PROCESSES
        + """
        WHERE p.kitchen_id = $1 AND p.started_at >= $2 AND p.started_at < $3
          AND (NOT $4 OR p.record_id IS NULL)
        ORDER BY p.started_at
        """,
        kitchen_id,
        since,
        until,
        unconcluded_only,
    )
    now = utc_now()
    return [_view(row, now) for row in rows]


async def list_processes(
    conn: Connection, principal: Principal, kitchen_id: str, *, unconcluded_only: bool
) -> list[ProcessView]:
    """A kitchen's processes of the last week (only those not concluded, if asked)."""
    kitchen = kitchen_in_scope(principal, kitchen_id)
    now = utc_now()
    return await kitchen_processes(
        conn,
        kitchen.id,
        now - dt.timedelta(days=7),
        now + dt.timedelta(minutes=5),
        unconcluded_only=unconcluded_only,
    )
