"""Rebuild: archived events/s rebuilt into fresh projections by `python -m reporting rebuild`.

The archive stream is filled with the city's mixed events (`bench.events`, every centre of the
bench city); the product is the real rebuild command as a process, on a fresh reporting database,
and the figure is the rate it reports itself (events read over its whole run, including the idle
second it waits to know it has caught up, twice). The baseline is plain aio-pika re-reading the
same stream from its first offset at prefetch 5,000 with multiple-acks, doing nothing else.
"""

import asyncio
import datetime as dt
import json
import os
import subprocess
import sys
import tempfile
import time
from itertools import islice

from aio_pika.abc import AbstractIncomingMessage, AbstractRobustConnection
from faststream.rabbit import RabbitBroker

from bench.events import CityDays, first_day_for, publish_events
from bench.harness import (
    AMQP_URL,
    Workspace,
    log,
    ratio_at_least,
    record_peak,
    report,
    throughput,
)
from buurtwerk_shared.messaging.topology import declare_topology
from buurtwerk_shared.reference import reference_data

BENCH = "rebuild"
PREFETCH = 5000


async def baseline_reread(connection: AbstractRobustConnection, stream: str, count: int) -> float:
    """Read `count` messages of the stream from its first offset; messages/s."""
    channel = await connection.channel()
    await channel.set_qos(prefetch_count=PREFETCH)
    queue = await channel.get_queue(stream, ensure=False)
    done = asyncio.Event()
    received = 0

    async def take(message: AbstractIncomingMessage) -> None:
        nonlocal received
        received += 1
        if received % (PREFETCH // 2) == 0 or received == count:
            await message.ack(multiple=True)
        if received >= count:
            done.set()

    started = time.perf_counter()
    tag = await queue.consume(take, arguments={"x-stream-offset": "first"})
    await asyncio.wait_for(done.wait(), timeout=900)
    rate = throughput(received, time.perf_counter() - started)
    await queue.cancel(tag)
    await channel.close()
    return rate


def rebuild_command(env: dict[str, str]) -> tuple[dict[str, float], float]:
    """Run `python -m reporting rebuild`; its JSON report and its peak memory in MB."""
    with tempfile.TemporaryFile() as out:
        process = subprocess.Popen(
            [sys.executable, "-m", "reporting", "rebuild"],
            env={**os.environ, **env},
            stdout=out,
            stderr=subprocess.PIPE,
        )
        # wait4 gives the child's peak resident memory along with its exit status.
        _, status, usage = os.wait4(process.pid, 0)
        process.returncode = os.waitstatus_to_exitcode(status)
        errors = process.stderr.read().decode(errors="replace") if process.stderr else ""
        out.seek(0)
        output = out.read().decode()
    if process.returncode != 0:
        raise RuntimeError(f"rebuild failed ({process.returncode}): {errors[-2000:]}")
    report_line = json.loads(output.strip().splitlines()[-1])
    return report_line, usage.ru_maxrss / 1024


async def run(quick: bool) -> None:
    """Fill the archive, re-read it raw, rebuild it, print both rates."""
    count = 20_000 if quick else 1_000_000
    async with Workspace(BENCH) as ws:
        broker = RabbitBroker(AMQP_URL, logger=None)
        await broker.connect()
        try:
            await declare_topology(broker, ws.topology)
        finally:
            await broker.stop()
        connection = await ws.connect()
        channel = await connection.channel(publisher_confirms=True)
        exchange = await channel.get_exchange(ws.topology.events_exchange.name, ensure=False)
        centres = len(reference_data().codes("centres"))
        first = first_day_for(count, centres, dt.date.today())
        log(f"{BENCH}: archiving {count} events of {centres} centres from {first}")
        sent = await publish_events(exchange, islice(CityDays(first), count))

        log(f"{BENCH}: baseline stream re-read")
        stream = ws.topology.archive_stream.name
        baseline = await baseline_reread(connection, stream, sent)

        log(f"{BENCH}: python -m reporting rebuild")
        database = await ws.database("reporting")
        env = ws.env(REPORTING_DATABASE_URL=database)
        result, peak = await asyncio.to_thread(rebuild_command, env)
        record_peak("reporting rebuild", peak)
        value = float(result["events_per_second"])
        report(
            BENCH,
            "rebuild_command",
            "events/s",
            value,
            baseline,
            ratio_at_least(0.6),
            events=int(result["events_read"]),
            seconds=result["seconds"],
        )
