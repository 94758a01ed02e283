"""Voiding events that reached the archive: find them in `buurtwerk.archive`, publish the void.

The dead-letter tool's `void` command (`buurtwerk_shared.tools.dead_letters`) uses this. The
operator names events by id, or by source, type and publication time (`ce-time`); the archive
stream is read from its first event to find them, so only events that really reached the
archive are voided and the void names exact ids (an event published later in the same range is
never voided by it). The void is an event, `operations.events_voided.v1`, published to
`buurtwerk.events` and confirmed by the broker: every consumer takes the events out of its
projections (reporting rebuilds without them), and the archive keeps the void beside them, so
every later rebuild skips them too.
"""

import asyncio
import contextlib
import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from uuid import UUID, uuid4

from aio_pika.abc import AbstractIncomingMessage, AbstractRobustConnection

from buurtwerk_shared import clock
from buurtwerk_shared.contracts.events.operations import (
    MAX_VOIDED_PER_EVENT,
    EventsVoidedV1,
    VoidSelection,
)
from buurtwerk_shared.messaging.outbox import envelope_for
from buurtwerk_shared.messaging.relay import event_message
from buurtwerk_shared.messaging.topology import Topology

# How long the scan waits for the stream's first event, and then for the next before it takes
# the stream as read to its end.
FIRST_EVENT_SECONDS = 5.0
IDLE_SECONDS = 1.0
_PREFETCH = 1000


@dataclass(frozen=True)
class ArchivedEvent:
    """The CloudEvents attributes of one event in the archive."""

    id: UUID
    source: str
    type: str
    time: dt.datetime

    def summary(self) -> dict[str, str]:
        """What the tool shows of it."""
        return {
            "id": str(self.id),
            "source": self.source,
            "type": self.type,
            "time": self.time.isoformat(),
        }


def selected_by(selection: VoidSelection) -> Callable[[ArchivedEvent], bool]:
    """Whether an archived event falls in a selection (source, type, `from <= time < until`)."""

    def chosen(event: ArchivedEvent) -> bool:
        return (
            event.source == selection.source
            and event.type == selection.event_type
            and selection.time_from <= event.time < selection.time_until
        )

    return chosen


def _archived(message: AbstractIncomingMessage) -> ArchivedEvent | None:
    """The event's attributes, or None for a message without a readable envelope."""
    headers = message.headers or {}

    def text(name: str) -> str:
        value = headers.get(name)
        return value.decode() if isinstance(value, bytes) else str(value or "")

    try:
        time = dt.datetime.fromisoformat(text("ce-time"))
        event_id = UUID(text("ce-id"))
    except ValueError:
        return None
    if time.tzinfo is None:
        return None
    return ArchivedEvent(event_id, text("ce-source"), text("ce-type"), time)


async def find_archived(
    connection: AbstractRobustConnection,
    topology: Topology,
    chosen: Callable[[ArchivedEvent], bool],
    *,
    first_event_seconds: float = FIRST_EVENT_SECONDS,
    idle_seconds: float = IDLE_SECONDS,
) -> list[ArchivedEvent]:
    """Every event of the archive stream that `chosen` accepts, read from the first offset."""
    deliveries: asyncio.Queue[AbstractIncomingMessage] = asyncio.Queue()
    found: dict[UUID, ArchivedEvent] = {}
    channel = await connection.channel()
    try:
        # A stream consumer needs a prefetch and manual acks; reading changes nothing in it.
        await channel.set_qos(prefetch_count=_PREFETCH)
        stream = await channel.get_queue(topology.archive_stream.name, ensure=False)
        tag = await stream.consume(deliveries.put, arguments={"x-stream-offset": "first"})
        wait = first_event_seconds
        read = 0
        while True:
            try:
                message = await asyncio.wait_for(deliveries.get(), wait)
            except TimeoutError:
                break
            wait = idle_seconds
            event = _archived(message)
            # A copy (a replay from a DLQ) has the same id: the first is the one shown.
            if event is not None and event.id not in found and chosen(event):
                found[event.id] = event
            read += 1
            if read % (_PREFETCH // 2) == 0:
                await message.ack(multiple=True)
        with contextlib.suppress(Exception):
            await stream.cancel(tag)
    finally:
        await channel.close()
    return list(found.values())


async def publish_void(
    connection: AbstractRobustConnection,
    topology: Topology,
    event_ids: list[UUID],
    *,
    reason: str,
    operator: str,
    user_id: str,
    selection: VoidSelection | None = None,
) -> list[EventsVoidedV1]:
    """Publish the void of these events (several events when they are many), each confirmed,
    from `user_id`, the connection's broker account (as every publisher: contracts.publishers)."""
    void_id = uuid4()
    voided_at = clock.now()
    ids = sorted(set(event_ids))
    voids = [
        EventsVoidedV1(
            void_id=void_id,
            event_ids=ids[start : start + MAX_VOIDED_PER_EVENT],
            selection=selection,
            reason=reason,
            operator=operator,
            voided_at=voided_at,
        )
        for start in range(0, len(ids), MAX_VOIDED_PER_EVENT)
    ]
    channel = await connection.channel(publisher_confirms=True, on_return_raises=True)
    try:
        exchange = await channel.get_exchange(topology.events_exchange.name, ensure=False)
        for void in voids:
            message = event_message(envelope_for(void), void.to_json(), user_id)
            await exchange.publish(message, void.event_type, mandatory=True)
    finally:
        await channel.close()
    return voids
