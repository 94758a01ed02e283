"""How late is a HACCP reminder? From a check's due time to its reminder arriving at a subscriber,
with reporting running as a real process (part of the end-to-end benchmark).

Two loads at once:
- spread: N cooling processes whose deadlines fall at distinct moments over a few seconds;
- burst: M checks all due at the same minute (times_of_day), i.e. M reminders at one instant.

Delay = the moment the subscriber receives `reporting.haccp_reminder_due.v1` minus its `due_at`,
on this machine's clock: the scheduler waking, claiming and emitting, and the outbox relay
publishing.
"""

import asyncio
import contextlib
import datetime as dt
import json
from uuid import uuid4

import aio_pika
from aio_pika.abc import AbstractRobustConnection

from bench.events import payloads, publish
from buurtwerk_shared.clock import BRUSSELS
from buurtwerk_shared.contracts.events import EventData
from buurtwerk_shared.contracts.events.meals import HaccpCheckDefinedV1, HaccpProcessStartedV1
from tests.support.broker import BrokerNamespace

KITCHEN, CENTRE = "mannenstraat-keuken", "mannenstraat"


def defined(label: str, schedule: dict[str, object], kind: str, now: dt.datetime) -> EventData:
    """A check definition of the kitchen, effective now."""
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


def load(
    spread: int, spread_seconds: float, burst: int, now: dt.datetime
) -> tuple[list[EventData], dt.datetime]:
    """The events of both loads, and the burst's due time."""
    cooling = defined("Afkoelen", {"type": "on_event"}, "cooling", now)
    assert isinstance(cooling, HaccpCheckDefinedV1)
    events: list[EventData] = [cooling]
    for i in range(spread):
        deadline = now + dt.timedelta(seconds=5 + spread_seconds * i / spread)
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
    # Every burst check is due at the first minute boundary at least 30 s from now.
    boundary = (now + dt.timedelta(seconds=30)).replace(second=0, microsecond=0)
    boundary += dt.timedelta(minutes=1)
    clock = boundary.astimezone(BRUSSELS).strftime("%H:%M")
    events += [
        defined(f"Koelkast {i}", {"type": "times_of_day", "times": [clock]}, "fridge", now)
        for i in range(burst)
    ]
    return events, boundary


async def delays(
    connection: AbstractRobustConnection,
    namespace: BrokerNamespace,
    spread: int,
    spread_seconds: float,
    burst: int,
) -> dict[str, list[float]]:
    """Publish both loads to a running reporting; each reminder's delay in seconds, per load."""
    channel = await connection.channel(publisher_confirms=True)
    probe = await channel.declare_queue(namespace.name("reminder-probe"), durable=True)
    await probe.bind(namespace.topology.events_exchange.name, "reporting.haccp_reminder_due.v1")
    now = dt.datetime.now(dt.UTC)
    events, boundary = load(spread, spread_seconds, burst, now)
    exchange = await channel.get_exchange(namespace.topology.events_exchange.name, ensure=False)
    await publish(exchange, payloads(events))

    found: dict[str, list[float]] = {"spread": [], "burst": []}
    all_in = asyncio.Event()

    async def arrived(message: aio_pika.abc.AbstractIncomingMessage) -> None:
        # Stamped on arrival: a push consumer, so the client adds no polling delay.
        received = dt.datetime.now(dt.UTC)
        due_at = dt.datetime.fromisoformat(json.loads(message.body)["due_at"])
        found["burst" if due_at == boundary else "spread"].append(
            (received - due_at).total_seconds()
        )
        if sum(map(len, found.values())) >= spread + burst:
            all_in.set()

    await probe.consume(arrived, no_ack=True)
    wait = (boundary - now).total_seconds() if burst else 5 + spread_seconds
    with contextlib.suppress(TimeoutError):
        await asyncio.wait_for(all_in.wait(), wait + 30)
    await channel.close()
    return found
