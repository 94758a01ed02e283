"""The example subscriber receives the real events of a real run, live and from the archive."""

import json
import os
import subprocess
import sys
from pathlib import Path

import httpx

from tests.e2e.conftest import Stack
from tests.support.tokens import bearer

SUBSCRIBER = Path(__file__).parents[2] / "examples" / "subscriber" / "subscriber.py"
CENTRE = "mannenstraat"
COORDINATOR = bearer("centre_coordinator", [CENTRE], sub="coord-subscriber")
COOK = bearer("kitchen_staff", [CENTRE], sub="cook-subscriber")


def start_subscriber(stack: Stack, *args: str) -> subprocess.Popen[str]:
    process = subprocess.Popen(
        [sys.executable, str(SUBSCRIBER), "--prefix", stack.namespace.topology.prefix, *args],
        env={**os.environ, "SUBSCRIBER_AMQP_URL": stack.servers.amqp_url},
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    assert process.stderr is not None
    ready = process.stderr.readline()
    assert ready.startswith("subscribed to"), ready + process.stderr.read()
    return process


def events_of(process: subprocess.Popen[str]) -> list[dict[str, object]]:
    try:
        out, err = process.communicate(timeout=60)
    finally:
        process.kill()
    assert process.returncode == 0, err
    return [json.loads(line) for line in out.splitlines()]


async def test_the_example_subscriber_receives_the_meals_events_live_and_from_the_archive(
    stack: Stack,
) -> None:
    stack.namespace.name("city-datawarehouse.events")  # its queue is removed after the test
    meals = stack.service("meals")
    live = start_subscriber(stack, "--bind", "meals.#", "--max-events", "2")
    try:
        async with httpx.AsyncClient(timeout=10) as client:
            planned = await client.post(
                f"{meals.url}/services",
                json={
                    "centre_id": CENTRE,
                    "kitchen_id": "mannenstraat-keuken",
                    "date": "2026-09-15",
                    "start_time": "18:00",
                    "capacity": 60,
                    "prices": {"standard": 650, "reduced": 350},
                    "dishes": [{"name": "Waterzooi", "allergens": ["celery", "milk"]}],
                },
                headers=COORDINATOR,
            )
            assert planned.status_code == 201, planned.text
            service_id = planned.json()["service_id"]
            registered = await client.post(
                f"{meals.url}/services/{service_id}/registrations",
                json={"tariff": "reduced", "count": 4},
                headers=COOK,
            )
            assert registered.status_code == 201, registered.text
        received = events_of(live)
    finally:
        live.kill()

    planned_event, served_event = received
    assert planned_event["type"] == "meals.service_planned.v1"
    assert served_event["type"] == "meals.meal_served.v1"
    for event in received:
        assert event["source"] == "/buurtwerk/meals"
        assert event["specversion"] == "1.0"
        assert isinstance(event["traceparent"], str)
    served_data = served_event["data"]
    assert isinstance(served_data, dict)
    assert served_data["service_id"] == service_id
    assert served_data["registration_id"] == registered.json()["registration_id"]
    assert served_data["count"] == 4
    assert served_data["tariff"] == "reduced"

    archived = events_of(start_subscriber(stack, "--from-archive", "--max-events", "2"))
    assert [e["id"] for e in archived] == [e["id"] for e in received]
