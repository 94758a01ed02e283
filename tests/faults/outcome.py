"""What a fault test finds at the end, checked and recorded for `docs/reliability.md`.

The numbers come from the places a fact ends up: the registrations in meals' database, the
reporting indicator over HTTP (from every reporting replica), reporting's projection and inbox,
the broker's dead-letter queues, and a probe queue that sees every publication of a meal.
"""

import asyncio
import json
import time
from collections import Counter
from dataclasses import asdict, dataclass
from uuid import UUID

import aio_pika
import asyncpg
import httpx
from aio_pika.abc import AbstractIncomingMessage

from buurtwerk_shared.contracts.events.meals import MealServedV1
from buurtwerk_shared.messaging.topology import Topology
from tests.faults.harness import FaultStack, Replica
from tests.faults.load import CENTRE, PERIOD, Poison, Till
from tests.support.apps import ARTIFACTS
from tests.support.broker import wait_for
from tests.support.tokens import bearer

RESULTS_FILE = ARTIFACTS / "faults" / "results.jsonl"
ANALYST = bearer("analyst", ["all"], sub="analyst-faults")
SETTLE_SECONDS = 120.0
# After the count is reached: a duplicate or a late redelivery would show within this time.
QUIET_SECONDS = 2.0
PROJECTIONS = "reporting.projections"


@dataclass(frozen=True)
class FaultResult:
    """One fault test's result: what went in, what was counted, what was dead-lettered."""

    fault: str
    events_in: int
    counted: int
    lost: int
    duplicated: int
    poison_in: int
    dead_lettered: int
    # Events the broker received more than once (a relay republishing unmarked rows).
    published_again: int
    # Redeliveries the consumers' inbox recognised and skipped.
    absorbed: int
    ready_again_seconds: float
    # Taps the till had to retry, and retries answered from the stored response because the
    # first attempt had committed (both 0 for a load published straight onto the exchange).
    retried: int = 0
    replayed: int = 0
    # What shows the fault bit where it was aimed, e.g. how often a kill reached its window.
    evidence: str = ""

    def check(self) -> None:
        """Nothing lost, nothing counted twice, every poison message dead-lettered."""
        assert (self.lost, self.duplicated) == (0, 0), self
        assert self.counted == self.events_in, self
        assert self.dead_lettered == self.poison_in, self


def record(result: FaultResult) -> None:
    """Append the result to `artifacts/faults/results.jsonl` (the session's table)."""
    RESULTS_FILE.parent.mkdir(parents=True, exist_ok=True)
    with RESULTS_FILE.open("a") as out:
        out.write(json.dumps(asdict(result)) + "\n")


def table(results: list[FaultResult]) -> str:
    """The results as a Markdown table."""
    lines = [
        "| fault | events in | counted | lost | duplicated | poison in | dead-lettered "
        "| published again | absorbed | till retries (replayed) | ready again (s) "
        "| evidence |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|",
    ]
    for r in results:
        lines.append(
            f"| {r.fault} | {r.events_in} | {r.counted} | {r.lost} | {r.duplicated} "
            f"| {r.poison_in} | {r.dead_lettered} | {r.published_again} | {r.absorbed} "
            f"| {r.retried} ({r.replayed}) | {r.ready_again_seconds:.1f} | {r.evidence} |"
        )
    return "\n".join(lines)


async def drain(amqp_url: str, queue: str) -> list[AbstractIncomingMessage]:
    """Take every message out of a queue."""
    connection = await aio_pika.connect(amqp_url)
    try:
        channel = await connection.channel()
        source = await channel.get_queue(queue, ensure=False)
        messages = []
        while (message := await source.get(no_ack=True, fail=False)) is not None:
            messages.append(message)
        return messages
    finally:
        await connection.close()


class Probe:
    """A durable queue that keeps every publication of a meal, to count the publications."""

    def __init__(self, amqp_url: str, topology: Topology, name: str) -> None:
        self._amqp_url = amqp_url
        self._topology = topology
        self.name = name
        self.publications: Counter[UUID] = Counter()

    async def declare(self) -> None:
        """Declare and bind the queue (before the load starts)."""
        connection = await aio_pika.connect(self._amqp_url)
        try:
            channel = await connection.channel()
            probe = await channel.declare_queue(
                self.name, durable=True, arguments={"x-queue-type": "quorum"}
            )
            await probe.bind(self._topology.events_exchange.name, MealServedV1.event_type)
        finally:
            await connection.close()

    async def take(self) -> set[UUID]:
        """Move what arrived since the last call into `publications`; returns its ids."""
        messages = await drain(self._amqp_url, self.name)
        ids = [UUID(m.message_id) for m in messages if m.message_id]
        self.publications.update(ids)
        return set(ids)

    @property
    def repeats(self) -> int:
        """Publications of an event already published before."""
        return sum(self.publications.values()) - len(self.publications)


async def served(client: httpx.AsyncClient, reporting: Replica) -> int:
    """`meals.served` for the load's centre and month, from one reporting replica."""
    response = await client.get(
        f"{reporting.url}/indicators/meals.served",
        params={"centre_id": CENTRE, "period": PERIOD},
        headers=ANALYST,
    )
    assert response.status_code == 200, response.text
    value = response.json()["value"]
    assert isinstance(value, int | float) and value == int(value), response.text
    return int(value)


