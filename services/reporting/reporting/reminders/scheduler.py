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
from functools import partial
from uuid import UUID

import asyncpg
from pydantic import TypeAdapter

from buurtwerk_shared import clock
from buurtwerk_shared.contracts.events.haccp import Schedule
from buurtwerk_shared.contracts.events.reporting import HaccpCheckOverdueV1, HaccpReminderDueV1
from buurtwerk_shared.db.pool import Connection
from buurtwerk_shared.haccp_schedule import NEXT_DUE_HORIZON, MealServiceSlot, local_date
from buurtwerk_shared.messaging.consumer import TRANSIENT_ERRORS
from buurtwerk_shared.messaging.outbox import emit
from buurtwerk_shared.observability.tracing import continue_trace
from buurtwerk_shared.service.definition import BackgroundContext
from reporting.reminders.metrics import OVERDUE_UNHANDLED, REMINDER_DELAY
from reporting.reminders.queries import MISSED_SHOWN_FOR
from reporting.reminders.rules import (
    CheckVersion,
    Due,
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
# How often the overdue-unhandled gauge is read from the database: its alert waits an hour.
OVERDUE_EXPORT_SECONDS = 15.0


def system_clock() -> dt.datetime:
    """The real time, in UTC."""
    return clock.now()


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
        self._overdue_kitchens: set[str] = set()

    async def tick(self) -> TickResult:
        """Do everything that is due at the clock's current time."""
        now = self._clock()
        continue_trace(None)  # the events of one tick share a fresh trace id
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

    async def export_overdue(self) -> None:
        """Set the overdue-unhandled gauge per kitchen from the open escalations.

        The gauge counts from the clock at each scrape, so it grows while the scheduler sleeps.
        """
        async with self._pool.acquire() as conn:
            rows = await conn.fetch(
                """
                SELECT kitchen_id, min(grace_until) AS since FROM reminder_occurrences
                WHERE overdue_at IS NOT NULL AND closed_at IS NULL
                  AND grace_until > $1::timestamptz - $2::interval
                GROUP BY kitchen_id
                """,
                self._clock(),
                MISSED_SHOWN_FOR,
            )
        overdue: dict[str, dt.datetime] = {row["kitchen_id"]: row["since"] for row in rows}
        for kitchen_id in self._overdue_kitchens - overdue.keys():
            OVERDUE_UNHANDLED.remove(kitchen_id)
        for kitchen_id, since in overdue.items():
            OVERDUE_UNHANDLED.labels(kitchen_id).set_function(partial(self._seconds_since, since))
        self._overdue_kitchens = set(overdue)

    def _seconds_since(self, since: dt.datetime) -> float:
        return (self._clock() - since).total_seconds()

    async def run(self, stopping: asyncio.Event) -> None:
        """Tick until `stopping` is set, sleeping until the next due time in between."""
        poll = self._settings.poll_seconds
        loop = asyncio.get_running_loop()
        exported_at = -OVERDUE_EXPORT_SECONDS
        while not stopping.is_set():
            try:
                await self.tick()
                if loop.time() - exported_at >= OVERDUE_EXPORT_SECONDS:
                    await self.export_overdue()
                    exported_at = loop.time()
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
            if not checks:
                return 0
            # The whole batch's state in three queries, then one insert and one update.
            check_ids = [c["check_id"] for c in checks]
            since = min(c["scanned_until"] for c in checks)
            versions = await _versions(conn, check_ids)
            services = await _services(
                conn, list({c["kitchen_id"] for c in checks}), since, now + NEXT_DUE_HORIZON
            )
            records = await _records(conn, check_ids, since)
            announce_from = now - dt.timedelta(hours=self._settings.catch_up_hours)
            rows: list[tuple[object, ...]] = []
            looks: list[tuple[UUID, dt.datetime, dt.datetime | None]] = []
            for check in checks:
                check_id = check["check_id"]
                kitchen_services = services.get(check["kitchen_id"], [])
                check_versions = versions.get(check_id, [])
                for due in occurrences(
                    check_versions, check["scanned_until"], now, kitchen_services
                ):
                    rows.append(_occurrence_row(due, records.get(check_id, []), announce_from))
                looks.append((check_id, now, _next_look(check_versions, now, kitchen_services)))
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
            await conn.executemany(
                """
                UPDATE reminder_checks
                SET scanned_until = greatest(scanned_until, $2), next_due_at = $3
                WHERE check_id = $1
                """,
                looks,
            )
        return len(checks)

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
            on_duty = await _on_duty(conn, [(o["centre_id"], o["due_at"]) for o in due])
            for occurrence, volunteers in zip(due, on_duty, strict=True):
                await emit(
                    conn,
                    HaccpReminderDueV1(
                        reminder_id=occurrence["reminder_id"],
                        check_id=occurrence["check_id"],
                        kitchen_id=occurrence["kitchen_id"],
                        centre_id=occurrence["centre_id"],
                        due_at=occurrence["due_at"],
                        on_duty_volunteer_ids=volunteers,
                    ),
                    event_id=occurrence["reminder_id"],
                )
            await conn.executemany(
                """
                UPDATE reminder_occurrences SET reminded_at = $2, on_duty_volunteer_ids = $3
                WHERE reminder_id = $1
                """,
                [(o["reminder_id"], now, v) for o, v in zip(due, on_duty, strict=True)],
            )
        committed = self._clock()
        for occurrence in due:
            delay = (committed - occurrence["due_at"]).total_seconds()
            REMINDER_DELAY.labels("due").observe(delay)
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
        committed = self._clock()
        for occurrence in overdue:
            delay = (committed - occurrence["grace_until"]).total_seconds()
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


def _occurrence_row(
    due: Due, records: list[Record], announce_from: dt.datetime
) -> tuple[object, ...]:
    """The `reminder_occurrences` row of a due occurrence, closed if a record answers it."""
    version = due.version
    record = closing_record(due.due_at, due.window_end, records)
    return (
        reminder_id(version.check_id, due.due_at),
        version.check_id,
        version.version,
        version.kitchen_id,
        version.centre_id,
        version.label,
        version.kind,
        version.level,
        due.due_at,
        due.grace_until,
        due.window_end,
        due.due_at >= announce_from,
        None if record is None else record.recorded_at,
        None if record is None else record.record_id,
        None if record is None else on_time(record.recorded_at, due.grace_until),
    )


async def _versions(conn: Connection, check_ids: list[UUID]) -> dict[UUID, list[CheckVersion]]:
    rows = await conn.fetch(
        "SELECT * FROM reminder_check_versions WHERE check_id = ANY($1::uuid[]) "
        "ORDER BY check_id, version",
        check_ids,
    )
    found: dict[UUID, list[CheckVersion]] = {}
    for row in rows:
        found.setdefault(row["check_id"], []).append(
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
        )
    return found


async def _services(
    conn: Connection, kitchen_ids: list[str], since: dt.datetime, until: dt.datetime
) -> dict[str, list[MealServiceSlot]]:
    """The kitchens' meal services that are not cancelled, by kitchen."""
    rows = await conn.fetch(
        """
        SELECT kitchen_id, date, starts_at FROM reminder_services
        WHERE kitchen_id = ANY($1::text[]) AND NOT cancelled AND date BETWEEN $2 AND $3
        """,
        kitchen_ids,
        local_date(since) - dt.timedelta(days=1),
        local_date(until) + dt.timedelta(days=1),
    )
    found: dict[str, list[MealServiceSlot]] = {}
    for row in rows:
        found.setdefault(row["kitchen_id"], []).append(
            MealServiceSlot(row["date"], row["starts_at"])
        )
    return found


async def _records(
    conn: Connection, check_ids: list[UUID], since: dt.datetime
) -> dict[UUID, list[Record]]:
    """The checks' records that may close an occurrence due after `since`, by check."""
    rows = await conn.fetch(
        """
        SELECT check_id, record_id, due_at, recorded_at FROM reminder_records
        WHERE check_id = ANY($1::uuid[]) AND (recorded_at >= $2 OR due_at >= $2)
        """,
        check_ids,
        since,
    )
    found: dict[UUID, list[Record]] = {}
    for row in rows:
        found.setdefault(row["check_id"], []).append(
            Record(row["record_id"], row["due_at"], row["recorded_at"])
        )
    return found


async def _on_duty(conn: Connection, moments: list[tuple[str, dt.datetime]]) -> list[list[UUID]]:
    """For each (centre, moment): the volunteers on kitchen duty there and then."""
    if not moments:
        return []
    rows = await conn.fetch(
        """
        SELECT m.i, array_agg(DISTINCT s.volunteer_id ORDER BY s.volunteer_id)
                    FILTER (WHERE s.volunteer_id IS NOT NULL) AS volunteers
        FROM unnest($1::text[], $2::timestamptz[]) WITH ORDINALITY AS m(centre_id, at, i)
        LEFT JOIN reminder_shifts s
               ON s.centre_id = m.centre_id AND s.role = 'kitchen' AND s.assigned
              AND s.starts_at <= m.at AND s.ends_at > m.at
        GROUP BY m.i ORDER BY m.i
        """,
        [centre for centre, _ in moments],
        [at for _, at in moments],
    )
    return [list(row["volunteers"] or []) for row in rows]


async def run_scheduler(context: BackgroundContext) -> None:
    """The reporting service's background task: the scheduler on the real clock."""
    await Scheduler(context.pool).run(context.stopping)
