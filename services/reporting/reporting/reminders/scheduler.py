"""The reminder scheduler: a background task of the reporting service.

Each tick, with the time from an injected clock:
1. materialise: claim the checks whose next due time has come (`FOR UPDATE SKIP LOCKED`), insert
   their occurrences since the last scan (deterministic ids, `ON CONFLICT DO NOTHING`), closing at
   once those a record already answers;
2. remind: claim the due occurrences not yet announced nor closed, emit
   `reporting.haccp_reminder_due.v1` through the outbox with the reminder id as event id;
3. escalate: claim the required occurrences whose grace time has passed unclosed, emit
   `reporting.haccp_check_overdue.v1`.
Every step commits its claim and its events together, so two replicas never announce an occurrence
twice and a restart loses nothing: all state is in PostgreSQL. Between ticks the scheduler sleeps
until the next known due time, and at most `poll_seconds`.
"""

import asyncio
import contextlib
import datetime as dt
import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from uuid import UUID

import asyncpg
from pydantic import TypeAdapter

from buurtwerk_shared.contracts.events.haccp import Schedule
from buurtwerk_shared.contracts.events.reporting import HaccpCheckOverdueV1, HaccpReminderDueV1
from buurtwerk_shared.db.pool import Connection
from buurtwerk_shared.haccp_schedule import NEXT_DUE_HORIZON, MealServiceSlot, local_date
from buurtwerk_shared.messaging.consumer import TRANSIENT_ERRORS
from buurtwerk_shared.messaging.outbox import emit
from buurtwerk_shared.service.definition import BackgroundContext
from reporting.reminders.metrics import REMINDER_DELAY
from reporting.reminders.rules import (
    CheckVersion,
    Record,
    closing_record,
    in_force,
    next_occurrence,
    occurrences,
    on_time,
    overdue_event_id,
    reminder_id,
)
from reporting.reminders.settings import RemindersSettings

log = logging.getLogger(__name__)

Clock = Callable[[], dt.datetime]
SCHEDULE: TypeAdapter[Schedule] = TypeAdapter(Schedule)
# The shortest sleep, so that work another replica holds is not polled in a tight loop.
MIN_SLEEP_SECONDS = 0.02


def system_clock() -> dt.datetime:
    """The real time, in UTC."""
    return dt.datetime.now(dt.UTC)


@dataclass(frozen=True)
class TickResult:
    """What one tick did."""

    checks_scanned: int
    reminded: int
    escalated: int


