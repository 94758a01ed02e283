"""Rebuild every projection from the archive stream, into fresh tables swapped in at the end.

`python -m reporting rebuild` reads `buurtwerk.archive` from its first event (a stream consumer
with `x-stream-offset: first`, manual acknowledgement and a large prefetch), applies the events
in batches with the same idempotent projection code as the live consumer, into tables of a new
schema, while the service keeps answering from the current tables. Caught up, it takes the
projection lock exclusively (live batches hold it shared, so they pause), reads the stream to its
end again, and in one transaction moves the new tables into place and drops the old ones. Every
event the live consumer committed before the swap was already in the stream, so the new tables
have it; what it commits after the swap lands in the new tables (every upsert is idempotent, so
an event in both is counted once). Every indicator table from the first date on, and every one
ever published, is then marked dirty so the publisher recomputes and republishes what changed.

Voided events (`reporting.projections.voids`) are skipped: those recorded before the rebuild
starts from the first event on, so the swap takes them out of every table at once. A void first
met in the stream (a database restored without its `voided_events`) comes after the events it
voids, which were applied already: `rebuild` then runs once more.
"""

import asyncio
import contextlib
import datetime as dt
import json
import logging
import time
from dataclasses import dataclass
from uuid import UUID

import aio_pika
import asyncpg
from aio_pika.abc import AbstractIncomingMessage

from buurtwerk_shared.contracts.events.operations import EventsVoidedV1
from buurtwerk_shared.messaging.consumer import InvalidMessage, ReceivedEvent, decode
from buurtwerk_shared.messaging.topology import Topology
from reporting.indicators.registry import COMPUTATIONS
from reporting.projections import vetting, voids
from reporting.projections.marks import Marks
from reporting.projections.project import EVENT_TYPES, PROJECTION_LOCK, apply
from reporting.settings import ReportingSettings

log = logging.getLogger(__name__)

# The tables built from events (and manual values): rebuilt and swapped together.
PROJECTION_TABLES = (
    "meal_registrations",
    "meal_registration_corrections",
    "meal_services",
    "meal_first_meals",
    "haccp_deviations",
    "haccp_corrective_actions",
    "kitchen_refurbishment",
    "volunteer_shifts",
    "volunteer_status_changes",
    "volunteer_milestones",
    "volunteer_appreciations",
    "activities",
    "activity_sessions",
    "enrolment_changes",
    "attendances",
    "computer_corner_visits",
    "desk_contacts",
    "youth_referrals",
    "youth_referral_outcomes",
    "manual_values",
)
# Only one rebuild at a time.
REBUILD_LOCK = 7_000_002
_TYPES = frozenset(EVENT_TYPES)
# The first date any projection holds: every period since may have changed.
_EARLIEST = """
SELECT least(
    (SELECT min(date) FROM meal_registrations), (SELECT min(date) FROM meal_services),
    (SELECT min(date) FROM haccp_deviations), (SELECT min(date) FROM kitchen_refurbishment),
    (SELECT min(date) FROM volunteer_shifts), (SELECT min(date) FROM volunteer_status_changes),
    (SELECT min(date) FROM volunteer_milestones), (SELECT min(date) FROM volunteer_appreciations),
    (SELECT min(date) FROM activity_sessions), (SELECT min(date) FROM enrolment_changes),
    (SELECT min(date) FROM attendances), (SELECT min(date) FROM computer_corner_visits),
    (SELECT min(date) FROM desk_contacts), (SELECT min(date) FROM youth_referrals),
    (SELECT min(period_first) FROM manual_values)
)
"""
_MARK_PUBLISHED = """
INSERT INTO indicator_dirty (indicator_id, period, due_at)
SELECT DISTINCT indicator_id, period, now() FROM indicator_published
ON CONFLICT (indicator_id, period) DO UPDATE SET version = indicator_dirty.version + 1
"""


@dataclass(frozen=True)
class RebuildReport:
    """What a rebuild read and how long it took."""

    events_read: int
    events_applied: int
    invalid: int
    seconds: float
    # Voided events skipped, and voided ids first learned from the stream (not yet skipped).
    events_voided: int = 0
    voids_learned: int = 0

    @property
    def events_per_second(self) -> float:
        """Events read from the stream per second."""
        return self.events_read / self.seconds if self.seconds else 0.0


class RebuildRunning(Exception):
    """Another rebuild holds the lock."""


