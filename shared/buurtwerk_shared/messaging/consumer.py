"""Idempotent batch consumers: effects and the inbox record commit together, then one ack.

A consumer takes what the broker has delivered (up to `batch_size` messages), validates each
message (at most `MAX_MESSAGE_BYTES`, CloudEvents headers, a known type from its allowed source
published by that source's broker account, data matching the contract),
and in one PostgreSQL transaction records the event ids in its inbox (`processed_events`) and
applies the effects of the events not seen before. After the commit it acknowledges the whole
batch with one multiple-ack. A redelivered event finds its id in the inbox and changes nothing.

Failures:
- an invalid message goes straight to the consumer's dead-letter queue, with the reason in the
  `x-dead-letter-reason` / `x-dead-letter-detail` headers, and the batch goes on; so does a valid
  event that the consumer's `vet` refuses for what only it knows (a meal at a centre without a
  kitchen), in the transaction of its batch, without claiming its id: replayed once the rule is
  met, it is applied;
- a database that is unreachable (or a serialization conflict) is retried in process with
  back-off for up to `transient_retry_seconds`, holding the messages unacknowledged; a consumer
  asked to stop meanwhile gives up at once and its messages return to the queue;
- an event whose effect fails is found by replaying the batch one event at a time; it is
  rejected with requeue (which counts toward the queue's delivery limit on every RabbitMQ
  version, unlike nack on 4.3+) and on its last allowed attempt it is dead-lettered with the
  error as the reason. The broker's own delivery limit and dead-letter exchange remain the
  safety net for a consumer that dies while handling a message.
"""

import asyncio
import contextlib
import json
import logging
import time
from collections.abc import Awaitable, Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import cast
from uuid import UUID

import aio_pika
import asyncpg
from aio_pika.abc import AbstractExchange, AbstractIncomingMessage, AbstractRobustConnection
from pydantic import ValidationError

from buurtwerk_shared.cancellation import raise_if_cancelled
from buurtwerk_shared.contracts.envelope import MAX_MESSAGE_BYTES, Envelope
from buurtwerk_shared.contracts.events import EVENT_TYPES, EventData
from buurtwerk_shared.db.pool import Connection
from buurtwerk_shared.messaging.channels import CLOSE_SECONDS, close_channel
from buurtwerk_shared.messaging.topology import ConsumerQueue, Topology
from buurtwerk_shared.observability import metrics
from buurtwerk_shared.observability.tracing import continue_trace

log = logging.getLogger(__name__)

TRANSIENT_ERRORS: tuple[type[Exception], ...] = (
    asyncpg.PostgresConnectionError,
    asyncpg.InterfaceError,
    asyncpg.OperatorInterventionError,
    asyncpg.InsufficientResourcesError,
    asyncpg.TransactionRollbackError,
    OSError,
    TimeoutError,
)

# A channel that closed under the consumer: a broker restart or a dropped connection. aio-pika
# raises ChannelInvalidStateError (a RuntimeError, not an AMQPError) for a message of a channel
# that is gone, e.g. when acking a batch whose channel closed while it was being committed.
CHANNEL_LOST: tuple[type[BaseException], ...] = (
    aio_pika.exceptions.AMQPError,
    aio_pika.exceptions.ChannelInvalidStateError,
)

# How long a consumer waits before it tries again to open a channel.
CHANNEL_RETRY_SECONDS = 0.5

# How often an idle consumer checks that its channel is still open.
IDLE_CHECK_SECONDS = 1.0
# How long a consumer waits for the broker's consume-ok before it tries on a fresh channel.
# RabbitMQ 3.10 holds a basic.consume on a quorum queue whose leader is unreachable for a minute
# or more (docs/reliability.md, "A three-node cluster").
CONSUME_TIMEOUT_SECONDS = 10.0

_CLAIM_IDS = """
INSERT INTO processed_events (consumer, event_id)
SELECT $1, unnest($2::uuid[])
ON CONFLICT DO NOTHING
RETURNING event_id
"""


@dataclass(frozen=True)
class ReceivedEvent:
    """A validated event: its CloudEvents envelope and its typed data."""

    envelope: Envelope
    data: EventData


