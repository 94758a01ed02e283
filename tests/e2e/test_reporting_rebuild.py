"""`python -m reporting rebuild` against a running reporting process: the same figures after."""

import asyncio
import datetime as dt
import json
import subprocess
import sys
from uuid import uuid4

import aio_pika
import httpx

from buurtwerk_shared.contracts.events.meals import MealServedV1
from tests.e2e.conftest import Stack
from tests.support.events import publish_raw
from tests.support.tokens import bearer

ANALYST = bearer("analyst", ["all"], sub="analyst-e2e")


async def served(client: httpx.AsyncClient, url: str) -> float | None:
    response = await client.get(
        f"{url}/indicators/meals.served", params={"period": "2026-03"}, headers=ANALYST
    )
    assert response.status_code == 200, response.text
    value: float | None = response.json()["value"]
    return value


async def test_rebuild_command_keeps_the_figures(stack: Stack) -> None:
    reporting = stack.service("reporting")
    connection = await aio_pika.connect_robust(stack.servers.amqp_url)
    try:
        for count in (2, 3, 4):
            meal = MealServedV1(
                registration_id=uuid4(),
                service_id=uuid4(),
                centre_id="mannenstraat",  # a centre with a kitchen
                date=dt.date(2026, 3, 31),
                tariff="standard",
                count=count,
                takeaway=False,
            )
            await publish_raw(connection, stack.namespace.topology, meal)
    finally:
        await connection.close()
    async with httpx.AsyncClient(timeout=10) as client:
        for _ in range(200):
            if await served(client, reporting.url) == 9:
                break
            await asyncio.sleep(0.1)
        assert await served(client, reporting.url) == 9
        result = await asyncio.to_thread(
            subprocess.run,
            [sys.executable, "-m", "reporting", "rebuild"],
            env=reporting.env,
            capture_output=True,
            text=True,
            timeout=120,
            check=True,
        )
        report = json.loads(result.stdout.strip().splitlines()[-1])
        assert report["events_applied"] == 3 and report["invalid"] == 0
        assert await served(client, reporting.url) == 9
