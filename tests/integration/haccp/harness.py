"""Reporting's reminders under test: the consumer and relay of an in-process reporting service,
schedulers on a clock the test controls, and builders of the events reporting consumes."""

import asyncio
import dataclasses
import datetime as dt
import json
from collections.abc import AsyncIterator, Sequence
from dataclasses import dataclass, field
from typing import Any
from uuid import UUID, uuid4

import aio_pika
import asyncpg
import httpx
from aio_pika.abc import AbstractIncomingMessage, AbstractRobustConnection

from buurtwerk_shared.clock import BRUSSELS
from buurtwerk_shared.contracts.events import EventData
from buurtwerk_shared.contracts.events.haccp import Schedule
from buurtwerk_shared.contracts.events.meals import (
    HaccpCheckDefinedV1,
    HaccpCheckRecordedV1,
    HaccpProcessStartedV1,
    ServiceCancelledV1,
    ServicePlannedV1,
)
from buurtwerk_shared.contracts.events.volunteers import ShiftAssignmentChangedV1
from buurtwerk_shared.db.pool import create_pool
from reporting.reminders.projection import QUEUE
from reporting.reminders.scheduler import Scheduler
from reporting.reminders.settings import RemindersSettings
from reporting.service import definition
from reporting.settings import ReportingSettings
from tests.support.apps import in_process, platform_settings
from tests.support.broker import BrokerNamespace, wait_for
from tests.support.databases import DatabaseFactory
from tests.support.events import publish_raw

KITCHEN = "mannenstraat-keuken"
CENTRE = "mannenstraat"


class Clock:
    """A clock the test sets."""

    def __init__(self, now: dt.datetime) -> None:
        self.now = now

    def __call__(self) -> dt.datetime:
        return self.now


@dataclass(frozen=True)
class Emitted:
    """An event a scheduler put in the outbox, and the clock's time when it did."""

    event_id: UUID
    event_type: str
    data: dict[str, Any]
    at: dt.datetime


@dataclass
class Reporting:
    """Reporting's reminders wired to the real broker and a fresh database."""

    url: str
    client: httpx.AsyncClient
    db: asyncpg.Connection
    connection: AbstractRobustConnection
    namespace: BrokerNamespace
    probe: str
    pools: list[asyncpg.Pool] = field(default_factory=list)
    _seen_seq: int = 0

    async def publish(self, *events: EventData) -> None:
        """Publish events to the broker and wait until the reminders consumer took them."""
        ids = [
            await publish_raw(self.connection, self.namespace.topology, event) for event in events
        ]

        async def consumed() -> bool:
            count: int = await self.db.fetchval(
                "SELECT count(*) FROM processed_events WHERE consumer = $1 "
                "AND event_id = ANY($2::uuid[])",
                QUEUE,
                ids,
            )
            return count == len(ids)

        await wait_for(consumed, within=20)

    async def scheduler(self, clock: Clock, **settings: Any) -> Scheduler:
        """A scheduler on its own connection pool, on the given clock."""
        pool = await create_pool(self.url, size=3)
        self.pools.append(pool)
        return Scheduler(pool, clock=clock, settings=RemindersSettings(**settings))

    async def emitted(self, at: dt.datetime) -> list[Emitted]:
        """The reminder events put in the outbox since the last call, stamped with `at`."""
        rows = await self.db.fetch(
            "SELECT seq, event_id, event_type, data FROM outbox "
            "WHERE seq > $1 AND event_type LIKE 'reporting.haccp_%' ORDER BY seq",
            self._seen_seq,
        )
        if rows:
            self._seen_seq = rows[-1]["seq"]
        return [Emitted(r["event_id"], r["event_type"], json.loads(r["data"]), at) for r in rows]

    async def published(self, count: int, within: float = 20) -> list[AbstractIncomingMessage]:
        """Wait until the probe received at least `count` reminder events; all received."""
        channel = await self.connection.channel()
        queue = await channel.get_queue(self.probe)
        received: list[AbstractIncomingMessage] = []

        async def drained() -> bool:
            while (message := await queue.get(no_ack=True, fail=False)) is not None:
                received.append(message)
            return len(received) >= count

        try:
            await wait_for(drained, within=within)
            await asyncio.sleep(0.3)  # anything beyond `count` would show up now
            await drained()
        finally:
            await channel.close()
        return received


async def reporting_harness(
    databases: DatabaseFactory, namespace: BrokerNamespace
) -> AsyncIterator[Reporting]:
    """Reporting in process without its own scheduler (the tests bring theirs)."""
    url = await databases.create(definition().migrations)
    settings = ReportingSettings(database_url=url, platform=platform_settings(namespace))
    service = dataclasses.replace(definition(settings), background=())
    namespace.track(*(c.queue for c in service.consumers))
    db = await asyncpg.connect(url)
    connection = await aio_pika.connect_robust(namespace.amqp_url)
    harness: Reporting | None = None
    try:
        async with in_process(service) as client:
            channel = await connection.channel()
            probe = namespace.name("probe.reminders")
            queue = await channel.declare_queue(probe, durable=True)
            # Only the reminders: reporting also publishes its indicator events.
            for event_type in (
                "reporting.haccp_reminder_due.v1",
                "reporting.haccp_check_overdue.v1",
            ):
                await queue.bind(namespace.topology.events_exchange.name, event_type)
            await channel.close()
            harness = Reporting(url, client, db, connection, namespace, probe)
            yield harness
    finally:
        for pool in harness.pools if harness else []:
            await pool.close()
        await connection.close()
        await db.close()


