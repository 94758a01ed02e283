"""Every part of a service is safe with several replicas: migrations, HTTP writes, relay, consumers.

Two replicas of meals and two of reporting share their databases and queues, as on Kubernetes;
each fact is published and counted exactly once, and both reporting replicas give the same value.
"""

import asyncio
import os
import subprocess
import sys

import aio_pika
import asyncpg
import httpx

from tests.e2e.conftest import Stack
from tests.support.broker import collect, wait_for
from tests.support.databases import database_url
from tests.support.tokens import bearer

CENTRE = "sint-maartensdal"
COORDINATOR = bearer("centre_coordinator", [CENTRE], sub="coord-replicas")
COOK = bearer("kitchen_staff", [CENTRE], sub="cook-replicas")
ANALYST = bearer("analyst", ["all"], sub="analyst-replicas")
REGISTRATIONS = 40


def migrate_concurrently(name: str, url: str) -> None:
    """Several replicas starting together: each runs the migrations; they take turns."""
    env = {**os.environ, f"{name.upper()}_DATABASE_URL": url}
    processes = [
        subprocess.Popen([sys.executable, "-m", name, "migrate"], env=env) for _ in range(3)
    ]
    assert [p.wait(timeout=120) for p in processes] == [0, 0, 0]


async def test_two_replicas_of_each_service_publish_and_count_every_meal_once(
    stack: Stack,
) -> None:
    reporting_db = database_url(stack.servers.database_url, f"bw_e2e_reporting_{stack.run_id}")
    await asyncio.to_thread(migrate_concurrently, "reporting", reporting_db)
    meals = [stack.service("meals"), stack.service("meals")]
    reporting = [stack.service("reporting"), stack.service("reporting")]
    probe = stack.namespace.name("probe.replicas")
    connection = await aio_pika.connect_robust(stack.servers.amqp_url)
    channel = await connection.channel()
    queue = await channel.declare_queue(probe, durable=True)
    await queue.bind(stack.namespace.topology.events_exchange.name, "meals.meal_served.v1")

    async with httpx.AsyncClient(timeout=10) as client, collect(connection, probe) as published:
        planned = await client.post(
            f"{meals[0].url}/services",
            json={
                "centre_id": CENTRE,
                "kitchen_id": "sint-maartensdal-keuken",
                "date": "2026-10-06",
                "start_time": "12:00",
                "capacity": 100,
                "prices": {"standard": 650},
                "dishes": [{"name": "Hutsepot", "allergens": ["celery"]}],
            },
            headers=COORDINATOR,
        )
        assert planned.status_code == 201, planned.text
        path = f"/services/{planned.json()['service_id']}/registrations"
        responses = await asyncio.gather(
            *(
                client.post(
                    meals[i % 2].url + path,
                    json={"tariff": "standard", "count": 1},
                    headers={**COOK, "Idempotency-Key": f"till-{i}"},
                )
                for i in range(REGISTRATIONS)
            )
        )
        assert all(r.status_code == 201 for r in responses)

        async def both_count_every_meal() -> bool:
            values = []
            for replica in reporting:
                response = await client.get(
                    f"{replica.url}/indicators/meals.served",
                    params={"centre_id": CENTRE, "period": "2026-10"},
                    headers=ANALYST,
                )
                values.append(response.json()["value"])
            return values == [REGISTRATIONS, REGISTRATIONS]

        await wait_for(both_count_every_meal, within=60, interval=0.2)
        await wait_for(lambda: len(published) >= REGISTRATIONS)
        await asyncio.sleep(1)  # a duplicate publish would arrive now
    await connection.close()

    assert len(published) == REGISTRATIONS
    assert len({m.message_id for m in published}) == REGISTRATIONS
    conn = await asyncpg.connect(reporting_db)
    try:
        assert await conn.fetchval("SELECT count(*) FROM meal_registrations") == REGISTRATIONS
        inbox = await conn.fetchval(
            "SELECT count(*) FROM processed_events WHERE consumer = 'reporting.projections'"
        )
        assert inbox == REGISTRATIONS + 1, "every meal and the planned service, each once"
    finally:
        await conn.close()
