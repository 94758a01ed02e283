"""Recording a check: the service judges the reading against the version in force when it was
taken, keeps the raw reading beside the corrected one, and publishes the record (and the
deviation, if any)."""

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any
from uuid import UUID, uuid4

import asyncpg

from buurtwerk_shared.contracts.events.haccp import (
    CalibrationLimits,
    ChecklistLimits,
    RangeLimits,
    TargetLimits,
    TimedLimits,
)
from buurtwerk_shared.contracts.events.meals import (
    HaccpCheckRecordedV1,
    HaccpDeviationDetectedV1,
)
from buurtwerk_shared.db.pool import Connection
from buurtwerk_shared.haccp_schedule import due_times, local_date
from buurtwerk_shared.web.auth import ensure_centre
from buurtwerk_shared.web.problems import conflict, not_found, unprocessable
from buurtwerk_shared.web.writes import WriteContext
from meals.haccp.api.schemas import CorrectiveActionView, RecordCheck, RecordView
from meals.haccp.domain.checks import CheckVersion, current_version, version_at
from meals.haccp.domain.common import (
    entry_time,
    load_limits,
    services_in_use,
    utc_now,
)
from meals.haccp.domain.defaults import DELIVERY_KINDS, TIMED_KINDS
from meals.haccp.domain.equipment import thermometer_offset
from meals.haccp.domain.judging import (
    Outcome,
    judge_calibration,
    judge_checklist,
    judge_done,
    judge_value,
)

# How far ahead an occurrence may be answered (the due list shows the next two hours).
EARLY_ANSWER = dt.timedelta(hours=2)


@dataclass(frozen=True)
class Judged:
    """A reading with the outcome decided against the limits."""

    outcome: Outcome
    value: float | None = None
    raw_value: float | None = None
    unit: str | None = None
    thermometer_id: UUID | None = None
    calibration_offset: float | None = None
    details: dict[str, Any] | None = field(default=None)


def corrected(raw: float, offset: float) -> float:
    """A raw thermometer reading corrected by its calibration offset."""
    return round(raw + offset, 2)


async def store_record(
    ctx: WriteContext,
    version: CheckVersion,
    judged: Judged,
    recorded_at: dt.datetime,
    due_at: dt.datetime | None,
) -> UUID:
    """Insert a record and publish it; a deviation is published as such too."""
    record_id = uuid4()
    await ctx.conn.execute(
        """
        INSERT INTO haccp_records
            (record_id, check_id, limits_version, kitchen_id, centre_id, kind, due_at,
             recorded_at, value, raw_value, unit, thermometer_id, calibration_offset, details,
             outcome, staff_id)
        VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16)
        """,
        record_id,
        version.check_id,
        version.version,
        version.kitchen_id,
        version.centre_id,
        version.kind,
        due_at,
        recorded_at,
        judged.value,
        judged.raw_value,
        judged.unit,
        judged.thermometer_id,
        judged.calibration_offset,
        judged.details,
        judged.outcome,
        ctx.principal.sub,
    )
    await ctx.emit(
        HaccpCheckRecordedV1(
            record_id=record_id,
            check_id=version.check_id,
            limits_version=version.version,
            kitchen_id=version.kitchen_id,
            centre_id=version.centre_id,
            kind=version.kind,
            due_at=due_at,
            recorded_at=recorded_at,
            value=judged.value,
            raw_value=judged.raw_value,
            unit=judged.unit,
            outcome=judged.outcome,
            staff_id=ctx.principal.sub,
        )
    )
    if judged.outcome == "deviation":
        await ctx.emit(
            HaccpDeviationDetectedV1(
                record_id=record_id,
                check_id=version.check_id,
                kitchen_id=version.kitchen_id,
                centre_id=version.centre_id,
                kind=version.kind,
                value=judged.value,
                limits=version.limits,
                recorded_at=recorded_at,
            )
        )
    return record_id


def _refuse_other_inputs(request: RecordCheck, allowed: set[str]) -> None:
    for name in ("value", "items", "readings", "done"):
        if name not in allowed and getattr(request, name) is not None:
            raise unprocessable(f"this check does not take '{name}'", field=f"body.{name}")


