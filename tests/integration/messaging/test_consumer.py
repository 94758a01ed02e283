"""The idempotent batch consumer against the real broker and database."""

import asyncio
import json
import logging
from collections.abc import Sequence
from typing import Any, cast
from uuid import UUID

import aio_pika
import asyncpg
import pytest
from aio_pika.abc import AbstractRobustConnection
from prometheus_client import REGISTRY

from buurtwerk_shared.contracts.events.meals import MealServedV1
from buurtwerk_shared.db.pool import Connection, create_pool
from buurtwerk_shared.messaging.consumer import BatchConsumer, ReceivedEvent, delivery_count
from buurtwerk_shared.messaging.topology import ConsumerQueue, declare_topology
from tests.integration.conftest import Backbone, running
from tests.support.broker import TEST_PUBLISHERS, collect, wait_for
from tests.support.events import meal_served, publish_raw
from tests.support.proxy import CuttableProxy

POISON_COUNT = 13  # the test handler fails on every event with this count


class EffectsConsumer:
    """A consumer whose effect is a row per event in `effects` (no unique key of its own)."""

    def __init__(self, backbone: Backbone, name: str, delivery_limit: int = 3) -> None:
        self.backbone = backbone
        self.queue = ConsumerQueue(name, (MealServedV1.event_type,), delivery_limit)
        self.attempts: dict[UUID, int] = {}
        backbone.namespace.track(self.queue)

    async def setup(self) -> None:
        await self.backbone.pool.execute(
            "CREATE TABLE IF NOT EXISTS effects (event_id uuid NOT NULL, count integer NOT NULL)"
        )
        await declare_topology(self.backbone.broker, self.backbone.topology, (self.queue,))

    async def handle(self, conn: Connection, events: Sequence[ReceivedEvent]) -> None:
        for event in events:
            self.attempts[event.envelope.id] = self.attempts.get(event.envelope.id, 0) + 1
            assert isinstance(event.data, MealServedV1)
            if event.data.count == POISON_COUNT:
                raise ValueError(f"cannot handle {event.data.registration_id}")
            await conn.execute(
                "INSERT INTO effects (event_id, count) VALUES ($1, $2)",
                event.envelope.id,
                event.data.count,
            )

    def consumer(
        self, pool: asyncpg.Pool | None = None, batch_size: int = 500, pause: float = 0.0
    ) -> BatchConsumer:
        async def handle(conn: Connection, events: Sequence[ReceivedEvent]) -> None:
            await asyncio.sleep(pause)  # a slow projection, to have a backlog when needed
            await self.handle(conn, events)

        return BatchConsumer(
            name=self.queue.name,
            queue=self.queue,
            topology=self.backbone.topology,
            pool=pool or self.backbone.pool,
            handler=handle,
            publishers=TEST_PUBLISHERS,
            batch_size=batch_size,
        )

    async def effects(self) -> list[tuple[UUID, int]]:
        rows = await self.backbone.pool.fetch("SELECT event_id, count FROM effects")
        return [(row["event_id"], row["count"]) for row in rows]

    def dead_letter_queue(self) -> str:
        return self.backbone.topology.dead_letter_queue_name(self.queue)


@pytest.fixture
async def effects(backbone: Backbone) -> EffectsConsumer:
    consumer = EffectsConsumer(backbone, f"it.effects.{id(backbone)}")
    await consumer.setup()
    return consumer


async def test_same_event_delivered_twice_has_its_effect_once(
    backbone: Backbone, effects: EffectsConsumer
) -> None:
    event = meal_served(count=2)
    event_id = await publish_raw(backbone.connection, backbone.topology, event)
    await publish_raw(backbone.connection, backbone.topology, event, event_id=event_id)
    marker = await publish_raw(backbone.connection, backbone.topology, meal_served(count=1))

    async with running(effects.consumer().run(backbone.connection)):
        await wait_for(lambda: _has(effects, marker))
        await asyncio.sleep(0.3)
    assert sorted(await effects.effects()) == sorted([(event_id, 2), (marker, 1)])


