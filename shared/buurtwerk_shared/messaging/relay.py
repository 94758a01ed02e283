"""The outbox relay: publishes committed outbox rows to RabbitMQ and marks them sent.

A batch of unpublished rows is locked with `FOR UPDATE SKIP LOCKED` (so several replicas share
the work without publishing a row twice at the same time), published as persistent messages with
publisher confirms (pipelined), and marked sent in the same transaction, after the confirms. If
the process dies between the confirm and the commit, the rows stay unsent and are published
again: consumers are idempotent on the event id. The relay wakes on LISTEN/NOTIFY and polls as a
fallback. `stop()` lets the batches in flight finish and ends `run`; a relay that cannot finish
them (its database or broker is away) is cancelled by the service's shutdown.

A row the broker will never take is set aside (`refused_at`, `refused_reason`), reported (an
error in the log, `buurtwerk_outbox_refused_total`) and skipped, so the rows behind it go out: a
body over `MAX_MESSAGE_BYTES` is never sent; when the broker closes the channel on a publish
(403 ACCESS_REFUSED: a routing key the account may not use; 406 PRECONDITION_FAILED: too large,
or a `user_id` that is not the account's), the rows of the batch it did not confirm are sent
again one by one, each on a channel of its own, and the one refused again is set aside. It is
retried only when an operator, having fixed the cause (the permission, the limit), clears its
`refused_at` (docs/reliability.md).
"""

import asyncio
import contextlib
import logging
import time
from collections.abc import Awaitable, Sequence
from datetime import timedelta

import aio_pika
import aiormq
import asyncpg
from aio_pika.abc import AbstractExchange, AbstractRobustConnection

from buurtwerk_shared.cancellation import raise_if_cancelled
from buurtwerk_shared.contracts.envelope import CONTENT_TYPE, MAX_MESSAGE_BYTES, Envelope
from buurtwerk_shared.db.pool import CONNECT_TIMEOUT_SECONDS, Connection
from buurtwerk_shared.messaging.channels import close_channel
from buurtwerk_shared.observability import metrics

log = logging.getLogger(__name__)

NOTIFY_CHANNEL = "buurtwerk_outbox"
PURGE_INTERVAL_SECONDS = 600.0
BUSY_RECHECK_SECONDS = 0.05
PUBLISH_TIMEOUT_SECONDS = 10.0
MIN_BACKOFF_SECONDS = 0.1
MAX_BACKOFF_SECONDS = 5.0

_CLAIM = """
SELECT seq, event_id, event_type, source, subject, occurred_at, traceparent, data
FROM outbox
WHERE published_at IS NULL AND refused_at IS NULL
ORDER BY seq
LIMIT $1
FOR UPDATE SKIP LOCKED
"""
_MARK_SENT = "UPDATE outbox SET published_at = now() WHERE seq = ANY($1::bigint[])"
_BACKLOG = """
SELECT count(*), coalesce(extract(epoch FROM now() - min(created_at)), 0)
FROM outbox WHERE published_at IS NULL AND refused_at IS NULL
"""
_PURGE = "DELETE FROM outbox WHERE published_at < now() - $1::interval"
_REFUSE = "UPDATE outbox SET refused_at = now(), refused_reason = $2 WHERE seq = $1"

# How the broker refuses one message for good (it closes the channel with the reason).
REFUSALS: tuple[type[Exception], ...] = (
    aiormq.exceptions.ChannelAccessRefused,
    aiormq.exceptions.ChannelPreconditionFailed,
)


def to_message(row: asyncpg.Record, user_id: str) -> aio_pika.Message:
    """The AMQP message of an outbox row: CloudEvents binary mode, persistent, from `user_id`."""
    # Built without validation: the row was written from a validated envelope (`outbox.emit`),
    # and validating it again costs a third of the relay's time per message.
    envelope = Envelope.model_construct(
        id=row["event_id"],
        source=row["source"],
        type=row["event_type"],
        time=row["occurred_at"],
        subject=row["subject"],
        traceparent=row["traceparent"],
    )
    return event_message(envelope, row["data"], user_id)


def event_message(envelope: Envelope, data: str, user_id: str) -> aio_pika.Message:
    """The AMQP message of an event: its JSON data as the body, the envelope in the headers.

    `user_id` is the publishing connection's broker user: RabbitMQ refuses any other, so
    consumers can check it against the account of the event's source (`contracts.publishers`).
    """
    return aio_pika.Message(
        data.encode(),
        user_id=user_id,
        content_type=CONTENT_TYPE,
        delivery_mode=aio_pika.DeliveryMode.PERSISTENT,
        message_id=str(envelope.id),
        timestamp=envelope.time,
        headers=envelope.amqp_headers(),  # type: ignore[arg-type]
    )


# What a LISTEN connection meets when the database goes away or restarts.
LISTENER_ERRORS = (OSError, asyncpg.PostgresError, asyncpg.InterfaceError)