async def settled_count(reporting: list[Replica], expected: int) -> int:
    """`meals.served` once every replica shows `expected` (or the time is up) and stays put."""
    deadline = time.monotonic() + SETTLE_SECONDS
    async with httpx.AsyncClient(timeout=10) as client:
        while True:
            values = [await served(client, r) for r in reporting]
            if set(values) == {expected} or time.monotonic() > deadline:
                break
            await asyncio.sleep(0.25)
        await asyncio.sleep(QUIET_SECONDS)
        values = [await served(client, r) for r in reporting]
    assert len(set(values)) == 1, f"the reporting replicas disagree: {values}"
    return values[0]


async def absorbed(reporting: list[Replica]) -> int:
    """Redeliveries skipped by the inboxes of the reporting replicas, restarts included."""
    return sum([await replica.skipped() for replica in reporting])


async def dead_letters(amqp_url: str, topology: Topology, injected: list[Poison]) -> int:
    """Check that each poison message sits once in the projections DLQ with its reason.

    Returns how many were dead-lettered; the reminders DLQ must be empty.
    """
    queue = topology.prefix + PROJECTIONS + ".dlq"
    found = [
        Poison(str(m.message_id), str(m.headers.get("x-dead-letter-reason")))
        for m in await drain(amqp_url, queue)
    ]
    assert sorted(found, key=repr) == sorted(injected, key=repr), (found, injected)
    reminders = await drain(amqp_url, topology.prefix + "reporting.reminders.dlq")
    assert reminders == [], [m.headers for m in reminders]
    return len(found)


async def reporting_registrations(database_url: str, ids: set[UUID]) -> tuple[int, int]:
    """Of these registrations: how many reporting holds, and how many more it holds."""
    conn = await asyncpg.connect(database_url)
    try:
        present = await conn.fetchval(
            "SELECT count(*) FROM meal_registrations WHERE registration_id = ANY($1::uuid[])",
            list(ids),
        )
        others = await conn.fetchval(
            "SELECT count(*) FROM meal_registrations WHERE NOT registration_id = ANY($1::uuid[])",
            list(ids),
        )
    finally:
        await conn.close()
    return int(present), int(others)


async def inbox_holds(database_url: str, event_ids: set[UUID]) -> int:
    """How many of these events reporting's projections inbox has recorded."""
    conn = await asyncpg.connect(database_url)
    try:
        held: int = await conn.fetchval(
            "SELECT count(*) FROM processed_events WHERE consumer = $1 AND event_id = ANY($2)",
            PROJECTIONS,
            list(event_ids),
        )
    finally:
        await conn.close()
    return held


async def meals_state(database_url: str) -> tuple[set[UUID], set[UUID], int]:
    """Meals' registrations, its meal_served event ids, and the outbox rows still unsent."""
    conn = await asyncpg.connect(database_url)
    try:
        registrations = {
            r["registration_id"]
            for r in await conn.fetch("SELECT registration_id FROM meal_registrations")
        }
        events = {
            r["event_id"]
            for r in await conn.fetch(
                "SELECT event_id FROM outbox WHERE event_type = $1", MealServedV1.event_type
            )
        }
        unsent: int = await conn.fetchval("SELECT count(*) FROM outbox WHERE published_at IS NULL")
    finally:
        await conn.close()
    return registrations, events, unsent


async def meals_events(stack: FaultStack) -> set[UUID]:
    """Wait until meals' relay has sent its whole outbox; the ids of its meal_served events."""
    database_url = await stack.database_url("meals")

    async def drained() -> bool:
        return (await meals_state(database_url))[2] == 0

    await wait_for(drained, within=SETTLE_SECONDS, interval=0.2)
    return (await meals_state(database_url))[1]


async def outcome(
    stack: FaultStack,
    fault: str,
    *,
    registrations: set[UUID],
    events: set[UUID],
    poison: list[Poison],
    probe: Probe,
    ready_again: float,
    evidence: str = "",
    till: Till | None = None,
) -> FaultResult:
    """Count what reporting made of the load: each registration once, each poison dead-lettered.

    `registrations` are the meals the load was given, `events` the ids of their events.
    """
    reporting = stack.of("reporting")
    reporting_db = await stack.database_url("reporting")
    counted = await settled_count(reporting, len(registrations))
    present, _ = await reporting_registrations(reporting_db, registrations)
    in_inbox = await inbox_holds(reporting_db, events)
    amqp_url, topology = stack.backend.rabbit.amqp_url, stack.namespace.topology
    await probe.take()
    return FaultResult(
        fault=fault,
        events_in=len(registrations),
        counted=counted,
        lost=max(len(registrations) - present, len(events) - in_inbox),
        # Whatever the indicator counts beyond the registrations it holds once each.
        duplicated=counted - present,
        poison_in=len(poison),
        dead_lettered=await dead_letters(amqp_url, topology, poison),
        published_again=probe.repeats,
        absorbed=await absorbed(reporting),
        ready_again_seconds=ready_again,
        retried=till.retried if till else 0,
        replayed=till.replayed if till else 0,
        evidence=evidence,
    )
