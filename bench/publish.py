"""Publishing: events/s from committed outbox rows to confirmed broker messages.

The product is the real `OutboxRelay` (claim 500 rows `FOR UPDATE SKIP LOCKED`, publish them with
pipelined confirms, mark them sent) draining an outbox of mixed events into the topic exchange,
bound to one quorum queue. The baseline is plain aio-pika publishing the same messages to the same
exchange with pipelined confirms (1,000 in flight), with no database at all.
"""

import asyncio
import contextlib
import time

import asyncpg

from bench.events import city_events, payloads, publish
from bench.harness import Workspace, log, ratio_at_least, report, throughput, wait_until
from buurtwerk_shared.contracts.events import EventData
from buurtwerk_shared.db.pool import create_pool
from buurtwerk_shared.messaging.outbox import OUTBOX_COLUMNS, envelope_for, outbox_row
from buurtwerk_shared.messaging.relay import OutboxRelay
from tests.support.broker import TEST_BROKER_USER

BENCH = "publish"


async def fill_outbox(database: str, events: list[EventData]) -> None:
    """Commit the events as outbox rows, as `outbox.emit` writes them."""
    rows = [outbox_row(envelope_for(event), event) for event in events]
    conn = await asyncpg.connect(database)
    try:
        await conn.copy_records_to_table("outbox", records=rows, columns=OUTBOX_COLUMNS)
    finally:
        await conn.close()


async def run(quick: bool) -> None:
    """Measure the relay against raw pipelined publishing and print both."""
    count = 10_000 if quick else 100_000
    async with Workspace(BENCH) as ws:
        database = await ws.database("meals")
        connection = await ws.connect()
        channel = await connection.channel(publisher_confirms=True)
        exchange = await channel.declare_exchange(
            ws.topology.events_exchange.name, "topic", durable=True
        )
        sinks = []
        for phase in ("baseline", "relay"):
            sink = await channel.declare_queue(
                ws.namespace.name(f"sink-{phase}"),
                durable=True,
                arguments={"x-queue-type": "quorum"},
            )
            sinks.append(sink)
        events = city_events(count)

        log(f"{BENCH}: baseline, {count} messages with pipelined confirms")
        # Each phase into a queue of its own: purging one would load the broker during the next.
        await sinks[0].bind(exchange, "#")
        ready = payloads(events)
        started = time.perf_counter()
        await publish(exchange, ready)
        baseline = throughput(count, time.perf_counter() - started)
        del ready
        await sinks[0].unbind(exchange, "#")
        await sinks[1].bind(exchange, "#")

        log(f"{BENCH}: the outbox relay, {count} rows")
        await fill_outbox(database, events)
        pool = await create_pool(database, 2)
        monitor = await asyncpg.connect(database)
        relay = OutboxRelay(pool, database, exchange.name, user_id=TEST_BROKER_USER)

        async def drained() -> bool:
            unsent = await monitor.fetchval(
                "SELECT count(*) FROM outbox WHERE published_at IS NULL"
            )
            return bool(unsent == 0)

        started = time.perf_counter()
        task = asyncio.create_task(relay.run(connection))
        try:
            await wait_until(drained, within=600, interval=0.1)
            value = throughput(count, time.perf_counter() - started)
        finally:
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await task
            await monitor.close()
            await pool.close()
        report(
            BENCH,
            "outbox_relay",
            "events/s",
            value,
            baseline,
            ratio_at_least(0.8),
            events=count,
        )