def _require(value: Any, name: str, what: str) -> None:
    if value is None:
        raise unprocessable(f"this check needs {what}", field=f"body.{name}")


async def judge_reading(conn: Connection, version: CheckVersion, request: RecordCheck) -> Judged:
    """Judge what was entered against the version's limits; 422 naming the field otherwise."""
    limits = version.limits
    if isinstance(limits, RangeLimits | TargetLimits):
        _refuse_other_inputs(request, {"value"})
        _require(request.value, "value", "a value")
        assert request.value is not None
        if request.unit is not None and request.unit != limits.unit:
            raise unprocessable(f"the limits are in {limits.unit}", field="body.unit")
        offset = await thermometer_offset(
            conn, request.thermometer_id, version.kitchen_id, "body.thermometer_id"
        )
        value = corrected(request.value, offset)
        return Judged(
            outcome=judge_value(limits, value),
            value=value,
            raw_value=request.value,
            unit=limits.unit,
            thermometer_id=request.thermometer_id,
            calibration_offset=offset if request.thermometer_id else None,
        )
    if request.thermometer_id is not None:
        raise unprocessable("this check takes no thermometer reading", "body.thermometer_id")
    if isinstance(limits, ChecklistLimits):
        _refuse_other_inputs(request, {"items"})
        _require(request.items, "items", "its checklist items")
        assert request.items is not None
        unknown = sorted(set(request.items) - set(limits.items))
        if unknown:
            raise unprocessable(f"not an item of this checklist: {unknown[0]}", "body.items")
        missing = [item for item in limits.items if item not in request.items]
        if missing:
            raise unprocessable(f"say whether each item was done; missing: {missing}", "body.items")
        return Judged(
            outcome=judge_checklist(limits, request.items), details={"items": request.items}
        )
    if isinstance(limits, CalibrationLimits):
        _refuse_other_inputs(request, {"readings"})
        _require(request.readings, "readings", "a reading at each reference point")
        assert request.readings is not None
        points = [r.point for r in request.readings]
        if sorted(points) != sorted(limits.points):
            raise unprocessable(
                f"give one reading at each reference point {limits.points}", "body.readings"
            )
        result = judge_calibration(limits, [(r.point, r.value) for r in request.readings])
        return Judged(
            outcome=result.outcome,
            value=result.max_error,
            unit=limits.unit,
            details={
                "readings": [r.model_dump() for r in request.readings],
                "measured_offset": result.offset,
            },
        )
    assert limits is None or isinstance(limits, TimedLimits)
    _refuse_other_inputs(request, {"done"})
    _require(request.done, "done", "done (true or false)")
    assert request.done is not None
    return Judged(outcome=judge_done(request.done), details={"done": request.done})


async def _validated_due_at(
    conn: Connection, version: CheckVersion, due_at: dt.datetime | None, taken_at: dt.datetime
) -> dt.datetime | None:
    """The occurrence answered: it must be one the schedule (and the days in use) really has."""
    if due_at is None:
        return None
    due_at = due_at.astimezone(dt.UTC)
    if due_at > taken_at + EARLY_ANSWER:
        raise unprocessable("lies more than two hours after the reading", field="body.due_at")
    day = local_date(due_at)
    services = await services_in_use(
        conn, version.kitchen_id, day - dt.timedelta(days=1), day + dt.timedelta(days=1)
    )
    occurrences = due_times(version.schedule, due_at - dt.timedelta(minutes=1), due_at, services)
    if due_at not in occurrences:
        raise unprocessable("is not a scheduled time of this check", field="body.due_at")
    return due_at


