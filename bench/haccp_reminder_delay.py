"""How late is a HACCP reminder? The delay between a check's due time and its reminder arriving at
a subscriber, with reporting running as real processes against the local broker and database.

Two loads, one after the other:
- spread: N cooling processes whose deadlines fall at distinct moments over a minute;
- burst: M checks all due at the same minute (times_of_day), i.e. M reminders at one instant.

Delay = the moment the subscriber receives `reporting.haccp_reminder_due.v1` minus its `due_at`,
on this machine's clock. It covers the scheduler waking, claiming and emitting, and the outbox
relay publishing. Run: `uv run python -m bench.haccp_reminder_delay [--replicas 2]`.
"""

import argparse
import asyncio
import contextlib
import datetime as dt
import json
import math
import os
import secrets
import statistics
from uuid import uuid4

import aio_pika
import asyncpg
import httpx

from buurtwerk_shared.contracts.events import EventData
from buurtwerk_shared.contracts.events.meals import HaccpCheckDefinedV1, HaccpProcessStartedV1
from buurtwerk_shared.haccp_schedule import BRUSSELS
from reporting.service import definition
from tests.support.apps import ServiceProcess
from tests.support.broker import BrokerNamespace
from tests.support.databases import database_url
from tests.support.events import publish_raw

AMQP_URL = os.environ.get("AMQP_URL", "amqp://guest:guest@127.0.0.1:5672/")
ADMIN_URL = os.environ.get("DATABASE_URL", "postgresql://postgres@127.0.0.1:5432/postgres")
KITCHEN, CENTRE = "mannenstraat-keuken", "mannenstraat"


def defined(label: str, schedule: dict[str, object], kind: str, now: dt.datetime) -> EventData:
    return HaccpCheckDefinedV1.model_validate(
        {
            "check_id": uuid4(),
            "version": 1,
            "effective_from": now,
            "kitchen_id": KITCHEN,
            "centre_id": CENTRE,
            "kind": kind,
            "label": label,
            "schedule": schedule,
            "grace_minutes": 30,
            "limits": None,
            "level": "required",
            "active": True,
        }
    )


def scheduler_delays(processes: list[ServiceProcess]) -> dict[str, object]:
    """The replicas' own delay histogram (due time to emitting into the outbox): count, mean,
    and how many were emitted within each bucket bound."""
    count, total = 0.0, 0.0
    buckets: dict[str, float] = {}
    for process in processes:
        text = httpx.get(f"{process.url}/metrics/", timeout=5).text
        for line in text.splitlines():
            if (
                not line.startswith("buurtwerk_haccp_reminder_delay_seconds")
                or 'event="due"' not in line
            ):
                continue
            name, value = line.rsplit(" ", 1)
            if name.startswith("buurtwerk_haccp_reminder_delay_seconds_count"):
                count += float(value)
            elif name.startswith("buurtwerk_haccp_reminder_delay_seconds_sum"):
                total += float(value)
            elif 'le="' in name:
                bound = name.split('le="')[1].split('"')[0]
                buckets[bound] = buckets.get(bound, 0.0) + float(value)
    return {
        "emitted": int(count),
        "mean_ms": round(1000 * total / count, 1) if count else None,
        "within": {
            f"{b}s": int(n)
            for b, n in buckets.items()
            if b in ("0.05", "0.1", "0.25", "0.5", "1.0")
        },
    }


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, math.ceil(p / 100 * len(ordered)) - 1)]