async def _has(effects: EffectsConsumer, event_id: UUID) -> bool:
    return any(e == event_id for e, _ in await effects.effects())


async def test_invalid_messages_are_dead_lettered_with_reason_and_the_next_is_processed(
    backbone: Backbone, effects: EffectsConsumer
) -> None:
    topo, conn = backbone.topology, backbone.connection
    good = meal_served()
    await publish_raw(conn, topo, good, body=b"{not json")
    await publish_raw(conn, topo, good, body=json.dumps({"registration_id": "x"}).encode())
    await publish_raw(conn, topo, good, headers={"ce-source": "/buurtwerk/courses"})
    await publish_raw(conn, topo, good, headers={"ce-id": None, "ce-time": "yesterday"})
    good_id = await publish_raw(conn, topo, good)

    async with (
        collect(conn, effects.dead_letter_queue()) as dead,
        running(effects.consumer().run(conn)),
    ):
        await wait_for(lambda: _has(effects, good_id))
        await wait_for(lambda: len(dead) == 4)

    reasons = [m.headers["x-dead-letter-reason"] for m in dead]
    assert reasons == ["invalid_data", "invalid_data", "source_mismatch", "invalid_envelope"]
    details = [str(m.headers["x-dead-letter-detail"]) for m in dead]
    assert "service_id" in details[1], "the missing field is named"
    assert "/buurtwerk/courses" in details[2]
    assert all(m.headers["x-original-routing-key"] == "meals.meal_served.v1" for m in dead)
    assert [e for e, _ in await effects.effects()] == [good_id]


async def test_poison_message_is_retried_to_the_delivery_limit_then_dead_lettered(
    backbone: Backbone, effects: EffectsConsumer
) -> None:
    poison = await publish_raw(
        backbone.connection, backbone.topology, meal_served(count=POISON_COUNT)
    )
    after = await publish_raw(backbone.connection, backbone.topology, meal_served(count=4))

    async with (
        collect(backbone.connection, effects.dead_letter_queue()) as dead,
        running(effects.consumer().run(backbone.connection)),
    ):
        await wait_for(lambda: len(dead) == 1)
        await wait_for(lambda: _has(effects, after))

    message = dead[0]
    assert message.message_id == str(poison)
    assert message.headers["x-dead-letter-reason"] == "failed"
    assert "cannot handle" in str(message.headers["x-dead-letter-detail"])
    assert message.headers["x-failed-attempts"] == effects.queue.delivery_limit
    # Batched first, then alone once per delivery: each delivery tried it exactly once alone.
    assert effects.attempts[poison] >= effects.queue.delivery_limit
    assert await effects.effects() == [(after, 4)]


async def test_a_thousand_events_are_committed_in_batches_each_once(
    backbone: Backbone, effects: EffectsConsumer
) -> None:
    ids = [
        await publish_raw(backbone.connection, backbone.topology, meal_served())
        for _ in range(1000)
    ]
    async with running(effects.consumer(batch_size=200).run(backbone.connection)):
        await wait_for(lambda: _count(effects, 1000), within=30)
        await asyncio.sleep(0.3)
    assert sorted(e for e, _ in await effects.effects()) == sorted(ids)
    transactions = REGISTRY.get_sample_value(
        "buurtwerk_consumer_batch_size_count", {"consumer": effects.queue.name}
    )
    assert transactions is not None and transactions < 100, "events share transactions"


async def _count(effects: EffectsConsumer, n: int) -> bool:
    return len(await effects.effects()) >= n