async def _json_codecs(conn: asyncpg.Connection) -> None:
    for type_name in ("json", "jsonb"):
        await conn.set_type_codec(
            type_name, encoder=json.dumps, decoder=json.loads, schema="pg_catalog"
        )


def _type_of(message: AbstractIncomingMessage) -> str | None:
    value = (message.headers or {}).get("ce-type")
    return value.decode() if isinstance(value, bytes) else str(value) if value else None


class _StreamReader:
    """Reads the archive stream from the first offset, in batches."""

    def __init__(self, channel: aio_pika.abc.AbstractChannel, batch_size: int) -> None:
        self._channel = channel
        self._batch_size = batch_size
        self._deliveries: asyncio.Queue[AbstractIncomingMessage] = asyncio.Queue()
        self._tag: str | None = None
        self._queue: aio_pika.abc.AbstractQueue | None = None

    async def start(self, stream_name: str) -> None:
        # A stream consumer needs a prefetch and manual acks; it starts at the first offset.
        # Room for the batch being written, the one being validated and the next.
        await self._channel.set_qos(prefetch_count=3 * self._batch_size)
        self._queue = await self._channel.get_queue(stream_name, ensure=False)
        self._tag = await self._queue.consume(
            self._deliveries.put, arguments={"x-stream-offset": "first"}
        )

    async def batch(self, idle_seconds: float) -> list[AbstractIncomingMessage]:
        """The next batch, or [] when nothing arrived for `idle_seconds` (caught up)."""
        try:
            first = await asyncio.wait_for(self._deliveries.get(), idle_seconds)
        except TimeoutError:
            return []
        batch = [first]
        while len(batch) < self._batch_size and not self._deliveries.empty():
            batch.append(self._deliveries.get_nowait())
        return batch

    async def stop(self) -> None:
        if self._queue is not None and self._tag is not None:
            with contextlib.suppress(Exception):
                await self._queue.cancel(self._tag)