async def run(spread: int, burst: int, replicas: int) -> dict[str, object]:
    namespace = BrokerNamespace(AMQP_URL)
    name = f"bw_bench_reminders_{secrets.token_hex(3)}"
    env = {
        "REPORTING_DATABASE_URL": database_url(ADMIN_URL, name),
        "BUURTWERK_AMQP_URL": AMQP_URL,
        "BUURTWERK_TOPOLOGY_PREFIX": namespace.topology.prefix,
        "BUURTWERK_LOG_LEVEL": "WARNING",
    }
    namespace.track(*(c.queue for c in definition().consumers))
    processes = [ServiceProcess("reporting", env) for _ in range(replicas)]
    connection = await aio_pika.connect_robust(AMQP_URL)
    try:
        processes[0].migrate()
        for process in processes:
            process.start()
        channel = await connection.channel()
        probe = await channel.declare_queue(namespace.name("probe"), durable=True)
        await probe.bind(namespace.topology.events_exchange.name, "reporting.haccp_reminder_due.v1")

        now = dt.datetime.now(dt.UTC)
        events: list[EventData] = []
        due: dict[str, dt.datetime] = {}
        # Spread: deadlines from 15 s to 75 s from now, each at its own moment.
        cooling = defined("Afkoelen", {"type": "on_event"}, "cooling", now)
        assert isinstance(cooling, HaccpCheckDefinedV1)
        events.append(cooling)
        for i in range(spread):
            deadline = now + dt.timedelta(seconds=15 + 60 * i / spread)
            events.append(
                HaccpProcessStartedV1(
                    process_id=uuid4(),
                    check_id=cooling.check_id,
                    kitchen_id=KITCHEN,
                    centre_id=CENTRE,
                    kind="cooling",
                    started_at=deadline - dt.timedelta(minutes=120),
                    start_value=65,
                    deadline_at=deadline,
                )
            )
        # Burst: every check due at the first minute boundary at least 90 s from now.
        boundary = (now + dt.timedelta(seconds=90)).replace(second=0, microsecond=0)
        boundary += dt.timedelta(minutes=1)
        clock = boundary.astimezone(BRUSSELS).strftime("%H:%M")
        events += [
            defined(f"Koelkast {i}", {"type": "times_of_day", "times": [clock]}, "fridge", now)
            for i in range(burst)
        ]
        for event in events:
            await publish_raw(connection, namespace.topology, event)

        delays: dict[str, list[float]] = {"spread": [], "burst": []}
        all_in = asyncio.Event()

        async def arrived(message: aio_pika.abc.AbstractIncomingMessage) -> None:
            # Stamped on arrival: a push consumer, not polling, so the client adds no delay.
            received = dt.datetime.now(dt.UTC)
            due_at = dt.datetime.fromisoformat(json.loads(message.body)["due_at"])
            load = "burst" if due_at == boundary else "spread"
            delays[load].append((received - due_at).total_seconds())
            due[str(message.message_id)] = due_at
            if sum(map(len, delays.values())) >= spread + burst:
                all_in.set()

        await probe.consume(arrived, no_ack=True)
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(all_in.wait(), (boundary - now).total_seconds() + 60)
        summary: dict[str, object] = {"replicas": replicas}
        for load, values in delays.items():
            expected = spread if load == "spread" else burst
            summary[load] = {
                "reminders": len(values),
                "expected": expected,
                "p50_ms": round(1000 * statistics.median(values), 1) if values else None,
                "p95_ms": round(1000 * percentile(values, 95), 1) if values else None,
                "p99_ms": round(1000 * percentile(values, 99), 1) if values else None,
                "max_ms": round(1000 * max(values), 1) if values else None,
            }
        summary["distinct_ids"] = len(due)
        summary["scheduler_side"] = scheduler_delays(processes)
        return summary
    finally:
        await connection.close()
        for process in processes:
            process.stop()
        await namespace.delete()
        admin = await asyncpg.connect(ADMIN_URL)
        try:
            await admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        finally:
            await admin.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--spread", type=int, default=300, help="processes over one minute")
    parser.add_argument("--burst", type=int, default=200, help="checks due at the same minute")
    parser.add_argument("--replicas", type=int, default=1, help="reporting processes")
    args = parser.parse_args()
    print(json.dumps(asyncio.run(run(args.spread, args.burst, args.replicas)), indent=2))


if __name__ == "__main__":
    main()
