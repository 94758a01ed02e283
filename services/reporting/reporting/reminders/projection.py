"""What the reminders consume (queue `reporting.reminders`): check definitions, records and
processes, the meal services that put a kitchen in use, and who is on kitchen duty.

Every change that can move a check's next due time sets its `next_due_at` back to how far the
scheduler got, so the next tick looks at it again. A record closes the occurrence it answers at
once (if the scheduler already materialised it; otherwise the scheduler finds the record when it
does). A check's row is locked first, in id order, so a record and the scheduler never miss each
other.
"""

from collections.abc import Sequence
from uuid import UUID

from buurtwerk_shared.contracts.events.meals import (
    HaccpCheckDefinedV1,
    HaccpCheckRecordedV1,
    HaccpProcessStartedV1,
    ServiceCancelledV1,
    ServiceChangedV1,
    ServicePlannedV1,
)
from buurtwerk_shared.contracts.events.volunteers import ShiftAssignmentChangedV1
from buurtwerk_shared.db.pool import Connection
from buurtwerk_shared.messaging.consumer import ReceivedEvent
from reporting.reminders.rules import reminder_id

QUEUE = "reporting.reminders"
EVENT_TYPES = (
    HaccpCheckDefinedV1.event_type,
    HaccpCheckRecordedV1.event_type,
    HaccpProcessStartedV1.event_type,
    ServicePlannedV1.event_type,
    ServiceChangedV1.event_type,
    ServiceCancelledV1.event_type,
    ShiftAssignmentChangedV1.event_type,
)

_LOCK_CHECKS = """
SELECT check_id FROM reminder_checks WHERE check_id = ANY($1::uuid[]) ORDER BY check_id FOR UPDATE
"""
_RECHECK_KITCHEN = """
UPDATE reminder_checks SET next_due_at = scanned_until WHERE kitchen_id = $1
"""
# Closing keeps the earliest record, whatever order the records arrive in.
_CLOSE = """
UPDATE reminder_occurrences
SET closed_at = $2, closed_by = $3, on_time = $2 < grace_until
WHERE reminder_id = $1 AND (closed_at IS NULL OR closed_at > $2)
"""
_CLOSE_IN_WINDOW = """
UPDATE reminder_occurrences
SET closed_at = $2, closed_by = $3, on_time = $2 < grace_until
WHERE reminder_id = (
    SELECT reminder_id FROM reminder_occurrences
    WHERE check_id = $1 AND process_id IS NULL AND due_at <= $2
      AND (window_end IS NULL OR $2 < window_end)
    ORDER BY due_at DESC LIMIT 1)
  AND (closed_at IS NULL OR closed_at > $2)
"""


def _check_ids(events: Sequence[ReceivedEvent]) -> list[UUID]:
    ids = {
        e.data.check_id
        for e in events
        if isinstance(e.data, HaccpCheckDefinedV1 | HaccpCheckRecordedV1 | HaccpProcessStartedV1)
    }
    return sorted(ids)


async def project(conn: Connection, events: Sequence[ReceivedEvent]) -> None:
    """Apply a batch of events, in order, after locking the checks they touch."""
    await conn.fetch(_LOCK_CHECKS, _check_ids(events))
    for event in events:
        data = event.data
        if isinstance(data, HaccpCheckDefinedV1):
            await _defined(conn, data)
        elif isinstance(data, HaccpCheckRecordedV1):
            await _recorded(conn, data)
        elif isinstance(data, HaccpProcessStartedV1):
            await _process_started(conn, data)
        elif isinstance(data, ServicePlannedV1):
            await _service_planned(conn, data)
        elif isinstance(data, ServiceChangedV1):
            await _service_changed(conn, data)
        elif isinstance(data, ServiceCancelledV1):
            await _service_cancelled(conn, data)
        elif isinstance(data, ShiftAssignmentChangedV1):
            await _shift_assignment(conn, data)


async def _defined(conn: Connection, data: HaccpCheckDefinedV1) -> None:
    await conn.execute(
        """
        INSERT INTO reminder_check_versions
            (check_id, version, effective_from, kitchen_id, centre_id, kind, label, schedule,
             grace_minutes, level, active)
        VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)
        ON CONFLICT DO NOTHING
        """,
        data.check_id,
        data.version,
        data.effective_from,
        data.kitchen_id,
        data.centre_id,
        data.kind,
        data.label,
        data.schedule.model_dump(),
        data.grace_minutes,
        data.level,
        data.active,
    )
    # Scanning again from an earlier point is safe: occurrences have deterministic ids.
    await conn.execute(
        """
        INSERT INTO reminder_checks (check_id, kitchen_id, centre_id, scanned_until, next_due_at)
        VALUES ($1, $2, $3, $4, $4)
        ON CONFLICT (check_id) DO UPDATE
        SET scanned_until = least(reminder_checks.scanned_until, excluded.scanned_until),
            next_due_at = least(reminder_checks.scanned_until, excluded.scanned_until)
        """,
        data.check_id,
        data.kitchen_id,
        data.centre_id,
        data.effective_from,
    )


