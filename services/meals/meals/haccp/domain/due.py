"""The "due now" list of a kitchen: what the tablet shows so a volunteer records it in a tap.

Today's scheduled occurrences (local day) and those of the next two hours, each with its status:
done when a record answers it (one naming that `due_at`, else the first record of the check after
the due time and before the next occurrence, as the catalogue's reminder rules say), else
upcoming, due (within the grace time) or overdue; running and overdue cooling or reheating
processes beside them.
"""

import datetime as dt
from collections.abc import Sequence
from uuid import UUID

from buurtwerk_shared.clock import BRUSSELS
from buurtwerk_shared.contracts.events.haccp import CalibrationLimits, ChecklistLimits
from buurtwerk_shared.db.pool import Connection
from buurtwerk_shared.haccp_schedule import MealServiceSlot, due_times, local_date, next_due_after
from buurtwerk_shared.web.auth import Principal
from meals.haccp.api.schemas import DueCheck, DueInput, DueList, DueProcess, DueStatus
from meals.haccp.domain.checks import CheckVersion, kitchen_checks
from meals.haccp.domain.common import kitchen_in_scope, services_in_use
from meals.haccp.domain.defaults import DELIVERY_KINDS, TIMED_KINDS
from meals.haccp.domain.deviations import count_open_deviations
from meals.haccp.domain.processes import kitchen_processes

LOOKAHEAD = dt.timedelta(hours=2)
_STATUS_ORDER: dict[DueStatus, int] = {"overdue": 0, "due": 1, "upcoming": 2, "done": 3}


def _input(version: CheckVersion) -> DueInput:
    if version.kind in TIMED_KINDS:
        return "process"
    if version.kind in DELIVERY_KINDS:
        return "delivery"
    if isinstance(version.limits, ChecklistLimits):
        return "checklist"
    if isinstance(version.limits, CalibrationLimits):
        return "calibration"
    return "done" if version.limits is None else "value"


def answering_record(
    due_at: dt.datetime,
    window_end: dt.datetime | None,
    records: Sequence[tuple[UUID, dt.datetime | None, dt.datetime]],
) -> UUID | None:
    """The record (id, due_at, recorded_at) that closes an occurrence, per the catalogue's rules."""
    for record_id, answers, _ in records:
        if answers == due_at:
            return record_id
    for record_id, answers, recorded_at in sorted(records, key=lambda r: r[2]):
        if (
            answers is None
            and recorded_at >= due_at
            and (window_end is None or recorded_at < window_end)
        ):
            return record_id
    return None


async def due_list(
    conn: Connection, principal: Principal, kitchen_id: str, at: dt.datetime
) -> DueList:
    """What a kitchen has to record at `at` (normally now)."""
    kitchen = kitchen_in_scope(principal, kitchen_id)
    day_start = dt.datetime.combine(local_date(at), dt.time(0), tzinfo=BRUSSELS).astimezone(dt.UTC)
    until = at + LOOKAHEAD
    services = await services_in_use(
        conn,
        kitchen.id,
        local_date(day_start) - dt.timedelta(days=1),
        local_date(until) + dt.timedelta(days=40),
    )
    equipment = {
        row["equipment_id"]: row["label"]
        for row in await conn.fetch(
            "SELECT equipment_id, label FROM haccp_equipment WHERE kitchen_id = $1", kitchen.id
        )
    }
    checks: list[DueCheck] = []
    for version in await kitchen_checks(conn, kitchen.id):
        if not version.active or version.level == "off":
            continue
        checks.extend(await _occurrences(conn, version, day_start, until, at, services, equipment))
    checks.sort(key=lambda c: (_STATUS_ORDER[c.status], c.due_at, c.label))
    processes = [
        DueProcess(
            process_id=p.process_id,
            check_id=p.check_id,
            label=p.label,
            kind=p.kind,
            product=p.product,
            deadline_at=p.deadline_at,
            status=p.status,
        )
        for p in await kitchen_processes(
            conn,
            kitchen.id,
            at - dt.timedelta(days=2),
            at + dt.timedelta(minutes=5),
            unconcluded_only=True,
        )
    ]
    processes.sort(key=lambda p: p.deadline_at)
    return DueList(
        kitchen_id=kitchen.id,
        at=at,
        checks=checks,
        processes=processes,
        open_deviations=await count_open_deviations(conn, kitchen.id),
    )


async def _occurrences(
    conn: Connection,
    version: CheckVersion,
    since: dt.datetime,
    until: dt.datetime,
    at: dt.datetime,
    services: Sequence[MealServiceSlot],
    equipment: dict[UUID, str],
) -> list[DueCheck]:
    times = due_times(version.schedule, since - dt.timedelta(microseconds=1), until, services)
    if not times:
        return []
    records = [
        (row["record_id"], row["due_at"], row["recorded_at"])
        for row in await conn.fetch(
            """
            SELECT record_id, due_at, recorded_at FROM haccp_records
            WHERE check_id = $1 AND (recorded_at >= $2 OR due_at >= $2)
            """,
            version.check_id,
            since,
        )
    ]
    found: list[DueCheck] = []
    for due_at in times:
        grace_until = due_at + dt.timedelta(minutes=version.grace_minutes)
        record_id = answering_record(
            due_at, next_due_after(version.schedule, due_at, services), records
        )
        status: DueStatus
        if record_id is not None:
            status = "done"
        elif due_at > at:
            status = "upcoming"
        elif at <= grace_until:
            status = "due"
        else:
            status = "overdue"
        found.append(
            DueCheck(
                check_id=version.check_id,
                label=version.label,
                kind=version.kind,
                level=version.level,
                due_at=due_at,
                grace_until=grace_until,
                status=status,
                input=_input(version),
                limits=version.limits,
                equipment_id=version.equipment_id,
                equipment_label=equipment.get(version.equipment_id)
                if version.equipment_id
                else None,
                record_id=record_id,
            )
        )
    return found