class Scheduler:
    """Turns check schedules into reminders and escalations, once, whatever the replicas."""

    def __init__(
        self,
        pool: asyncpg.Pool,
        *,
        clock: Clock = system_clock,
        settings: RemindersSettings | None = None,
    ) -> None:
        self._pool = pool
        self._clock = clock
        self._settings = settings or RemindersSettings()

    async def tick(self) -> TickResult:
        """Do everything that is due at the clock's current time."""
        now = self._clock()
        return TickResult(
            checks_scanned=await self._until_done(self._materialise, now),
            reminded=await self._until_done(self._remind, now),
            escalated=await self._until_done(self._escalate, now),
        )

    async def _until_done(
        self, step: Callable[[dt.datetime], Awaitable[int]], now: dt.datetime
    ) -> int:
        """Run a step batch after batch until a batch comes back short."""
        total = 0
        while True:
            done = await step(now)
            total += done
            if done < self._settings.batch_size:
                return total

    async def next_wake(self) -> dt.datetime | None:
        """The earliest time at which a tick has something to do, if any is known."""
        async with self._pool.acquire() as conn:
            wake: dt.datetime | None = await conn.fetchval(
                """
                SELECT least(
                    (SELECT min(next_due_at) FROM reminder_checks),
                    (SELECT min(due_at) FROM reminder_occurrences
                     WHERE announce AND reminded_at IS NULL AND closed_at IS NULL),
                    (SELECT min(grace_until) FROM reminder_occurrences
                     WHERE announce AND level = 'required' AND overdue_at IS NULL
                       AND closed_at IS NULL))
                """
            )
        return wake

    async def run(self, stopping: asyncio.Event) -> None:
        """Tick until `stopping` is set, sleeping until the next due time in between."""
        poll = self._settings.poll_seconds
        while not stopping.is_set():
            try:
                await self.tick()
                wake = await self.next_wake()
            except TRANSIENT_ERRORS as exc:
                log.warning("reminder scheduler: database unavailable, retrying: %r", exc)
                wake = None
            sleep = poll
            if wake is not None:
                until_wake = (wake - self._clock()).total_seconds()
                sleep = min(poll, max(until_wake, MIN_SLEEP_SECONDS))
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(stopping.wait(), sleep)

    async def _materialise(self, now: dt.datetime) -> int:
        async with self._pool.acquire() as conn, conn.transaction():
            checks = await conn.fetch(
                """
                SELECT check_id, kitchen_id, scanned_until FROM reminder_checks
                WHERE next_due_at <= $1 ORDER BY next_due_at LIMIT $2
                FOR UPDATE SKIP LOCKED
                """,
                now,
                self._settings.batch_size,
            )
            for check in checks:
                await self._materialise_check(conn, check, now)
        return len(checks)

    async def _materialise_check(
        self, conn: Connection, check: asyncpg.Record, now: dt.datetime
    ) -> None:
        check_id: UUID = check["check_id"]
        since: dt.datetime = check["scanned_until"]
        versions = await _versions(conn, check_id)
        services = await _services(conn, check["kitchen_id"], since, now + NEXT_DUE_HORIZON)
        found = occurrences(versions, since, now, services) if since < now else []
        if found:
            records = await _records(conn, check_id, found[0].due_at)
            announce_from = now - dt.timedelta(hours=self._settings.catch_up_hours)
            rows = []
            for due in found:
                record = closing_record(due.due_at, due.window_end, records)
                rows.append(
                    (
                        reminder_id(check_id, due.due_at),
                        check_id,
                        due.version.version,
                        due.version.kitchen_id,
                        due.version.centre_id,
                        due.version.label,
                        due.version.kind,
                        due.version.level,
                        due.due_at,
                        due.grace_until,
                        due.window_end,
                        due.due_at >= announce_from,
                        None if record is None else record.recorded_at,
                        None if record is None else record.record_id,
                        None if record is None else on_time(record.recorded_at, due.grace_until),
                    )
                )
            await conn.executemany(
                """
                INSERT INTO reminder_occurrences
                    (reminder_id, check_id, version, kitchen_id, centre_id, label, kind, level,
                     due_at, grace_until, window_end, announce, closed_at, closed_by, on_time)
                VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15)
                ON CONFLICT DO NOTHING
                """,
                rows,
            )
        await conn.execute(
            """
            UPDATE reminder_checks SET scanned_until = greatest(scanned_until, $2),
                                       next_due_at = $3
            WHERE check_id = $1
            """,
            check_id,
            now,
            _next_look(versions, now, services),
        )

    async def _remind(self, now: dt.datetime) -> int:
        async with self._pool.acquire() as conn, conn.transaction():
            due = await conn.fetch(
                """
                SELECT reminder_id, check_id, kitchen_id, centre_id, due_at
                FROM reminder_occurrences
                WHERE announce AND reminded_at IS NULL AND closed_at IS NULL AND due_at <= $1
                ORDER BY due_at LIMIT $2
                FOR UPDATE SKIP LOCKED
                """,
                now,
                self._settings.batch_size,
            )
            for occurrence in due:
                on_duty = await _on_duty(conn, occurrence["centre_id"], occurrence["due_at"])
                await emit(
                    conn,
                    HaccpReminderDueV1(
                        reminder_id=occurrence["reminder_id"],
                        check_id=occurrence["check_id"],
                        kitchen_id=occurrence["kitchen_id"],
                        centre_id=occurrence["centre_id"],
                        due_at=occurrence["due_at"],
                        on_duty_volunteer_ids=on_duty,
                    ),
                    event_id=occurrence["reminder_id"],
                )
                await conn.execute(
                    """
                    UPDATE reminder_occurrences SET reminded_at = $2, on_duty_volunteer_ids = $3
                    WHERE reminder_id = $1
                    """,
                    occurrence["reminder_id"],
                    now,
                    on_duty,
                )
        for occurrence in due:
            REMINDER_DELAY.labels("due").observe((now - occurrence["due_at"]).total_seconds())
        return len(due)

    async def _escalate(self, now: dt.datetime) -> int:
        async with self._pool.acquire() as conn, conn.transaction():
            overdue = await conn.fetch(
                """
                SELECT reminder_id, check_id, kitchen_id, centre_id, due_at, grace_until
                FROM reminder_occurrences
                WHERE announce AND level = 'required' AND overdue_at IS NULL
                  AND closed_at IS NULL AND reminded_at IS NOT NULL AND grace_until <= $1
                ORDER BY grace_until LIMIT $2
                FOR UPDATE SKIP LOCKED
                """,
                now,
                self._settings.batch_size,
            )
            for occurrence in overdue:
                await emit(
                    conn,
                    HaccpCheckOverdueV1(
                        reminder_id=occurrence["reminder_id"],
                        check_id=occurrence["check_id"],
                        kitchen_id=occurrence["kitchen_id"],
                        centre_id=occurrence["centre_id"],
                        due_at=occurrence["due_at"],
                        overdue_since=occurrence["grace_until"],
                    ),
                    event_id=overdue_event_id(occurrence["reminder_id"]),
                )
                await conn.execute(
                    "UPDATE reminder_occurrences SET overdue_at = $2 WHERE reminder_id = $1",
                    occurrence["reminder_id"],
                    now,
                )
        for occurrence in overdue:
            delay = (now - occurrence["grace_until"]).total_seconds()
            REMINDER_DELAY.labels("overdue").observe(delay)
        return len(overdue)


