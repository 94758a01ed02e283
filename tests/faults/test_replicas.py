"""Two replicas of every service at once, under the till's load and with HACCP reminders due.

The till taps on both meals replicas (two relays share the outbox), both reporting replicas
compete on the queues (one inbox) and both run the reminder scheduler: every meal is counted
once, and every reminder and escalation is published once.
"""

import asyncio
import contextlib
import datetime as dt
from uuid import UUID, uuid5

import aio_pika
import httpx
import pytest

from buurtwerk_shared.contracts.events.reporting import HaccpCheckOverdueV1, HaccpReminderDueV1
from tests.faults.conftest import Results
from tests.faults.harness import FaultStack
from tests.faults.load import COOK, COORDINATOR, KITCHEN
from tests.faults.outcome import QUIET_SECONDS, drain
from tests.faults.scenario import till_scenario
from tests.support.broker import wait_for

pytestmark = pytest.mark.faults

SERVICES = ("meals", "volunteers", "courses", "reporting")
COOLING_PROCESSES = 10
COOLING_MINUTES = 120  # the catalogue's default limit for cooling


async def start_coolings(client: httpx.AsyncClient, meals_url: str) -> set[tuple[str, str]]:
    """Cooling processes whose deadlines fall during the load; the events they must cause."""
    defined = await client.post(
        f"{meals_url}/haccp/kitchens/{KITCHEN}/checks",
        json={"kind": "cooling", "label": "Afkoelen soep", "schedule": {"type": "on_event"}},
        headers=COORDINATOR,
    )
    assert defined.status_code == 201, defined.text
    check_id = UUID(defined.json()["check_id"])
    expected: set[tuple[str, str]] = set()
    now = dt.datetime.now(dt.UTC)
    for i in range(COOLING_PROCESSES):
        # Typed in as started almost two hours ago: the deadlines are 4 to 13 s away.
        started_at = now - dt.timedelta(minutes=COOLING_MINUTES) + dt.timedelta(seconds=4 + i)
        started = await client.post(
            f"{meals_url}/haccp/checks/{check_id}/processes",
            json={"product": f"Soep {i}", "start_value": 68, "started_at": started_at.isoformat()},
            headers=COOK,
        )
        assert started.status_code == 201, started.text
        deadline = dt.datetime.fromisoformat(started.json()["deadline_at"]).astimezone(dt.UTC)
        reminder = uuid5(check_id, deadline.isoformat())
        expected.add((HaccpReminderDueV1.event_type, str(reminder)))
        expected.add((HaccpCheckOverdueV1.event_type, str(uuid5(reminder, "overdue"))))
    return expected


async def test_two_replicas_of_every_service(stack: FaultStack, results: Results) -> None:
    for service in SERVICES:
        await stack.database_url(service)  # made once, before the replicas race to start
    await asyncio.gather(*(stack.replica(service) for service in SERVICES for _ in range(2)))
    meals = stack.of("meals")
    amqp_url, topology = stack.backend.rabbit.amqp_url, stack.namespace.topology
    reminders_probe = stack.namespace.name("probe.reminders")
    connection = await aio_pika.connect(amqp_url)
    channel = await connection.channel()
    probe = await channel.declare_queue(reminders_probe, durable=True)
    for event_type in (HaccpReminderDueV1.event_type, HaccpCheckOverdueV1.event_type):
        await probe.bind(topology.events_exchange.name, event_type)
    await connection.close()

    scenario = await till_scenario(stack, meals)
    async with httpx.AsyncClient(timeout=10) as client:
        expected = await start_coolings(client, meals[1].url)
    scenario.start()

    published: list[tuple[str, str]] = []

    async def all_reminded() -> bool:
        published.extend(
            (str(m.headers["ce-type"]), str(m.message_id))
            for m in await drain(amqp_url, reminders_probe)
        )
        return len(published) >= len(expected)

    with contextlib.suppress(AssertionError):  # the comparison below says what is missing
        await wait_for(all_reminded, within=60, interval=0.5)
    await asyncio.sleep(QUIET_SECONDS)  # a second replica's repeat would arrive by now
    await all_reminded()
    once = sorted(published) == sorted(expected)
    result = await scenario.finish(
        "two replicas of every service (2 relays, competing consumers, 2 schedulers)",
        ready_again=await stack.wait_ready(),
        evidence=(
            f"reminders and escalations: {len(published)} published for {len(expected)} due"
            f"{', each once' if once else ''}"
        ),
    )
    results.add(result)
    assert sorted(published) == sorted(expected), "each reminder and escalation once"