class Rebuild:
    """One rebuild of the projections of a reporting database."""

    def __init__(
        self,
        settings: ReportingSettings,
        batch_size: int = 2000,
        first_message_seconds: float = 5.0,
        idle_seconds: float = 1.0,
    ) -> None:
        self._settings = settings
        self._batch_size = batch_size
        self._first_message_seconds = first_message_seconds
        self._idle_seconds = idle_seconds
        self._schema = f"rebuild_{dt.datetime.now(dt.UTC):%Y%m%d%H%M%S%f}"
        self._read = 0
        self._applied = 0
        self._invalid = 0
        self._voided: set[UUID] = set()
        self._pending_voids: set[UUID] = set()
        self._skipped = 0
        self._learned = 0

    async def run(self) -> RebuildReport:
        """Rebuild, swap in, mark for republication; the report of what was read."""
        started = time.monotonic()
        admin = await asyncpg.connect(self._settings.database_url)
        try:
            if not await admin.fetchval("SELECT pg_try_advisory_lock($1)", REBUILD_LOCK):
                raise RebuildRunning("another rebuild is running")
            try:
                self._pending_voids, done = await voids.pending_and_done(admin)
                self._voided = self._pending_voids | done
                await self._create_tables(admin)
                try:
                    await self._load_and_swap(admin)
                finally:
                    await admin.execute(f'DROP SCHEMA IF EXISTS "{self._schema}" CASCADE')
            finally:
                await admin.execute("SELECT pg_advisory_unlock($1)", REBUILD_LOCK)
        finally:
            await admin.close()
        return RebuildReport(
            self._read,
            self._applied,
            self._invalid,
            time.monotonic() - started,
            self._skipped,
            self._learned,
        )

    async def _create_tables(self, admin: asyncpg.Connection) -> None:
        async with admin.transaction():
            await admin.execute(f'CREATE SCHEMA "{self._schema}"')
            for table in PROJECTION_TABLES:
                await admin.execute(
                    f'CREATE TABLE "{self._schema}".{table} (LIKE public.{table} INCLUDING ALL)'
                )

    async def _load_and_swap(self, admin: asyncpg.Connection) -> None:
        # Every statement of this connection resolves the projection tables in the new schema.
        target = await asyncpg.connect(
            self._settings.database_url,
            server_settings={"search_path": f'"{self._schema}", public'},
        )
        broker = await aio_pika.connect_robust(self._settings.platform.amqp_url)
        try:
            await _json_codecs(target)
            channel = await broker.channel()
            reader = _StreamReader(channel, self._batch_size)
            stream = Topology(self._settings.platform.topology_prefix).archive_stream.name
            await reader.start(stream)
            await self._drain(target, reader, self._first_message_seconds)
            log.info("rebuild caught up after %d events; pausing the live projections", self._read)
            await admin.execute("SELECT pg_advisory_lock($1)", PROJECTION_LOCK)
            try:
                await self._drain(target, reader, self._idle_seconds)
                await reader.stop()
                await self._swap(admin)
            finally:
                await admin.execute("SELECT pg_advisory_unlock($1)", PROJECTION_LOCK)
        finally:
            await broker.close()
            await target.close()

    async def _drain(
        self, target: asyncpg.Connection, reader: _StreamReader, first_wait: float
    ) -> None:
        """Apply batches until the stream stays quiet; the next batch is read and validated
        while the one before is being written (one transaction at a time, acked in order)."""
        wait = first_wait
        writing: asyncio.Task[None] | None = None
        try:
            while batch := await reader.batch(wait):
                wait = self._idle_seconds
                events = self._decode(batch)
                if writing is not None:
                    await writing
                writing = asyncio.create_task(self._write(target, events, batch[-1]))
            if writing is not None:
                await writing
        finally:
            if writing is not None and not writing.done():
                writing.cancel()
                with contextlib.suppress(asyncio.CancelledError):
                    await writing

    def _decode(self, batch: list[AbstractIncomingMessage]) -> list[ReceivedEvent]:
        events: list[ReceivedEvent] = []
        for message in batch:
            self._read += 1
            if _type_of(message) not in _TYPES:
                continue
            try:
                event = decode(message, self._settings.platform.publisher_accounts)
            except InvalidMessage as invalid:
                self._invalid += 1
                log.warning("rebuild skipped message %s: %s", message.message_id, invalid)
                continue
            if isinstance(event.data, EventsVoidedV1):
                learned = set(event.data.event_ids) - self._voided
                self._learned += len(learned)
                self._voided |= learned
            elif event.envelope.id in self._voided:
                self._skipped += 1
                continue
            events.append(event)
        return events

    async def _write(
        self,
        target: asyncpg.Connection,
        events: list[ReceivedEvent],
        last: AbstractIncomingMessage,
    ) -> None:
        if events:
            async with target.transaction():
                await voids.record(
                    target, [e.data for e in events if isinstance(e.data, EventsVoidedV1)]
                )
                counted = [e for e in events if not isinstance(e.data, EventsVoidedV1)]
                refused = await vetting.refusals(target, counted)
                for event in counted:
                    if invalid := refused.get(event.envelope.id):
                        self._invalid += 1
                        log.warning("rebuild skipped event %s: %s", event.envelope.id, invalid)
                if refused:
                    counted = [e for e in counted if e.envelope.id not in refused]
                await apply(target, counted, None)
            self._applied += len(counted)
        await last.ack(multiple=True)

    async def _swap(self, admin: asyncpg.Connection) -> None:
        retired = f"{self._schema}_old"
        async with admin.transaction():
            await admin.execute(f'CREATE SCHEMA "{retired}"')
            for table in PROJECTION_TABLES:
                await admin.execute(f'ALTER TABLE public.{table} SET SCHEMA "{retired}"')
                await admin.execute(f'ALTER TABLE "{self._schema}".{table} SET SCHEMA public')
            await admin.execute(f'DROP SCHEMA "{retired}" CASCADE')
            await voids.mark_taken_out(admin, self._pending_voids)
            earliest = await admin.fetchval(_EARLIEST)
            if earliest is not None:
                marks = Marks()
                marks.since(COMPUTATIONS, earliest)
                await marks.flush(admin, 0.0)
            await admin.execute(_MARK_PUBLISHED)


async def rebuild(settings: ReportingSettings) -> RebuildReport:
    """Rebuild the projections of the configured database from the configured archive; once
    more when the stream named voids the database did not know (they are known then)."""
    report = await Rebuild(settings).run()
    if report.voids_learned:
        log.info("the archive voids %d unknown events: rebuilding again", report.voids_learned)
        try:
            report = await Rebuild(settings).run()
        except RebuildRunning:
            # A running service's void task started it: it skips them too.
            log.info("the rebuild without them is already running")
    return report