async def test_database_connection_dropped_while_consuming(
    backbone: Backbone, effects: EffectsConsumer
) -> None:
    proxy = CuttableProxy.for_url(backbone.database_url)
    await proxy.start()
    flaky_pool = await create_pool(proxy.url(backbone.database_url), size=2)
    ids = {
        await publish_raw(backbone.connection, backbone.topology, meal_served()) for _ in range(600)
    }
    try:
        async with running(
            effects.consumer(pool=flaky_pool, batch_size=20).run(backbone.connection)
        ):
            await wait_for(lambda: _count(effects, 100), within=30)
            proxy.cut()
            await wait_for(lambda: _count(effects, 300), within=30)
            proxy.cut()
            await wait_for(lambda: _count(effects, 600), within=60)
            await asyncio.sleep(0.3)
    finally:
        await flaky_pool.close()
        await proxy.stop()
    rows = await effects.effects()
    assert len(rows) == 600, "each event once"
    assert {e for e, _ in rows} == ids


async def test_broker_connection_dropped_while_consuming(
    backbone: Backbone, effects: EffectsConsumer, caplog: pytest.LogCaptureFixture
) -> None:
    proxy = CuttableProxy.for_url(backbone.namespace.amqp_url)
    await proxy.start()
    flaky = await aio_pika.connect_robust(
        proxy.url(backbone.namespace.amqp_url), reconnect_interval=0.2
    )
    ids = {
        await publish_raw(backbone.connection, backbone.topology, meal_served()) for _ in range(600)
    }
    try:
        async with running(effects.consumer(batch_size=20).run(flaky)):
            await wait_for(lambda: _count(effects, 100), within=30)
            proxy.cut()
            await wait_for(lambda: _count(effects, 600), within=60)
            await asyncio.sleep(0.5)
    finally:
        await flaky.close()
        await proxy.stop()
    rows = await effects.effects()
    assert len(rows) == 600, "redelivered events are absorbed by the inbox"
    assert {e for e, _ in rows} == ids
    consumer_log = [r for r in caplog.records if r.name == "buurtwerk_shared.messaging.consumer"]
    unexpected = [r.getMessage() for r in consumer_log if r.levelno >= logging.ERROR]
    assert unexpected == [], "a lost channel is expected, not an error with a traceback"


class ReconnectingConnection:
    """A robust connection caught while it reconnects: opening a channel fails at first."""

    def __init__(self, connection: AbstractRobustConnection, refusals: int) -> None:
        self._connection = connection
        self.refusals = refusals

    async def channel(self, **options: Any) -> aio_pika.abc.AbstractChannel:
        if self.refusals:
            self.refusals -= 1
            # What aio-pika raises for a channel asked of a connection that is not open.
            raise RuntimeError("Connection was not opened")
        return await self._connection.channel(**options)


async def test_a_channel_that_cannot_be_opened_yet_is_asked_for_again(
    backbone: Backbone, effects: EffectsConsumer
) -> None:
    event_id = await publish_raw(backbone.connection, backbone.topology, meal_served())
    reconnecting = ReconnectingConnection(backbone.connection, refusals=3)
    consumer = effects.consumer().run(cast(AbstractRobustConnection, reconnecting))
    async with running(consumer) as [task]:

        async def consumed_or_gave_up() -> bool:
            return task.done() or await _has(effects, event_id)

        await wait_for(consumed_or_gave_up)
        assert not task.done(), "the consumer gave up"
    assert reconnecting.refusals == 0


async def test_a_graceful_stop_settles_what_was_delivered(
    backbone: Backbone, effects: EffectsConsumer
) -> None:
    for _ in range(300):
        await publish_raw(backbone.connection, backbone.topology, meal_served())
    consumer = effects.consumer(batch_size=50, pause=0.2)
    task = asyncio.create_task(consumer.run(backbone.connection))
    await wait_for(lambda: _count(effects, 20))
    consumer.stop()
    await asyncio.wait_for(task, 10)

    processed = len(await effects.effects())
    channel = await backbone.connection.channel()
    queue = await channel.declare_queue(backbone.topology.queue_name(effects.queue), passive=True)
    assert processed + (queue.declaration_result.message_count or 0) == 300
    returned = 0
    while (left := await queue.get(no_ack=True, fail=False)) is not None:
        returned += int(delivery_count(left) > 0)
    await channel.close()
    assert returned == 0, "what was delivered before the stop was settled, not returned"