async def _recorded(conn: Connection, data: HaccpCheckRecordedV1) -> None:
    inserted = await conn.fetchval(
        """
        INSERT INTO reminder_records (record_id, check_id, due_at, recorded_at)
        VALUES ($1, $2, $3, $4) ON CONFLICT DO NOTHING RETURNING true
        """,
        data.record_id,
        data.check_id,
        data.due_at,
        data.recorded_at,
    )
    if not inserted:
        return
    if data.due_at is not None:
        await conn.execute(
            _CLOSE, reminder_id(data.check_id, data.due_at), data.recorded_at, data.record_id
        )
    else:
        await conn.execute(_CLOSE_IN_WINDOW, data.check_id, data.recorded_at, data.record_id)


async def _process_started(conn: Connection, data: HaccpProcessStartedV1) -> None:
    """A process is due at its deadline; its level and label come from the check version in
    force when it started (the first version, for a process typed in as started before that)."""
    version = await conn.fetchrow(
        """
        SELECT version, label, level, active FROM reminder_check_versions
        WHERE check_id = $1
        ORDER BY CASE WHEN effective_from <= $2 THEN version ELSE -version END DESC LIMIT 1
        """,
        data.check_id,
        data.started_at,
    )
    # A process under a check reporting has not seen yet is treated as required.
    level = "required" if version is None else version["level"]
    if version is not None and (not version["active"] or level == "off"):
        return
    occurrence = reminder_id(data.check_id, data.deadline_at)
    await conn.execute(
        """
        INSERT INTO reminder_occurrences
            (reminder_id, check_id, version, kitchen_id, centre_id, label, kind, level, due_at,
             grace_until, process_id, announce)
        VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $9, $10, true)
        ON CONFLICT DO NOTHING
        """,
        occurrence,
        data.check_id,
        0 if version is None else version["version"],
        data.kitchen_id,
        data.centre_id,
        data.kind if version is None else version["label"],
        data.kind,
        level,
        data.deadline_at,
        data.process_id,
    )
    # The process's record may have come first.
    record = await conn.fetchrow(
        "SELECT record_id, recorded_at FROM reminder_records WHERE check_id = $1 AND due_at = $2 "
        "ORDER BY recorded_at LIMIT 1",
        data.check_id,
        data.deadline_at,
    )
    if record is not None:
        await conn.execute(_CLOSE, occurrence, record["recorded_at"], record["record_id"])


async def _service_planned(conn: Connection, data: ServicePlannedV1) -> None:
    await conn.execute(
        """
        INSERT INTO reminder_services (service_id, kitchen_id, centre_id, date, starts_at)
        VALUES ($1, $2, $3, $4, $5)
        ON CONFLICT (service_id) DO UPDATE
        SET kitchen_id = excluded.kitchen_id, date = excluded.date,
            starts_at = CASE WHEN reminder_services.changed_at IS NULL
                             THEN excluded.starts_at ELSE reminder_services.starts_at END
        """,
        data.service_id,
        data.kitchen_id,
        data.centre_id,
        data.date,
        data.starts_at,
    )
    await conn.execute(_RECHECK_KITCHEN, data.kitchen_id)


async def _service_changed(conn: Connection, data: ServiceChangedV1) -> None:
    if data.starts_at is None:
        return
    kitchen_id = await conn.fetchval(
        """
        INSERT INTO reminder_services (service_id, centre_id, date, starts_at, changed_at)
        VALUES ($1, $2, $3, $4, $5)
        ON CONFLICT (service_id) DO UPDATE
        SET starts_at = excluded.starts_at, changed_at = excluded.changed_at
        WHERE reminder_services.changed_at IS NULL
           OR reminder_services.changed_at <= excluded.changed_at
        RETURNING kitchen_id
        """,
        data.service_id,
        data.centre_id,
        data.date,
        data.starts_at,
        data.changed_at,
    )
    if kitchen_id is not None:
        await conn.execute(_RECHECK_KITCHEN, kitchen_id)


async def _service_cancelled(conn: Connection, data: ServiceCancelledV1) -> None:
    kitchen_id = await conn.fetchval(
        """
        INSERT INTO reminder_services (service_id, centre_id, date, cancelled)
        VALUES ($1, $2, $3, true)
        ON CONFLICT (service_id) DO UPDATE SET cancelled = true
        RETURNING kitchen_id
        """,
        data.service_id,
        data.centre_id,
        data.date,
    )
    if kitchen_id is not None:
        await conn.execute(_RECHECK_KITCHEN, kitchen_id)


async def _shift_assignment(conn: Connection, data: ShiftAssignmentChangedV1) -> None:
    await conn.execute(
        """
        INSERT INTO reminder_shifts
            (shift_id, volunteer_id, centre_id, role, starts_at, ends_at, assigned, changed_at)
        VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
        ON CONFLICT (shift_id, volunteer_id) DO UPDATE
        SET centre_id = excluded.centre_id, role = excluded.role, starts_at = excluded.starts_at,
            ends_at = excluded.ends_at, assigned = excluded.assigned,
            changed_at = excluded.changed_at
        WHERE reminder_shifts.changed_at <= excluded.changed_at
        """,
        data.shift_id,
        data.volunteer_id,
        data.centre_id,
        data.role,
        data.starts_at,
        data.ends_at,
        data.assigned,
        data.changed_at,
    )
