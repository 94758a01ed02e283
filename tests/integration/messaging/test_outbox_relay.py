"""The outbox relay against the real broker and database."""

import asyncio
from uuid import UUID

import aio_pika
import asyncpg
import pytest

from buurtwerk_shared.contracts.envelope import MAX_MESSAGE_BYTES
from buurtwerk_shared.db.pool import Connection, create_pool
from buurtwerk_shared.messaging.outbox import emit
from buurtwerk_shared.messaging.relay import OutboxRelay
from tests.integration.conftest import Backbone, running
from tests.support.broker import TEST_BROKER_USER, collect, wait_for
from tests.support.events import meal_served
from tests.support.proxy import CuttableProxy


def relay_for(backbone: Backbone, **options: float) -> OutboxRelay:
    return OutboxRelay(
        backbone.pool,
        backbone.database_url,
        backbone.topology.events_exchange.name,
        user_id=TEST_BROKER_USER,
        batch_size=int(options.pop("batch_size", 500)),
        poll_seconds=options.pop("poll_seconds", 0.2),
    )


async def emit_many(pool: asyncpg.Pool, n: int) -> set[UUID]:
    ids: set[UUID] = set()
    async with pool.acquire() as conn, conn.transaction():
        for _ in range(n):
            ids.add(await emit(conn, meal_served()))
    return ids


def ids_of(messages: list[aio_pika.abc.AbstractIncomingMessage]) -> list[UUID]:
    return [UUID(m.message_id) for m in messages if m.message_id]


async def unpublished(pool: asyncpg.Pool) -> int:
    count: int = await pool.fetchval("SELECT count(*) FROM outbox WHERE published_at IS NULL")
    return count


async def test_committed_events_are_published_as_cloudevents(backbone: Backbone) -> None:
    probe = await backbone.probe()
    event = meal_served(count=3)
    async with backbone.pool.acquire() as conn, conn.transaction():
        event_id = await emit(conn, event)
    with pytest.raises(RuntimeError):
        async with backbone.pool.acquire() as conn, conn.transaction():
            await emit(conn, meal_served())
            raise RuntimeError("the business write failed")

    async with (
        collect(backbone.connection, probe) as received,
        running(relay_for(backbone).run(backbone.connection)),
    ):
        await wait_for(lambda: len(received) >= 1)
        await asyncio.sleep(0.5)  # a rolled-back event would arrive in this time

    assert len(received) == 1, "only the committed event is published"
    message = received[0]
    assert message.message_id == str(event_id)
    assert message.routing_key == "meals.meal_served.v1"
    assert message.delivery_mode == aio_pika.DeliveryMode.PERSISTENT
    assert message.content_type == "application/json"
    headers = message.headers
    assert headers["ce-id"] == str(event_id)
    assert headers["ce-type"] == "meals.meal_served.v1"
    assert headers["ce-source"] == "/buurtwerk/meals"
    assert headers["ce-specversion"] == "1.0"
    assert headers["ce-subject"] == str(event.registration_id)
    assert "ce-time" in headers
    assert type(event).model_validate_json(message.body) == event
    assert message.user_id == TEST_BROKER_USER, "the publisher names its broker account"
    assert await unpublished(backbone.pool) == 0


async def test_a_row_too_large_for_the_broker_is_set_aside_and_the_rows_behind_it_go_out(
    backbone: Backbone,
) -> None:
    probe = await backbone.probe()
    async with backbone.pool.acquire() as conn, conn.transaction():
        first = await emit(conn, meal_served())
        oversized = await emit(conn, meal_served())
        last = await emit(conn, meal_served())
        # No contract lets a service write this: a bug or a tampered row.
        await conn.execute(
            "UPDATE outbox SET data = $2 WHERE event_id = $1",
            oversized,
            '{"padding": "' + "x" * MAX_MESSAGE_BYTES + '"}',
        )
    async with (
        collect(backbone.connection, probe) as received,
        running(relay_for(backbone).run(backbone.connection)),
    ):
        await wait_for(lambda: len(received) == 2)

        async def settled() -> bool:
            return await unpublished(backbone.pool) == 1

        await wait_for(settled)
    assert ids_of(received) == [first, last]
    refused = await backbone.pool.fetchrow(
        "SELECT published_at, refused_at, refused_reason FROM outbox WHERE event_id = $1",
        oversized,
    )
    assert refused is not None
    assert refused["published_at"] is None and refused["refused_at"] is not None
    assert refused["refused_reason"].startswith("too_large")


async def test_relay_wakes_on_notify_without_waiting_for_the_poll(backbone: Backbone) -> None:
    probe = await backbone.probe()
    relay = relay_for(backbone, poll_seconds=60)
    async with (
        collect(backbone.connection, probe) as received,
        running(relay.run(backbone.connection)),
    ):
        await asyncio.sleep(0.5)  # the relay is idle, waiting up to 60 s
        await emit_many(backbone.pool, 1)
        await wait_for(lambda: len(received) == 1, within=5)