async def record_check(ctx: WriteContext, check_id: UUID, request: RecordCheck) -> RecordView:
    """Record a check done by the caller (their token's `sub` is the staff id)."""
    current = await current_version(ctx.conn, check_id)
    ensure_centre(ctx.principal, current.centre_id)
    if current.kind in TIMED_KINDS:
        raise conflict(
            f"a {current.kind} check is recorded as a process: "
            f"POST /haccp/checks/{check_id}/processes",
            code="use-process",
        )
    if current.kind in DELIVERY_KINDS:
        raise conflict(
            f"a goods receipt is recorded with its delivery: "
            f"POST /haccp/kitchens/{current.kitchen_id}/deliveries",
            code="use-delivery",
        )
    now = utc_now()
    taken_at = entry_time(request.taken_at, "body.taken_at", now)
    version = await version_at(ctx.conn, check_id, taken_at)
    if not version.active:
        raise conflict("this check was switched off at that time", code="check-inactive")
    judged = await judge_reading(ctx.conn, version, request)
    due_at = await _validated_due_at(ctx.conn, version, request.due_at, taken_at)
    record_id = await store_record(ctx, version, judged, taken_at, due_at)
    if version.kind == "calibration" and judged.outcome == "ok":
        await _apply_calibration(ctx, version, judged)
    await ctx.audit(
        "haccp_check.record",
        "haccp_record",
        record_id,
        {"check_id": check_id, "outcome": judged.outcome},
    )
    return await record_view(ctx.conn, record_id)


async def _apply_calibration(ctx: WriteContext, version: CheckVersion, judged: Judged) -> None:
    """A passed calibration of a thermometer sets its offset to the one just measured."""
    if version.equipment_id is None or judged.details is None:
        return
    offset = judged.details["measured_offset"]
    updated = await ctx.conn.fetchval(
        "UPDATE haccp_equipment SET calibration_offset = $2 "
        "WHERE equipment_id = $1 AND kind = 'thermometer' RETURNING equipment_id",
        version.equipment_id,
        offset,
    )
    if updated is not None:
        await ctx.audit(
            "haccp_equipment.calibrate",
            "haccp_equipment",
            version.equipment_id,
            {"calibration_offset": offset},
        )


_RECORDS = """
SELECT r.*, v.label, v.limits,
       coalesce(
           (SELECT json_agg(json_build_object(
                       'action_id', a.action_id, 'record_id', a.record_id, 'action', a.action,
                       'taken_at', a.taken_at, 'staff_id', a.staff_id) ORDER BY a.taken_at)
            FROM haccp_corrective_actions a WHERE a.record_id = r.record_id),
           '[]') AS corrective_actions
FROM haccp_records r
JOIN haccp_check_versions v ON v.check_id = r.check_id AND v.version = r.limits_version
"""


def to_record_view(row: asyncpg.Record) -> RecordView:
    """The API view of a row of `_RECORDS`."""
    actions = [CorrectiveActionView.model_validate(a) for a in row["corrective_actions"]]
    return RecordView(
        record_id=row["record_id"],
        check_id=row["check_id"],
        kitchen_id=row["kitchen_id"],
        centre_id=row["centre_id"],
        kind=row["kind"],
        label=row["label"],
        limits_version=row["limits_version"],
        limits=load_limits(row["limits"]),
        due_at=row["due_at"],
        recorded_at=row["recorded_at"],
        value=row["value"],
        raw_value=row["raw_value"],
        unit=row["unit"],
        thermometer_id=row["thermometer_id"],
        calibration_offset=row["calibration_offset"],
        details=row["details"],
        outcome=row["outcome"],
        staff_id=row["staff_id"],
        corrective_actions=actions,
        open=row["outcome"] == "deviation" and not actions,
    )


async def record_view(conn: Connection, record_id: UUID) -> RecordView:
    """One record with its limits and corrective actions."""
    row = await conn.fetchrow(_RECORDS + " WHERE r.record_id = $1", record_id)
    if row is None:
        raise not_found(f"record {record_id}", field="path.record_id")
    return to_record_view(row)


async def kitchen_records(
    conn: Connection,
    kitchen_id: str,
    since: dt.datetime,
    until: dt.datetime,
    *,
    deviations_only: bool = False,
    open_only: bool = False,
) -> Sequence[RecordView]:
    """A kitchen's records in [since, until), oldest first."""
    rows = await conn.fetch(
        _RECORDS
        + """
        WHERE r.kitchen_id = $1 AND r.recorded_at >= $2 AND r.recorded_at < $3
          AND (NOT $4 OR r.outcome = 'deviation')
          AND (NOT $5 OR NOT EXISTS
                (SELECT 1 FROM haccp_corrective_actions a WHERE a.record_id = r.record_id))
        ORDER BY r.recorded_at, r.record_id
        """,
        kitchen_id,
        since,
        until,
        deviations_only or open_only,
        open_only,
    )
    return [to_record_view(row) for row in rows]
