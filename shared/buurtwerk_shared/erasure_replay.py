"""A restore applies again every erasure made after its backup, before the service answers.

A backup holds the people erased since it was made. Every erasure is recorded outside the
service's database, as an event in the archive stream (`volunteers.volunteer_erased.v1`,
`courses.participant_erased.v1`). `make restore` migrates each restored database of a service
that holds personal data and files a replay from the backup's start in `erasure_replays`. When
the service starts, before it answers anything, it reads the archive from that time (a minute
before, for clocks that differ), applies each of its own erasure events again with the erasure's
own code as the actor `system:restore` (a person already erased is skipped), and marks the
replay done in the same transaction that held it: a second replica waits for it and finds
nothing left to do. The events an erasure emits were published when it was first made, so the
replay emits none.

The archive is read up to the first event published after the replay started, or until it stays
quiet for a second: the restored service is the only publisher of its erasure events, and it is
not running yet.
"""

import asyncio
import contextlib
import datetime as dt
import logging
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass
from uuid import UUID, uuid4

import asyncpg
from aio_pika.abc import AbstractConnection, AbstractIncomingMessage

from buurtwerk_shared.contracts.events import EventData
from buurtwerk_shared.db.pool import Connection
from buurtwerk_shared.messaging.consumer import InvalidMessage, decode
from buurtwerk_shared.messaging.topology import Topology
from buurtwerk_shared.web.auth import ALL_CENTRES, Principal
from buurtwerk_shared.web.writes import WriteContext

log = logging.getLogger(__name__)

# The actor of the erasures a restore applies again, as the audit log names it.
RESTORE_ACTOR = Principal(sub="system:restore", role="admin", centres=(ALL_CENTRES,))
# Read the archive from this long before the backup started (clocks of hosts differ).
MARGIN = dt.timedelta(minutes=1)
FIRST_MESSAGE_SECONDS = 5.0
IDLE_SECONDS = 1.0

_PENDING = """
SELECT id, since FROM erasure_replays WHERE replayed_at IS NULL ORDER BY since FOR UPDATE
"""
_DONE = "UPDATE erasure_replays SET replayed_at = now(), replayed = $2 WHERE id = ANY($1)"
_REQUEST = "INSERT INTO erasure_replays (since) VALUES ($1)"


@dataclass(frozen=True)
class ErasureReplay:
    """A service's erasure event, and how to apply one again (True if someone was erased)."""

    event: type[EventData]
    apply: Callable[[WriteContext, EventData], Awaitable[bool]]


class _Replaying(WriteContext):
    """A write whose events were published when the erasure was first made: none again."""

    async def emit(self, event: EventData, event_id: UUID | None = None) -> UUID:
        return event_id or uuid4()


async def request_replay(conn: Connection, since: dt.datetime) -> None:
    """File a replay of the erasures made since `since` (the time a restored backup began)."""
    await conn.execute(_REQUEST, since)


async def _read_erasures(
    connection: AbstractConnection,
    stream: str,
    event: type[EventData],
    since: dt.datetime,
    publishers: Mapping[str, str],
) -> list[EventData]:
    channel = await connection.channel()
    deliveries: asyncio.Queue[AbstractIncomingMessage] = asyncio.Queue()
    found: list[EventData] = []
    started = dt.datetime.now(dt.UTC)
    try:
        await channel.set_qos(prefetch_count=1000)
        queue = await channel.get_queue(stream, ensure=False)
        tag = await queue.consume(deliveries.put, arguments={"x-stream-offset": since - MARGIN})
        wait = FIRST_MESSAGE_SECONDS
        while True:
            try:
                message = await asyncio.wait_for(deliveries.get(), wait)
            except TimeoutError:
                break
            wait = IDLE_SECONDS
            await message.ack()
            with contextlib.suppress(InvalidMessage):
                received = decode(message, publishers)
                if received.envelope.time > started:
                    break
                if received.envelope.type == event.event_type:
                    found.append(received.data)
        await queue.cancel(tag)
    finally:
        await channel.close()
    return found


async def replay_pending(
    pool: asyncpg.Pool,
    connection: AbstractConnection,
    topology: Topology,
    replay: ErasureReplay,
    publishers: Mapping[str, str],
) -> int:
    """Apply again the erasures of every replay filed and not yet done; how many people.

    Only erasures published by the service's own account count (`publishers`): a forged one in
    the archive would otherwise erase a person at the next restore."""
    async with pool.acquire() as conn, conn.transaction():
        pending = await conn.fetch(_PENDING)
        if not pending:
            return 0
        since = min(row["since"] for row in pending)
        log.info("replaying the erasures made since %s (a restored backup)", since.isoformat())
        events = await _read_erasures(
            connection, topology.archive_stream.name, replay.event, since, publishers
        )
        applied = 0
        for event in events:
            async with pool.acquire() as work, work.transaction():
                applied += await replay.apply(_Replaying(work, RESTORE_ACTOR), event)
        await conn.execute(_DONE, [row["id"] for row in pending], applied)
    log.info("%d erasures found since the backup, %d applied again", len(events), applied)
    return applied
