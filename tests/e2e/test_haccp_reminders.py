"""Meals and two reporting replicas as real processes: a cooling process that misses its deadline
is reminded and escalated once, and the late reading closes the reminder."""

import asyncio
import datetime as dt
import signal
from uuid import UUID, uuid5

import aio_pika
import httpx

from tests.e2e.conftest import Stack
from tests.support.broker import wait_for
from tests.support.tokens import bearer

CENTRE = "sint-maartensdal"
KITCHEN = "sint-maartensdal-keuken"
COORDINATOR = bearer("centre_coordinator", [CENTRE], sub="coord-e2e")
COOK = bearer("kitchen_staff", [CENTRE], sub="cook-e2e")


async def test_two_reporting_replicas_remind_and_escalate_once(stack: Stack) -> None:
    meals = stack.service("meals")
    replicas = [stack.service("reporting"), stack.service("reporting")]
    connection = await aio_pika.connect(stack.namespace.amqp_url)
    try:
        channel = await connection.channel()
        probe = await channel.declare_queue(stack.namespace.name("probe.reminders"), durable=True)
        await probe.bind(stack.namespace.topology.events_exchange.name, "reporting.#")
        async with httpx.AsyncClient(timeout=10) as client:
            defined = await client.post(
                f"{meals.url}/haccp/kitchens/{KITCHEN}/checks",
                json={
                    "kind": "cooling",
                    "label": "Afkoelen soep",
                    "schedule": {"type": "on_event"},
                },
                headers=COORDINATOR,
            )
            assert defined.status_code == 201, defined.text
            check_id = defined.json()["check_id"]
            # Typed in as started almost two hours ago: the deadline is seconds away.
            started_at = dt.datetime.now(dt.UTC) - dt.timedelta(minutes=120, seconds=-4)
            started = await client.post(
                f"{meals.url}/haccp/checks/{check_id}/processes",
                json={"product": "Kippensoep 20 l", "start_value": 68,
                      "started_at": started_at.isoformat()},
                headers=COOK,
            )  # fmt: skip
            assert started.status_code == 201, started.text
            process = started.json()
            deadline = dt.datetime.fromisoformat(process["deadline_at"])

            received: list[aio_pika.abc.AbstractIncomingMessage] = []

            async def both_arrived() -> bool:
                while (message := await probe.get(no_ack=True, fail=False)) is not None:
                    received.append(message)
                return len(received) >= 2

            await wait_for(both_arrived, within=30)
            await asyncio.sleep(2)  # a duplicate from the other replica would arrive by now
            await both_arrived()
            reminder = uuid5(UUID(check_id), deadline.astimezone(dt.UTC).isoformat())
            assert sorted((m.headers["ce-type"], m.message_id) for m in received) == sorted(
                [
                    ("reporting.haccp_check_overdue.v1", str(uuid5(reminder, "overdue"))),
                    ("reporting.haccp_reminder_due.v1", str(reminder)),
                ]
            )

            for replica in replicas:
                listed = await client.get(
                    f"{replica.url}/reminders", params={"kitchen_id": KITCHEN}, headers=COOK
                )
                assert listed.status_code == 200, listed.text
                [open_one] = listed.json()["reminders"]
                assert (open_one["reminder_id"], open_one["overdue"]) == (str(reminder), True)

            late = await client.post(
                f"{meals.url}/haccp/processes/{process['process_id']}/readings",
                json={"value": 8},
                headers=COOK,
            )
            assert late.status_code == 201, late.text
            assert late.json()["status"] == "failed"

            async def closed() -> bool:
                listed = await client.get(
                    f"{replicas[1].url}/reminders", params={"kitchen_id": KITCHEN}, headers=COOK
                )
                still_open: list[object] = listed.json()["reminders"]
                return not still_open

            await wait_for(closed, within=20)
    finally:
        await connection.close()
    for process_ in (meals, *replicas):
        assert process_.stop() in (0, -signal.SIGTERM)
