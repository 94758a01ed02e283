"""Projection: events/s that the reporting service turns into committed, idempotent projection
updates, draining a backlog of mixed events (`bench.events`).

The product is a real `python -m reporting serve` process started on a full queue: its batch
consumer validates every message against the contracts and applies each batch to the projection
tables in one transaction with its inbox rows, then acknowledges it with one multiple-ack. The
baseline is the ideal batch consumer in plain aio-pika and asyncpg, reading the same messages
from a queue of its own: inbox dedupe and one upsert per (centre, day) in one transaction per
batch of at most 500, one multiple-ack, prefetch 1,000.
"""

import asyncio
import datetime as dt
import json
import time
from collections import Counter
from uuid import UUID

import asyncpg
from aio_pika.abc import AbstractChannel, AbstractIncomingMessage, AbstractRobustConnection
from faststream.rabbit import RabbitBroker

from bench.events import city_events, payloads, publish
from bench.harness import (
    AMQP_URL,
    Workspace,
    cpu_seconds,
    log,
    queue_depth,
    ratio_at_least,
    report,
    throughput,
    wait_until,
)
from buurtwerk_shared.messaging.topology import Topology, declare_topology
from reporting.service import definition

BENCH = "projection"
BATCH = 500

_BASELINE_TABLES = """
CREATE TABLE processed_events (
    consumer text NOT NULL, event_id uuid NOT NULL, PRIMARY KEY (consumer, event_id)
);
CREATE TABLE day_counts (
    centre_id text NOT NULL, date date NOT NULL, events bigint NOT NULL,
    PRIMARY KEY (centre_id, date)
);
"""
_CLAIM = """
INSERT INTO processed_events (consumer, event_id) SELECT 'baseline', unnest($1::uuid[])
ON CONFLICT DO NOTHING RETURNING event_id
"""
_COUNT = """
INSERT INTO day_counts (centre_id, date, events)
SELECT * FROM unnest($1::text[], $2::date[], $3::bigint[]) ORDER BY 1, 2
ON CONFLICT (centre_id, date) DO UPDATE SET events = day_counts.events + excluded.events
"""


async def declare(topology: Topology) -> None:
    """Declare the reporting service's topology, as the service does at start-up."""
    broker = RabbitBroker(AMQP_URL, logger=None)
    await broker.connect()
    try:
        consumers = tuple(c.queue for c in definition().consumers)
        await declare_topology(broker, topology, consumers)
    finally:
        await broker.stop()


def _centre_day(message: AbstractIncomingMessage) -> tuple[str, str]:
    data = json.loads(message.body)
    headers = message.headers or {}
    day = data.get("date") or str(headers.get("ce-time", ""))[:10]
    return data.get("centre_id") or "", day


async def baseline_consume(
    connection: AbstractRobustConnection, queue_name: str, database: str, count: int
) -> float:
    """Drain `count` messages with the ideal batch consumer; its events/s."""
    conn = await asyncpg.connect(database)
    await conn.execute(_BASELINE_TABLES)
    channel = await connection.channel()
    await channel.set_qos(prefetch_count=2 * BATCH)
    queue = await channel.get_queue(queue_name, ensure=False)
    deliveries: asyncio.Queue[AbstractIncomingMessage] = asyncio.Queue()
    done = 0
    started = time.perf_counter()
    tag = await queue.consume(deliveries.put)
    try:
        while done < count:
            batch = [await deliveries.get()]
            while len(batch) < BATCH and not deliveries.empty():
                batch.append(deliveries.get_nowait())
            async with conn.transaction():
                ids = [UUID(str(m.message_id)) for m in batch]
                fresh = {r["event_id"] for r in await conn.fetch(_CLAIM, ids)}
                counts = Counter(
                    _centre_day(m)
                    for m, event_id in zip(batch, ids, strict=True)
                    if event_id in fresh
                )
                keys = sorted(counts)
                await conn.execute(
                    _COUNT,
                    [k[0] for k in keys],
                    [dt.date.fromisoformat(k[1]) for k in keys],
                    [counts[k] for k in keys],
                )
            await batch[-1].ack(multiple=True)
            done += len(batch)
        return throughput(done, time.perf_counter() - started)
    finally:
        await queue.cancel(tag)
        await channel.close()
        await conn.close()


async def run(quick: bool) -> None:
    """Fill both queues with the same backlog, drain each, print the rates."""
    await measure(10_000 if quick else 200_000)


async def measure(count: int) -> None:
    """The projection figure on a backlog of `count` events."""
    async with Workspace(BENCH) as ws:
        await declare(ws.topology)
        projections = ws.topology.queue_name(definition().consumers[0].queue)
        connection = await ws.connect()
        channel = await connection.channel(publisher_confirms=True)
        exchange = await channel.get_exchange(ws.topology.events_exchange.name, ensure=False)
        baseline_queue = await channel.declare_queue(
            ws.namespace.name("baseline"), durable=True, arguments={"x-queue-type": "quorum"}
        )
        await baseline_queue.bind(exchange, "#")

        log(f"{BENCH}: publishing a backlog of {count} mixed events")
        events = city_events(count)
        for start in range(0, count, 20_000):
            await publish(exchange, payloads(events[start : start + 20_000]))
        del events

        log(f"{BENCH}: baseline batch consumer")
        baseline_db = await ws.database("reporting", migrated=False)
        baseline = await baseline_consume(connection, baseline_queue.name, baseline_db, count)

        log(f"{BENCH}: the reporting service")
        database = await ws.database("reporting")
        monitor = await asyncpg.connect(database)
        first = asyncio.create_task(_first_delivery(channel, projections, count))
        service = await asyncio.to_thread(ws.start, "reporting", database)
        started = await first
        assert service.pid is not None
        cpu_before = cpu_seconds(service.pid)
        log(f"{BENCH}: consuming started")

        async def all_applied() -> bool:
            applied = await monitor.fetchval(
                "SELECT count(*) FROM processed_events WHERE consumer = $1",
                "reporting.projections",
            )
            return bool(applied >= count)

        await wait_until(lambda: _empty(channel, projections), within=900, interval=0.1)
        log(f"{BENCH}: queue empty")
        await wait_until(all_applied, within=60, interval=0.05)
        elapsed = time.perf_counter() - started
        value = throughput(count, elapsed)
        cores = (cpu_seconds(service.pid) - cpu_before) / elapsed
        await monitor.close()
        report(
            BENCH,
            "reporting_consumer",
            "events/s",
            value,
            baseline,
            ratio_at_least(0.7),
            events=count,
            service_cpu_cores=round(cores, 2),
        )


async def _first_delivery(channel: AbstractChannel, queue: str, count: int) -> float:
    """The moment the consumer took its first messages off the full queue."""

    async def started() -> bool:
        return await queue_depth(channel, queue) < count

    await wait_until(started, within=120, interval=0.02)
    return time.perf_counter()


async def _empty(channel: AbstractChannel, queue: str) -> bool:
    return await queue_depth(channel, queue) == 0