def local(day: dt.date, clock: str) -> dt.datetime:
    """A local wall-clock time on a day (for times away from the daylight-saving hour)."""
    hours, minutes = clock.split(":")
    return dt.datetime.combine(day, dt.time(int(hours), int(minutes)), tzinfo=BRUSSELS)


def check_defined(
    check_id: UUID,
    label: str,
    schedule: Schedule | dict[str, Any],
    effective_from: dt.datetime,
    *,
    kind: str = "fridge",
    grace_minutes: int = 30,
    level: str = "required",
    version: int = 1,
    active: bool = True,
) -> HaccpCheckDefinedV1:
    """A `meals.haccp_check_defined.v1` of the test kitchen."""
    return HaccpCheckDefinedV1.model_validate(
        {
            "check_id": check_id,
            "version": version,
            "effective_from": effective_from,
            "kitchen_id": KITCHEN,
            "centre_id": CENTRE,
            "kind": kind,
            "label": label,
            "schedule": schedule,
            "grace_minutes": grace_minutes,
            "limits": None,
            "level": level,
            "active": active,
        }
    )


def recorded(
    check_id: UUID,
    recorded_at: dt.datetime,
    due_at: dt.datetime | None = None,
    kind: str = "fridge",
) -> HaccpCheckRecordedV1:
    """A `meals.haccp_check_recorded.v1` of the test kitchen."""
    return HaccpCheckRecordedV1.model_validate(
        {
            "record_id": uuid4(),
            "check_id": check_id,
            "limits_version": 1,
            "kitchen_id": KITCHEN,
            "centre_id": CENTRE,
            "kind": kind,
            "due_at": due_at,
            "recorded_at": recorded_at,
            "value": 3.0,
            "outcome": "ok",
            "staff_id": "staff-1",
        }
    )


def service_planned(day: dt.date, start: str, service_id: UUID | None = None) -> ServicePlannedV1:
    """A meal service in the test kitchen."""
    return ServicePlannedV1(
        service_id=service_id or uuid4(),
        centre_id=CENTRE,
        kitchen_id=KITCHEN,
        date=day,
        starts_at=local(day, start),
        capacity=40,
        prices={"standard": 650},
        dishes=[],
    )


def service_cancelled(service_id: UUID, day: dt.date) -> ServiceCancelledV1:
    """A cancelled meal service."""
    return ServiceCancelledV1(service_id=service_id, centre_id=CENTRE, date=day, reason="Ziekte")


def process_started(
    check_id: UUID, started_at: dt.datetime, within: dt.timedelta, kind: str = "cooling"
) -> HaccpProcessStartedV1:
    """A cooling (or reheating) process in the test kitchen."""
    return HaccpProcessStartedV1.model_validate(
        {
            "process_id": uuid4(),
            "check_id": check_id,
            "kitchen_id": KITCHEN,
            "centre_id": CENTRE,
            "kind": kind,
            "started_at": started_at,
            "start_value": 65.0,
            "deadline_at": started_at + within,
        }
    )


def on_kitchen_duty(
    volunteer_id: UUID,
    starts_at: dt.datetime,
    ends_at: dt.datetime,
    *,
    assigned: bool = True,
    centre_id: str = CENTRE,
    role: str = "kitchen",
    shift_id: UUID | None = None,
    changed_at: dt.datetime | None = None,
) -> ShiftAssignmentChangedV1:
    """A volunteer (un)assigned to a shift."""
    return ShiftAssignmentChangedV1.model_validate(
        {
            "shift_id": shift_id or uuid4(),
            "volunteer_id": volunteer_id,
            "centre_id": centre_id,
            "role": role,
            "starts_at": starts_at,
            "ends_at": ends_at,
            "assigned": assigned,
            "changed_at": changed_at or starts_at - dt.timedelta(days=1),
        }
    )


async def run_until(
    reporting: Reporting,
    schedulers: Sequence[Scheduler],
    clock: Clock,
    end: dt.datetime,
    timeline: Sequence[tuple[dt.datetime, EventData]] = (),
    step: dt.timedelta = dt.timedelta(hours=1),
    announced: list[int] | None = None,
) -> list[Emitted]:
    """Move the clock to `end`, stopping at every time a scheduler has work, every `step`, and
    every timeline event (published and consumed when the clock reaches it); all schedulers tick
    together at each stop. The events the schedulers emitted, stamped with the clock; with
    `announced`, how many events each scheduler emitted is added to it."""
    pending = sorted(timeline, key=lambda item: item[0])
    emitted: list[Emitted] = []
    while clock.now < end:
        stops = [clock.now + step, end]
        wake = await schedulers[0].next_wake()
        if wake is not None and wake > clock.now:
            stops.append(wake)
        if pending:
            stops.append(max(pending[0][0], clock.now + dt.timedelta(microseconds=1)))
        clock.now = min(stops)
        due_events = [event for at, event in pending if at <= clock.now]
        pending = [(at, event) for at, event in pending if at > clock.now]
        if due_events:
            await reporting.publish(*due_events)
        results = await asyncio.gather(*(s.tick() for s in schedulers))
        if announced is not None:
            for i, result in enumerate(results):
                announced[i] += result.reminded + result.escalated
        emitted.extend(await reporting.emitted(clock.now))
    return emitted