class OutboxRelay:
    """Moves committed outbox rows to the events exchange, at least once, in order per relay."""

    def __init__(
        self,
        pool: asyncpg.Pool,
        database_url: str,
        exchange_name: str,
        *,
        user_id: str,
        batch_size: int = 500,
        poll_seconds: float = 1.0,
        retention: timedelta = timedelta(days=7),
    ) -> None:
        self._pool = pool
        self._database_url = database_url
        self._exchange_name = exchange_name
        self._user_id = user_id
        self._batch_size = batch_size
        self._poll_seconds = poll_seconds
        self._retention = retention
        self._wake = asyncio.Event()
        self._stopping = asyncio.Event()
        self._next_purge = 0.0
        self._backoff = MIN_BACKOFF_SECONDS
        # The last failure, until a batch goes through again.
        self._failure: BaseException | None = None
        self._connection: AbstractRobustConnection | None = None

    def stop(self) -> None:
        """Let the batches in flight finish, then return from `run` (at once when idle)."""
        self._stopping.set()
        self._wake.set()

    async def run(self, connection: AbstractRobustConnection) -> None:
        """Publish until stopped or cancelled; failures are retried with back-off.

        After any failure the relay opens a fresh channel rather than trusting the old one to be
        restored by the reconnect: a channel whose restoration failed would keep confirms
        pending for ever.
        """
        self._connection = connection
        listener = asyncio.create_task(self._listen())
        try:
            while not self._stopping.is_set():
                channel = None
                try:
                    channel = await connection.channel(
                        publisher_confirms=True, on_return_raises=True
                    )
                    exchange = await channel.get_exchange(self._exchange_name, ensure=False)
                    await self._publish_until_failure(exchange)
                except Exception as exc:
                    raise_if_cancelled(exc)
                    metrics.PUBLISH_FAILURES.inc()
                    self._failure = exc
                    if not self._stopping.is_set():
                        log.warning(
                            "outbox publish failed, retrying in %.1fs: %r", self._backoff, exc
                        )
                        await self._pause(self._backoff)
                        self._backoff = min(self._backoff * 2, MAX_BACKOFF_SECONDS)
                finally:
                    if channel is not None:
                        await close_channel(channel)
            if self._failure is not None:
                log.warning(
                    "outbox relay stopped while publishing failed (%r): the rows not yet "
                    "published stay in the outbox and go out after the restart",
                    self._failure,
                )
        finally:
            listener.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await listener

    async def _publish_until_failure(self, exchange: AbstractExchange) -> None:
        """Publish batch after batch, two in flight under a backlog.

        The next batch is claimed and published while the one before awaits its last confirms
        and its commit, so neither the broker nor the database waits for the other. Its claim
        starts after the previous batch's messages were handed to the channel (in order), so
        the broker still receives the rows in outbox order.
        """
        in_flight: list[asyncio.Task[int]] = []
        try:
            while not self._stopping.is_set():
                claimed: asyncio.Future[int] = asyncio.get_running_loop().create_future()
                current = asyncio.create_task(self.publish_batch(exchange, claimed))
                in_flight.append(current)
                await asyncio.wait((current, claimed), return_when=asyncio.FIRST_COMPLETED)
                size = claimed.result() if claimed.done() else await current
                while len(in_flight) > (1 if size == self._batch_size else 0):
                    await in_flight.pop(0)
                self._backoff = MIN_BACKOFF_SECONDS
                self._failure = None
                if size < self._batch_size:
                    await self._idle()
            while in_flight:  # stopping: the batches in flight are confirmed and marked
                await in_flight.pop(0)
        finally:
            for task in in_flight:
                task.cancel()
                with contextlib.suppress(BaseException):
                    await task

    async def publish_batch(
        self, exchange: AbstractExchange, claimed: asyncio.Future[int] | None = None
    ) -> int:
        """Publish one batch of unsent rows and mark the confirmed ones; returns how many.

        `claimed`, if given, gets the number of rows as soon as they are locked and their
        messages handed to the channel.
        """
        async with self._pool.acquire() as conn, conn.transaction():
            rows = await conn.fetch(_CLAIM, self._batch_size)
            if not rows:
                if claimed is not None:
                    claimed.set_result(0)
                return 0
            messages = []
            for row in rows:
                message = to_message(row, self._user_id)
                if len(message.body) > MAX_MESSAGE_BYTES:
                    await self._refuse(conn, row, f"too_large: {len(message.body)} bytes")
                else:
                    messages.append((row, message))
            publishing = self._publish(exchange, messages)
            if claimed is not None:
                # The publishes are queued on the channel (tasks run in creation order).
                claimed.set_result(len(rows))
            confirmed, failure = await publishing
            if isinstance(failure, REFUSALS):
                done = {row["seq"] for row in confirmed}
                confirmed += await self._publish_alone(
                    conn, [row for row, _ in messages if row["seq"] not in done]
                )
            if confirmed:
                await self._mark_sent(conn, [row["seq"] for row in confirmed])
        for row in confirmed:
            metrics.EVENTS_PUBLISHED.labels(row["event_type"]).inc()
        if failure is not None:
            raise failure
        return len(rows)

    def _publish(
        self,
        exchange: AbstractExchange,
        messages: Sequence[tuple[asyncpg.Record, aio_pika.Message]],
    ) -> Awaitable[tuple[list[asyncpg.Record], BaseException | None]]:
        """Hand every message to the channel now; the awaitable gives the confirmed rows and
        the first failure."""
        # Pipelined: all messages are in flight at once and each awaits its own confirm.
        publishing = asyncio.gather(
            *(
                exchange.publish(
                    message,
                    routing_key=row["event_type"],
                    mandatory=True,
                    timeout=PUBLISH_TIMEOUT_SECONDS,
                )
                for row, message in messages
            ),
            return_exceptions=True,
        )

        async def outcome() -> tuple[list[asyncpg.Record], BaseException | None]:
            results = await publishing
            confirmed = [
                row
                for (row, _), result in zip(messages, results, strict=True)
                if not isinstance(result, BaseException)
            ]
            failure = next((r for r in results if isinstance(r, BaseException)), None)
            return confirmed, failure

        return outcome()

    async def _publish_alone(
        self, conn: Connection, rows: Sequence[asyncpg.Record]
    ) -> list[asyncpg.Record]:
        """After the broker refused a message: each row on a channel of its own, in order; the
        ones it refuses again are set aside. Returns the confirmed rows."""
        assert self._connection is not None
        confirmed = []
        for row in rows:
            channel = await self._connection.channel(publisher_confirms=True, on_return_raises=True)
            try:
                exchange = await channel.get_exchange(self._exchange_name, ensure=False)
                await exchange.publish(
                    to_message(row, self._user_id),
                    routing_key=row["event_type"],
                    mandatory=True,
                    timeout=PUBLISH_TIMEOUT_SECONDS,
                )
            except REFUSALS as exc:
                await self._refuse(conn, row, repr(exc))
            else:
                confirmed.append(row)
            finally:
                await close_channel(channel)
        return confirmed

    async def _refuse(self, conn: Connection, row: asyncpg.Record, reason: str) -> None:
        """Set a row the broker will not take aside, and say so."""
        await conn.execute(_REFUSE, row["seq"], reason)
        metrics.OUTBOX_REFUSED.labels(row["event_type"]).inc()
        log.error(
            "outbox row %s (%s, event %s) set aside, the broker refuses it: %s; the rows behind "
            "it go on, and it is retried once its refused_at is cleared",
            row["seq"],
            row["event_type"],
            row["event_id"],
            reason,
        )

    async def _mark_sent(self, conn: Connection, seqs: list[int]) -> None:
        await conn.execute(_MARK_SENT, seqs)

    async def _idle(self) -> None:
        """Record the backlog, purge old sent rows now and then, and wait for work."""
        async with self._pool.acquire() as conn:
            backlog = await conn.fetchrow(_BACKLOG)
            assert backlog is not None
            count, age = backlog
            if time.monotonic() >= self._next_purge:
                await conn.execute(_PURGE, self._retention)
                self._next_purge = time.monotonic() + PURGE_INTERVAL_SECONDS
        metrics.OUTBOX_BACKLOG.set(count)
        metrics.OUTBOX_OLDEST_AGE.set(float(age))
        # Rows still waiting are locked by another relay or were committed after the claim.
        timeout = BUSY_RECHECK_SECONDS if count else self._poll_seconds
        # asyncio.timeout, not wait_for: on Python 3.11 wait_for swallows a cancellation that
        # arrives together with the wake-up, and the relay would then never stop.
        with contextlib.suppress(TimeoutError):
            async with asyncio.timeout(timeout):
                await self._wake.wait()
        self._wake.clear()

    async def _pause(self, seconds: float) -> None:
        """Sleep, but no longer than until `stop()`."""
        with contextlib.suppress(TimeoutError):
            async with asyncio.timeout(seconds):
                await self._stopping.wait()

    async def _listen(self) -> None:
        """Keep a LISTEN connection open; reconnect when it drops (polling covers the gap)."""
        while True:
            try:
                conn = await asyncpg.connect(self._database_url, timeout=CONNECT_TIMEOUT_SECONDS)
            except LISTENER_ERRORS as exc:
                raise_if_cancelled(exc)
                log.warning("outbox listener cannot connect: %r", exc)
                await asyncio.sleep(self._poll_seconds)
                continue
            try:
                await self._wake_on_notify(conn)
            except LISTENER_ERRORS as exc:
                # Lost while it set up LISTEN: connect again (it used to end the listener, whose
                # error then came out of the relay's stop instead of its cancellation).
                raise_if_cancelled(exc)
                log.warning("outbox listener lost its connection: %r", exc)
                await asyncio.sleep(self._poll_seconds)
            finally:
                with contextlib.suppress(Exception):
                    await conn.close()

    async def _wake_on_notify(self, conn: Connection) -> None:
        """Wake the relay on every notification until the connection closes."""
        closed = asyncio.Event()
        conn.add_termination_listener(lambda _c: closed.set())
        await conn.add_listener(NOTIFY_CHANNEL, lambda *_a: self._wake.set())
        await closed.wait()