def _next_look(
    versions: list[CheckVersion], now: dt.datetime, services: list[MealServiceSlot]
) -> dt.datetime | None:
    """When to look at a check again: its next due time; else, while it is on, once the
    look-ahead has moved on (days in use may come); else never, until an event changes it."""
    upcoming = next_occurrence(versions, now, services)
    if upcoming is not None:
        return upcoming
    current = in_force(versions, now)
    later = [v for v in versions if v.effective_from > now]
    if (current is not None and current.reminds) or any(v.reminds for v in later):
        return now + NEXT_DUE_HORIZON
    return None


async def _versions(conn: Connection, check_id: UUID) -> list[CheckVersion]:
    rows = await conn.fetch(
        "SELECT * FROM reminder_check_versions WHERE check_id = $1 ORDER BY version", check_id
    )
    return [
        CheckVersion(
            check_id=row["check_id"],
            version=row["version"],
            effective_from=row["effective_from"],
            kitchen_id=row["kitchen_id"],
            centre_id=row["centre_id"],
            kind=row["kind"],
            label=row["label"],
            schedule=SCHEDULE.validate_python(row["schedule"]),
            grace_minutes=row["grace_minutes"],
            level=row["level"],
            active=row["active"],
        )
        for row in rows
    ]


async def _services(
    conn: Connection, kitchen_id: str, since: dt.datetime, until: dt.datetime
) -> list[MealServiceSlot]:
    rows = await conn.fetch(
        """
        SELECT date, starts_at FROM reminder_services
        WHERE kitchen_id = $1 AND NOT cancelled AND date BETWEEN $2 AND $3
        """,
        kitchen_id,
        local_date(since) - dt.timedelta(days=1),
        local_date(until) + dt.timedelta(days=1),
    )
    return [MealServiceSlot(row["date"], row["starts_at"]) for row in rows]


async def _records(conn: Connection, check_id: UUID, since: dt.datetime) -> list[Record]:
    rows = await conn.fetch(
        """
        SELECT record_id, due_at, recorded_at FROM reminder_records
        WHERE check_id = $1 AND (recorded_at >= $2 OR due_at >= $2)
        """,
        check_id,
        since,
    )
    return [Record(row["record_id"], row["due_at"], row["recorded_at"]) for row in rows]


async def _on_duty(conn: Connection, centre_id: str, at: dt.datetime) -> list[UUID]:
    """The volunteers on kitchen duty at the centre at that moment."""
    rows = await conn.fetch(
        """
        SELECT DISTINCT volunteer_id FROM reminder_shifts
        WHERE centre_id = $1 AND role = 'kitchen' AND assigned
          AND starts_at <= $2 AND ends_at > $2
        ORDER BY volunteer_id
        """,
        centre_id,
        at,
    )
    return [row["volunteer_id"] for row in rows]


async def run_scheduler(context: BackgroundContext) -> None:
    """The reporting service's background task: the scheduler on the real clock."""
    await Scheduler(context.pool).run(context.stopping)