BatchHandler = Callable[[Connection, Sequence[ReceivedEvent]], Awaitable[None]]
EventHandler = Callable[[Connection, ReceivedEvent], Awaitable[None]]
# The events of a batch a consumer refuses by its own knowledge, by id, with the reason.
Vetting = Callable[[Connection, Sequence[ReceivedEvent]], Awaitable[dict[UUID, "InvalidMessage"]]]


def for_each_event(handler: EventHandler) -> BatchHandler:
    """A batch handler that applies `handler` to each event in order, in its trace."""

    async def handle(conn: Connection, events: Sequence[ReceivedEvent]) -> None:
        for event in events:
            continue_trace(event.envelope.traceparent)
            await handler(conn, event)

    return handle


class InvalidMessage(Exception):
    """A message that can never be processed; `reason` is a short code for the DLQ."""

    def __init__(self, reason: str, detail: str) -> None:
        super().__init__(f"{reason}: {detail}")
        self.reason = reason
        self.detail = detail


class TransientFailure(Exception):
    """The database stayed unreachable for longer than the retry bound."""


class StoppedUncommitted(Exception):
    """The consumer was asked to stop while its database was unreachable."""


def decode(message: AbstractIncomingMessage, publishers: Mapping[str, str]) -> ReceivedEvent:
    """Validate a delivered message against the event contracts; raises `InvalidMessage`.

    `publishers` names the broker account of each source (`PlatformSettings.publisher_accounts`):
    an event whose `user_id` is not its source's account is refused as `unauthenticated_source`.
    """
    if len(message.body) > MAX_MESSAGE_BYTES:
        raise InvalidMessage(
            "too_large", f"{len(message.body)} bytes; at most {MAX_MESSAGE_BYTES} are accepted"
        )
    try:
        envelope = Envelope.from_amqp_headers(message.headers or {})
    except ValidationError as exc:
        raise InvalidMessage("invalid_envelope", _errors(exc)) from exc
    if message.routing_key and message.routing_key != envelope.type:
        raise InvalidMessage(
            "invalid_envelope",
            f"routing key '{message.routing_key}' differs from ce-type '{envelope.type}'",
        )
    event_class = EVENT_TYPES.get(envelope.type)
    if event_class is None:
        raise InvalidMessage("unknown_type", f"no contract for event type '{envelope.type}'")
    if envelope.source != event_class.source:
        raise InvalidMessage(
            "source_mismatch",
            f"'{envelope.type}' may only come from '{event_class.source}', not '{envelope.source}'",
        )
    account = publishers[event_class.source]
    if message.user_id != account:
        # RabbitMQ guarantees that a user_id is the publishing connection's user: anything else
        # was published by another account, or without saying which (a forgery either way).
        raise InvalidMessage(
            "unauthenticated_source",
            f"'{envelope.type}' may only be published by broker account '{account}', "
            f"not {'an unnamed account' if message.user_id is None else repr(message.user_id)}",
        )
    try:
        data = event_class.model_validate_json(message.body)
    except ValidationError as exc:
        raise InvalidMessage("invalid_data", _errors(exc)) from exc
    return ReceivedEvent(envelope=envelope, data=data)


def _errors(exc: ValidationError) -> str:
    return json.dumps(
        [
            {"field": ".".join(str(p) for p in error["loc"]), "reason": error["msg"]}
            for error in exc.errors(include_url=False, include_input=False)
        ]
    )


def delivery_count(message: AbstractIncomingMessage) -> int:
    """How many earlier deliveries of this message failed (quorum queues count them)."""
    value = (message.headers or {}).get("x-delivery-count", 0)
    return value if isinstance(value, int) else 0