async def test_relay_killed_between_confirm_and_mark_publishes_again(backbone: Backbone) -> None:
    class DiesBeforeMarking(OutboxRelay):
        async def _mark_sent(self, conn: Connection, seqs: list[int]) -> None:
            # The process dies here: the transaction never commits, the row locks are released.
            raise asyncio.CancelledError

    probe = await backbone.probe()
    emitted = await emit_many(backbone.pool, 20)
    dying = DiesBeforeMarking(
        backbone.pool,
        backbone.database_url,
        backbone.topology.events_exchange.name,
        user_id=TEST_BROKER_USER,
    )
    async with collect(backbone.connection, probe) as received:
        channel = await backbone.connection.channel(publisher_confirms=True)
        exchange = await channel.get_exchange(backbone.topology.events_exchange.name)
        with pytest.raises(asyncio.CancelledError):
            await dying.publish_batch(exchange)
        await wait_for(lambda: len(received) == 20)
        assert await unpublished(backbone.pool) == 20, "nothing was marked sent"

        async with running(relay_for(backbone).run(backbone.connection)):
            await wait_for(lambda: len(received) == 40)
            await wait_for(lambda: _zero(backbone.pool))
        await channel.close()

    assert sorted(ids_of(received)) == sorted(list(emitted) * 2), "every event twice, none lost"
    assert await unpublished(backbone.pool) == 0


async def test_broker_connection_dropped_while_publishing(backbone: Backbone) -> None:
    proxy = CuttableProxy.for_url(backbone.namespace.amqp_url)
    await proxy.start()
    flaky = await aio_pika.connect_robust(
        proxy.url(backbone.namespace.amqp_url), reconnect_interval=0.2
    )
    probe = await backbone.probe()
    emitted = await emit_many(backbone.pool, 3000)
    try:
        async with (
            collect(backbone.connection, probe) as received,
            running(relay_for(backbone, batch_size=100).run(flaky)),
        ):
            await wait_for(lambda: len(received) > 300)
            proxy.cut()
            await wait_for(lambda: len(received) > 1200)
            proxy.cut()
            await wait_for(lambda: set(ids_of(received)) == emitted, within=60)
            await wait_for(lambda: _zero(backbone.pool))
    finally:
        await flaky.close()
        await proxy.stop()
    assert proxy.cuts >= 2


async def _zero(pool: asyncpg.Pool) -> bool:
    return await unpublished(pool) == 0


async def test_two_relays_publish_every_row_exactly_once(backbone: Backbone) -> None:
    probe = await backbone.probe()
    emitted = await emit_many(backbone.pool, 3000)
    async with (
        collect(backbone.connection, probe) as received,
        running(
            relay_for(backbone, batch_size=50).run(backbone.connection),
            relay_for(backbone, batch_size=50).run(backbone.connection),
        ),
    ):
        await wait_for(lambda: len(received) >= 3000, within=60)
        await asyncio.sleep(0.3)
    assert len(received) == 3000
    assert set(ids_of(received)) == emitted


async def test_a_relay_woken_just_as_it_is_cancelled_still_stops(backbone: Backbone) -> None:
    relay = relay_for(backbone, poll_seconds=5)
    task = asyncio.create_task(relay.run(backbone.connection))
    await asyncio.sleep(0.5)  # idle, waiting for a notification
    # The notification callback sets this event; setting it here hits the race exactly.
    relay._wake.set()
    task.cancel()
    done, _ = await asyncio.wait({task}, timeout=5)
    assert done, "the cancellation was swallowed: the relay kept running"
    assert task.cancelled()


async def test_a_relay_stopped_while_its_database_goes_away_mid_batch_stops(
    backbone: Backbone,
) -> None:
    # The batch in flight is cancelled with the relay while it marks its rows; the database goes
    # away under it, and asyncpg then turns the cancellation into an InterfaceError. The relay
    # must not take that for a failure to retry (it used to, for ever).
    proxy = CuttableProxy.for_url(backbone.database_url)
    await proxy.start()
    url = proxy.url(backbone.database_url)
    pool = await create_pool(url)
    marking = asyncio.Event()

    class HeldWhileMarking(OutboxRelay):
        async def _mark_sent(self, conn: Connection, seqs: list[int]) -> None:
            proxy.pause()  # the UPDATE and everything after it wait on the network
            marking.set()
            await super()._mark_sent(conn, seqs)

    await emit_many(backbone.pool, 5)
    relay = HeldWhileMarking(
        pool,
        url,
        backbone.topology.events_exchange.name,
        user_id=TEST_BROKER_USER,
        poll_seconds=0.2,
    )
    task = asyncio.create_task(relay.run(backbone.connection))
    try:
        await asyncio.wait_for(marking.wait(), 10)
        task.cancel()
        await asyncio.sleep(0.2)  # the rollback of the cancelled batch waits on the network
        proxy.go_down()
        done, _ = await asyncio.wait({task}, timeout=5)
        assert done, "the relay did not stop: it kept retrying with its database away"
        assert task.cancelled()
    finally:
        task.cancel()
        pool.terminate()
        await proxy.stop()
    assert await unpublished(backbone.pool) == 5, "nothing was marked sent: all published again"
