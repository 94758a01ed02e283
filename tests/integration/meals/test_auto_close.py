"""Services close themselves: a service nobody closed stops taking meals at the till when its
day is over, and the background task closes it with the same event and audit as a close at the
till, once, whatever the number of replicas."""

import asyncio
import datetime as dt
from collections.abc import AsyncIterator
from uuid import UUID

import aio_pika
import asyncpg
import pytest

from buurtwerk_shared.clock import BRUSSELS
from buurtwerk_shared.db.pool import create_pool
from meals.domain.auto_close import close_due_services
from meals.service import definition
from meals.settings import MealsSettings
from tests.integration.meals.conftest import (
    COOK,
    COORDINATOR,
    TODAY,
    TOMORROW,
    YESTERDAY,
    MealsApi,
)
from tests.support.apps import in_process, platform_settings
from tests.support.broker import BrokerNamespace, collect, wait_for
from tests.support.databases import DatabaseFactory, database_url
from tests.support.servers import Servers


def midnight_after(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day + dt.timedelta(days=1), dt.time(0), tzinfo=BRUSSELS)


@pytest.fixture
async def closing_meals(
    databases: DatabaseFactory, namespace: BrokerNamespace
) -> AsyncIterator[MealsApi]:
    """Meals in process, its auto-close task looking every 0.2 s."""
    url = await databases.create(definition().migrations)
    settings = MealsSettings(
        database_url=url, platform=platform_settings(namespace), auto_close_poll_seconds=0.2
    )
    db = await asyncpg.connect(url)
    connection = await aio_pika.connect_robust(namespace.amqp_url)
    try:
        async with in_process(definition(settings)) as client:
            channel = await connection.channel()
            probe = namespace.name("probe.auto-close")
            queue = await channel.declare_queue(probe, durable=True)
            await queue.bind(namespace.topology.events_exchange.name, routing_key="meals.#")
            async with collect(connection, probe) as published:
                yield MealsApi(client, db, published)
    finally:
        await connection.close()
        await db.close()


async def test_a_service_closes_itself_at_midnight_after_its_day(meals: MealsApi) -> None:
    ahead = await meals.plan(date=TOMORROW.isoformat())
    assert dt.datetime.fromisoformat(ahead["closes_at"]) == midnight_after(TOMORROW)
    # Planned after its day (a coordinator entering last week's meals): the day it was planned.
    entered_later = await meals.plan(date="2026-01-05")
    assert dt.datetime.fromisoformat(entered_later["closes_at"]) == midnight_after(TODAY)


async def test_the_closing_time_is_a_setting(
    databases: DatabaseFactory, namespace: BrokerNamespace
) -> None:
    url = await databases.create(definition().migrations)
    settings = MealsSettings(
        database_url=url, platform=platform_settings(namespace), auto_close_time=dt.time(3, 30)
    )
    async with in_process(definition(settings)) as client:
        response = await client.post(
            "/services",
            json={
                "centre_id": "sint-maartensdal",
                "kitchen_id": "sint-maartensdal-keuken",
                "date": TOMORROW.isoformat(),
                "start_time": "18:00",
                "capacity": 10,
                "prices": {"standard": 650},
                "dishes": [{"name": "Soep"}],
            },
            headers=COORDINATOR,
        )
    assert response.status_code == 201, response.text
    closes_at = dt.datetime.fromisoformat(response.json()["closes_at"])
    assert closes_at == dt.datetime.combine(
        TOMORROW + dt.timedelta(days=1), dt.time(3, 30), tzinfo=BRUSSELS
    )


async def test_past_its_day_the_till_refuses_and_the_service_closes_itself(
    closing_meals: MealsApi,
) -> None:
    meals = closing_meals
    service = await meals.plan(date=YESTERDAY.isoformat())
    sid = service["service_id"]
    await meals.registered(sid, count=2)
    await meals.registered(sid, tariff="reduced", takeaway=True)
    reserved = await meals.client.post(
        f"/services/{sid}/reservations", json={"seats": 3}, headers=COOK
    )
    assert reserved.status_code == 201
    # Its day is over: as if it had been planned long ago and nobody closed it.
    service_id = UUID(sid)
    closes_at = await meals.db.fetchval(
        "UPDATE meal_services SET closes_at = now() - interval '1 second' "
        "WHERE service_id = $1 RETURNING closes_at",
        service_id,
    )

    refused = await meals.register(sid)
    assert refused.status_code == 409
    assert refused.json()["type"].endswith("/service-closed")
    assert "closed itself" in refused.json()["detail"]

    async def closed() -> bool:
        return bool(
            await meals.db.fetchval(
                "SELECT status = 'closed' FROM meal_services WHERE service_id = $1", service_id
            )
        )

    await wait_for(closed)
    [event] = await meals.events("meals.service_closed.v1")
    assert event == {
        "service_id": sid,
        "centre_id": "sint-maartensdal",
        "date": YESTERDAY.isoformat(),
        "served_total": 3,
        "reserved_total": 3,
        "no_shows": 3,
    }
    view = await meals.service(sid)
    assert view["status"] == "closed"
    assert dt.datetime.fromisoformat(view["closed_at"]) == closes_at
    audit = await meals.db.fetch(
        "SELECT actor, details FROM audit_log WHERE action = 'meal_service.close'"
    )
    assert [row["actor"] for row in audit] == ["system:auto-close"]
    # A coordinator's late entries count seven days from then, as after a close at the till.
    late = await meals.register(sid, headers=COORDINATOR)
    assert late.status_code == 201
    assert late.json()["late"] is True
    still = await meals.register(sid)
    assert still.status_code == 409


async def test_replicas_close_each_service_once(meals: MealsApi, servers: Servers) -> None:
    services = [
        await meals.plan(start_time=f"{hour:02d}:00", date=YESTERDAY.isoformat())
        for hour in range(6, 11)
    ]
    # Two replicas' tasks, a minute after those services close themselves, two at a time.
    later = midnight_after(TODAY) + dt.timedelta(minutes=1)
    name = await meals.db.fetchval("SELECT current_database()")
    url = database_url(servers.database_url, name)
    pools = [await create_pool(url, 2) for _ in range(2)]
    try:
        closed = await asyncio.gather(*(close_due_services(pool, later, 2) for pool in pools))
    finally:
        for pool in pools:
            await pool.close()
    assert sum(closed) == len(services)
    events = await meals.events("meals.service_closed.v1", n=len(services))
    assert sorted(e["service_id"] for e in events) == sorted(s["service_id"] for s in services)
    assert await meals.count(
        "SELECT count(*) FROM audit_log WHERE action = 'meal_service.close' "
        "AND actor = 'system:auto-close'"
    ) == len(services)