class BatchConsumer:
    """Consumes one quorum queue into one service's database, idempotently, in batches."""

    def __init__(
        self,
        *,
        name: str,
        queue: ConsumerQueue,
        topology: Topology,
        pool: asyncpg.Pool,
        handler: BatchHandler,
        publishers: Mapping[str, str],
        vet: Vetting | None = None,
        batch_size: int = 500,
        transient_retry_seconds: float = 300.0,
    ) -> None:
        self.name = name
        self._publishers = publishers
        self._vet = vet
        self._queue = queue
        self._topology = topology
        self._pool = pool
        self._handler = handler
        self._batch_size = batch_size
        self._transient_retry_seconds = transient_retry_seconds
        self._stopping = asyncio.Event()

    def stop(self) -> None:
        """Finish the batch in hand, then stop consuming."""
        self._stopping.set()

    async def run(self, connection: AbstractRobustConnection) -> None:
        """Consume until stopped; a broken channel is closed (to redeliver) and reopened."""
        while not self._stopping.is_set():
            try:
                channel = await connection.channel(publisher_confirms=True, on_return_raises=True)
            except Exception as exc:
                raise_if_cancelled(exc)
                # The connection is down or still reconnecting (aio-pika then raises a plain
                # RuntimeError): try again, never give up; this task is the consumer.
                log.warning("consumer %s cannot open a channel yet, retrying: %r", self.name, exc)
                await self._pause(CHANNEL_RETRY_SECONDS)
                continue
            try:
                await self._consume(channel)
            except StoppedUncommitted as exc:
                log.warning(
                    "consumer %s stopping with its database unreachable (%s): the messages it "
                    "holds were not committed and return to the queue",
                    self.name,
                    exc,
                )
            except CHANNEL_LOST as exc:
                raise_if_cancelled(exc)
                log.warning("consumer %s lost its channel, reopening: %r", self.name, exc)
                await self._pause(0.5)
            except Exception as exc:
                raise_if_cancelled(exc)
                log.exception("consumer %s failed unexpectedly, reopening its channel", self.name)
                await self._pause(1.0)
            finally:
                await close_channel(channel)

    async def _pause(self, seconds: float) -> None:
        """Sleep, but no longer than until `stop()`."""
        with contextlib.suppress(TimeoutError):
            async with asyncio.timeout(seconds):
                await self._stopping.wait()

    async def _consume(self, channel: aio_pika.abc.AbstractRobustChannel) -> None:
        await channel.set_qos(prefetch_count=2 * self._batch_size)
        queue = cast(
            aio_pika.abc.AbstractRobustQueue,
            await channel.get_queue(self._topology.queue_name(self._queue), ensure=False),
        )
        dead_letters = await channel.get_exchange(
            self._topology.dead_letter_exchange.name, ensure=False
        )
        deliveries: asyncio.Queue[AbstractIncomingMessage] = asyncio.Queue()
        # Not left to aio-pika to restore after a reconnect: its restore awaits the broker's
        # consume-ok without a timeout, and holds up every other channel of the connection while
        # it waits. The consumer consumes again itself, on a fresh channel, with a timeout, once
        # its channel was reopened or the broker cancelled its subscription.
        lost = asyncio.Event()
        channel.reopen_callbacks.add(lambda *_: lost.set())
        underlay = await channel.get_underlay_channel()
        underlay.on_consumer_cancel_callbacks.add(lambda *_: lost.set())
        try:
            tag = await queue.consume(deliveries.put, robust=False, timeout=CONSUME_TIMEOUT_SECONDS)
        except TimeoutError as exc:
            raise aio_pika.exceptions.ChannelInvalidStateError("no consume-ok in time") from exc
        cancelled = asyncio.Event()

        async def cancel_when_stopping() -> None:
            # Cancel at once, even mid-batch: an ack would otherwise make room for more
            # deliveries that the stop then returns to the queue as failed ones.
            await self._stopping.wait()
            await queue.cancel(tag)
            await asyncio.sleep(0)  # deliveries that preceded the cancel-ok reach the queue
            cancelled.set()

        watcher = asyncio.create_task(cancel_when_stopping())
        # The batch being committed and acknowledged while the next one is taken and validated:
        # the database round trips of one overlap the parsing of the next. One commit at a time,
        # acknowledged in delivery order.
        settling: asyncio.Task[None] | None = None
        try:
            # After the cancel, settle what was already delivered, then stop.
            while not (cancelled.is_set() and deliveries.empty()):
                batch = await self._next_batch(deliveries, cancelled)
                if not batch and (channel.is_closed or lost.is_set()):
                    # Not restored, or restored without its consumer, after a reconnect: start
                    # again on a fresh channel.
                    raise aio_pika.exceptions.ChannelInvalidStateError("consumer channel closed")
                if not batch and self._stopping.is_set():
                    # The broker has not confirmed the cancel within an idle check: it is away.
                    # What it still delivers returns to the queue when the channel closes.
                    break
                valid = await self._validate(batch, dead_letters)
                if settling is not None:
                    await settling
                    settling = None
                if valid:
                    settling = asyncio.create_task(self._settle(valid, dead_letters))
            if settling is not None:
                await settling
        finally:
            watcher.cancel()
            if settling is not None and not settling.done():
                # Its messages stay unacknowledged and come back; the inbox absorbs a commit.
                settling.cancel()
                with contextlib.suppress(asyncio.CancelledError, *CHANNEL_LOST):
                    await settling
            if not cancelled.is_set():
                # A robust queue waits for its connection to return before it cancels: bounded.
                with contextlib.suppress(Exception):
                    async with asyncio.timeout(CLOSE_SECONDS):
                        await queue.cancel(tag)

    async def _next_batch(
        self, deliveries: asyncio.Queue[AbstractIncomingMessage], cancelled: asyncio.Event
    ) -> list[AbstractIncomingMessage]:
        """What has been delivered, up to the batch size; empty after an idle check period."""
        get = asyncio.ensure_future(deliveries.get())
        stop = asyncio.ensure_future(cancelled.wait())
        await asyncio.wait(
            (get, stop), timeout=IDLE_CHECK_SECONDS, return_when=asyncio.FIRST_COMPLETED
        )
        stop.cancel()
        if not get.done():
            get.cancel()
            return []
        return self._take(deliveries, [get.result()])

    def _take(
        self,
        deliveries: asyncio.Queue[AbstractIncomingMessage],
        batch: list[AbstractIncomingMessage],
    ) -> list[AbstractIncomingMessage]:
        """Add what is already delivered to `batch`, up to the batch size."""
        while len(batch) < self._batch_size and not deliveries.empty():
            batch.append(deliveries.get_nowait())
        return batch

    async def _validate(
        self, batch: list[AbstractIncomingMessage], dead_letters: AbstractExchange
    ) -> list[tuple[AbstractIncomingMessage, ReceivedEvent]]:
        """The valid messages of a batch with their events; the invalid ones dead-lettered."""
        valid: list[tuple[AbstractIncomingMessage, ReceivedEvent]] = []
        for message in batch:
            try:
                valid.append((message, decode(message, self._publishers)))
            except InvalidMessage as invalid:
                await self._dead_letter(dead_letters, message, invalid.reason, invalid.detail)
        return valid

    async def _settle(
        self,
        valid: list[tuple[AbstractIncomingMessage, ReceivedEvent]],
        dead_letters: AbstractExchange,
    ) -> None:
        """Commit the batch and acknowledge it, or find and settle the events that fail."""
        try:
            refused = await self._commit([event for _, event in valid])
        except StoppedUncommitted:
            raise
        except TransientFailure as exc:
            for message, _ in valid:
                await self._fail(dead_letters, message, exc)
            return
        except Exception as exc:
            raise_if_cancelled(exc)
            log.warning("consumer %s: a batch failed, replaying it event by event", self.name)
            await self._process_one_by_one(valid, dead_letters)
            return
        for message, event in valid:
            if invalid := refused.get(event.envelope.id):
                # Acknowledged with the batch, below.
                await self._dead_letter(
                    dead_letters, message, invalid.reason, invalid.detail, acknowledge=False
                )
        # Every earlier delivery on this channel is in this batch or already settled; the
        # next batch's invalid messages, acknowledged one by one, come after it.
        await valid[-1][0].ack(multiple=True)

    async def _process_one_by_one(
        self,
        valid: list[tuple[AbstractIncomingMessage, ReceivedEvent]],
        dead_letters: AbstractExchange,
    ) -> None:
        for message, event in valid:
            try:
                refused = await self._commit([event])
            except StoppedUncommitted:
                raise
            except Exception as exc:
                raise_if_cancelled(exc)
                await self._fail(dead_letters, message, exc)
            else:
                if invalid := refused.get(event.envelope.id):
                    await self._dead_letter(dead_letters, message, invalid.reason, invalid.detail)
                else:
                    await message.ack()

    async def _commit(self, events: list[ReceivedEvent]) -> dict[UUID, InvalidMessage]:
        """Apply the batch in one transaction, retrying while the database is unreachable;
        the events the consumer's vetting refused (not applied, not claimed)."""
        deadline = time.monotonic() + self._transient_retry_seconds
        backoff = 0.1
        while True:
            try:
                return await self._commit_once(events)
            except TRANSIENT_ERRORS as exc:
                raise_if_cancelled(exc)
                if self._stopping.is_set():
                    raise StoppedUncommitted(repr(exc)) from exc
                if time.monotonic() + backoff > deadline:
                    raise TransientFailure(repr(exc)) from exc
                log.warning(
                    "consumer %s: database unavailable, retrying in %.1fs: %r",
                    self.name,
                    backoff,
                    exc,
                )
                await self._pause(backoff)
                backoff = min(backoff * 2, 5.0)

    async def _commit_once(self, events: list[ReceivedEvent]) -> dict[UUID, InvalidMessage]:
        refused: dict[UUID, InvalidMessage] = {}
        async with self._pool.acquire() as conn, conn.transaction():
            if self._vet is not None:
                refused = await self._vet(conn, events)
                if refused:
                    events = [event for event in events if event.envelope.id not in refused]
            ids: list[UUID] = [event.envelope.id for event in events]
            new_ids = {row["event_id"] for row in await conn.fetch(_CLAIM_IDS, self.name, ids)}
            fresh: list[ReceivedEvent] = []
            for event in events:
                if event.envelope.id in new_ids:
                    new_ids.discard(event.envelope.id)  # a duplicate inside the batch, too
                    fresh.append(event)
            if fresh:
                await self._handler(conn, fresh)
        duplicates = len(events) - len(fresh)
        if duplicates:
            metrics.EVENTS_DUPLICATE.labels(self.name).inc(duplicates)
        metrics.CONSUMER_BATCH_SIZE.labels(self.name).observe(len(fresh))
        for event in fresh:
            metrics.EVENTS_CONSUMED.labels(self.name, event.envelope.type).inc()
        return refused

    async def _fail(
        self, dead_letters: AbstractExchange, message: AbstractIncomingMessage, exc: BaseException
    ) -> None:
        attempts = delivery_count(message) + 1
        metrics.EVENTS_FAILED.labels(self.name).inc()
        if attempts >= self._queue.delivery_limit:
            await self._dead_letter(dead_letters, message, "failed", repr(exc), attempts)
        else:
            log.warning(
                "consumer %s: message %s failed (attempt %d of %d): %r",
                self.name,
                message.message_id,
                attempts,
                self._queue.delivery_limit,
                exc,
            )
            await message.reject(requeue=True)

    async def _dead_letter(
        self,
        dead_letters: AbstractExchange,
        message: AbstractIncomingMessage,
        reason: str,
        detail: str,
        attempts: int = 1,
        *,
        acknowledge: bool = True,
    ) -> None:
        """Move a message to this consumer's DLQ with the reason, then acknowledge it (unless the
        caller acknowledges it with others)."""
        headers = dict(message.headers or {})
        headers.update(
            {
                "x-dead-letter-reason": reason,
                "x-dead-letter-detail": detail[:2000],
                "x-original-routing-key": message.routing_key or "",
                "x-original-queue": self._topology.queue_name(self._queue),
                "x-failed-attempts": attempts,
                # The publisher's account: the consumer's connection cannot set it as user_id.
                "x-original-user-id": message.user_id or "",
            }
        )
        await dead_letters.publish(
            aio_pika.Message(
                message.body,
                headers=headers,
                content_type=message.content_type,
                message_id=message.message_id,
                timestamp=message.timestamp,
                delivery_mode=aio_pika.DeliveryMode.PERSISTENT,
            ),
            routing_key=self._topology.dead_letter_queue_name(self._queue),
            mandatory=True,
        )
        if acknowledge:
            await message.ack()
        metrics.EVENTS_DEAD_LETTERED.labels(self.name, reason).inc()
        log.error(
            "consumer %s dead-lettered message %s: %s: %s",
            self.name,
            message.message_id,
            reason,
            detail[:500],
        )
