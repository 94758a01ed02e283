"""The dead-letter command against the real broker: list, inspect, replay after a fix, discard."""

import asyncio
import json
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import aio_pika
import pytest
from aio_pika.abc import AbstractIncomingMessage, AbstractQueue

from buurtwerk_shared.db.pool import Connection
from buurtwerk_shared.messaging.consumer import BatchConsumer, ReceivedEvent
from buurtwerk_shared.messaging.topology import ConsumerQueue, declare_topology
from buurtwerk_shared.tools.dead_letters import AuditLog, DeadLetterError, DeadLetters, run
from tests.integration.conftest import Backbone, running
from tests.support.broker import TEST_BROKER_USER, TEST_PUBLISHERS, collect, wait_for
from tests.support.events import meal_served, publish_raw

QUEUE = ConsumerQueue("ops.dlq-test", ("meals.meal_served.v1",), delivery_limit=1)
DLQ = QUEUE.dead_letter_queue


class Projection:
    """A handler that fails on 13 meals until it is fixed, and remembers what it applied."""

    def __init__(self) -> None:
        self.fixed = False
        self.applied: list[int] = []

    async def __call__(self, conn: Connection, events: Sequence[ReceivedEvent]) -> None:
        counts = [event.data.count for event in events]  # type: ignore[attr-defined]
        if 13 in counts and not self.fixed:
            raise ValueError("unlucky number")
        self.applied.extend(counts)


async def next_message(queue: AbstractQueue) -> AbstractIncomingMessage:
    for _ in range(200):
        if message := await queue.get(no_ack=False, fail=False):
            return message
        await asyncio.sleep(0.05)
    raise AssertionError("no message within 10 s")


def audit_lines(path: Path) -> list[dict[str, Any]]:
    return [json.loads(line) for line in path.read_text().splitlines()]


async def test_list_inspect_replay_after_a_fix_and_discard(
    backbone: Backbone, tmp_path: Path
) -> None:
    backbone.namespace.track(QUEUE)
    await declare_topology(backbone.broker, backbone.topology, (QUEUE,))
    projection = Projection()
    consumer = BatchConsumer(
        name=QUEUE.name,
        queue=QUEUE,
        topology=backbone.topology,
        pool=backbone.pool,
        handler=projection,
        publishers=TEST_PUBLISHERS,
        batch_size=1,
    )
    tool = DeadLetters(backbone.connection, backbone.topology)
    audit = AuditLog(tmp_path / "audit.jsonl", operator="ops-test")

    async with running(consumer.run(backbone.connection)):
        failing = await publish_raw(backbone.connection, backbone.topology, meal_served(count=13))
        invalid = await publish_raw(
            backbone.connection, backbone.topology, meal_served(), body=b'{"count": -1}'
        )
        await publish_raw(backbone.connection, backbone.topology, meal_served(count=2))
        await wait_for(lambda: projection.applied == [2])

        async def two_dead_letters() -> bool:
            return (await tool.depths([DLQ])) == {DLQ: 2}

        await wait_for(two_dead_letters)
        assert await tool.depths([DLQ, "nobody.dlq"]) == {DLQ: 2, "nobody.dlq": None}

        summaries = {s["message_id"]: s for s in await tool.inspect(DLQ)}
        assert set(summaries) == {str(failing), str(invalid)}
        assert summaries[str(failing)]["reason"] == "failed"
        assert "unlucky number" in summaries[str(failing)]["detail"]
        assert summaries[str(failing)]["routing_key"] == "meals.meal_served.v1"
        assert summaries[str(failing)]["data"]["count"] == 13
        assert summaries[str(invalid)]["reason"] == "invalid_data"
        assert summaries[str(invalid)]["original_queue"] == backbone.topology.queue_name(QUEUE)
        assert await tool.depths([DLQ]) == {DLQ: 2}, "inspecting leaves the messages in place"

        projection.fixed = True
        probe = await backbone.probe("meals.meal_served.v1")
        async with collect(backbone.connection, probe) as republished:
            replayed = await tool.replay(DLQ, audit, "fixed the unlucky number", ids=[str(failing)])
            assert replayed == 1
            await wait_for(lambda: projection.applied == [2, 13])
            await wait_for(lambda: len(republished) == 1)
        again = republished[0]
        assert again.routing_key == "meals.meal_served.v1"
        assert again.message_id == str(failing)
        assert again.delivery_mode == aio_pika.DeliveryMode.PERSISTENT
        assert again.user_id == TEST_BROKER_USER, "replayed as from its publisher's account"
        headers = again.headers or {}
        assert headers["ce-id"] == str(failing)
        assert headers["ce-type"] == "meals.meal_served.v1"
        assert not {h for h in headers if h.startswith("x-")}, headers
        assert await tool.depths([DLQ]) == {DLQ: 1}

        discarded = await tool.discard(DLQ, audit, "bad test data", ids=[str(invalid)])
        assert discarded == 1
        assert await tool.depths([DLQ]) == {DLQ: 0}
        assert projection.applied == [2, 13], "the fine event was applied once"

    replay_line, discard_line = audit_lines(tmp_path / "audit.jsonl")
    assert replay_line["action"] == "replayed"
    assert replay_line["message_id"] == str(failing)
    assert replay_line["operator"] == "ops-test"
    assert replay_line["reason"] == "fixed the unlucky number"
    assert replay_line["dead_letter_reason"] == "failed"
    assert discard_line["action"] == "discarded"
    assert discard_line["message_id"] == str(invalid)
    assert discard_line["dead_letter_reason"] == "invalid_data"


async def test_a_message_the_broker_dead_lettered_replays_with_its_x_death_routing_key(
    backbone: Backbone, tmp_path: Path
) -> None:
    backbone.namespace.track(QUEUE)
    await declare_topology(backbone.broker, backbone.topology, (QUEUE,))
    event_id = await publish_raw(backbone.connection, backbone.topology, meal_served())
    # A consumer that keeps failing on it: past the delivery limit the broker dead-letters it.
    channel = await backbone.connection.channel()
    queue = await channel.get_queue(backbone.topology.queue_name(QUEUE), ensure=False)
    for _ in range(QUEUE.delivery_limit + 1):
        delivered = await next_message(queue)
        await delivered.reject(requeue=True)
    await channel.close()
    tool = DeadLetters(backbone.connection, backbone.topology)

    async def dead_lettered() -> bool:
        return (await tool.depths([DLQ]))[DLQ] == 1

    await wait_for(dead_lettered)
    [summary] = await tool.inspect(DLQ)
    assert summary["reason"] == "delivery_limit"
    assert summary["routing_key"] == "meals.meal_served.v1"

    audit = AuditLog(tmp_path / "audit.jsonl", operator="ops-test")
    assert await tool.replay(DLQ, audit, "consumer fixed", event_type="meals.meal_served.v1") == 1
    assert await tool.depths([DLQ]) == {DLQ: 0}
    assert audit_lines(tmp_path / "audit.jsonl")[0]["message_id"] == str(event_id)
    channel = await backbone.connection.channel()
    queue = await channel.get_queue(backbone.topology.queue_name(QUEUE), ensure=False)
    back = await next_message(queue)
    assert back.message_id == str(event_id)
    assert "x-death" not in (back.headers or {})
    await channel.close()


async def test_the_command_lists_every_installed_services_dlq_and_refuses_unknown_queues(
    backbone: Backbone,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    tool = DeadLetters(backbone.connection, backbone.topology)
    with pytest.raises(DeadLetterError, match="not a dead-letter queue"):
        await tool.inspect("reporting.projections")
    monkeypatch.setenv("BUURTWERK_AMQP_URL", backbone.namespace.amqp_url)
    monkeypatch.setenv("BUURTWERK_TOPOLOGY_PREFIX", backbone.topology.prefix)
    code = await run(
        ["discard", "missing.dlq", "--all", "--reason", "x", "--audit-log", str(tmp_path / "a")]
    )
    assert code == 2
    assert not (tmp_path / "a").exists()
    assert await run(["list"]) == 0
    # Nothing started the services under this prefix: their DLQs do not exist there yet.
    assert "reporting.projections.dlq\tmissing" in capsys.readouterr().out.splitlines()
