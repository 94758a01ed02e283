"""The meals service in process, against a fresh database and a private broker namespace."""

import datetime as dt
import json
from collections.abc import AsyncIterator
from dataclasses import dataclass
from typing import Any

import aio_pika
import asyncpg
import httpx
import pytest
from aio_pika.abc import AbstractIncomingMessage

from buurtwerk_shared.clock import BRUSSELS
from meals.service import definition
from meals.settings import MealsSettings
from tests.support.apps import in_process, platform_settings
from tests.support.broker import BrokerNamespace, collect, wait_for
from tests.support.databases import DatabaseFactory
from tests.support.tokens import bearer

CENTRE = "sint-maartensdal"
KITCHEN = "sint-maartensdal-keuken"
COORDINATOR = bearer("centre_coordinator", [CENTRE], sub="coord-1")
COOK = bearer("kitchen_staff", [CENTRE], sub="cook-1")
ANALYST = bearer("analyst", ["all"], sub="analyst-1")
OTHER_COOK = bearer("kitchen_staff", ["mannenstraat"], sub="cook-2")

TODAY = dt.datetime.now(BRUSSELS).date()
YESTERDAY = TODAY - dt.timedelta(days=1)
TOMORROW = TODAY + dt.timedelta(days=1)

SERVICE: dict[str, Any] = {
    "centre_id": CENTRE,
    "kitchen_id": KITCHEN,
    "date": YESTERDAY.isoformat(),
    "start_time": "12:00",
    "capacity": 10,
    "prices": {"standard": 650, "reduced": 350, "child": 300},
    "dishes": [
        {"name": "Tomatensoep", "name_en": "Tomato soup", "allergens": ["celery"]},
        {"name": "Vol-au-vent met frietjes", "allergens": ["milk", "gluten", "eggs"]},
    ],
    "reservations": True,
}


@dataclass
class MealsApi:
    """The service under test, its database, and every meals event it published."""

    client: httpx.AsyncClient
    db: asyncpg.Connection
    published: list[AbstractIncomingMessage]

    async def plan(self, headers: dict[str, str] = COORDINATOR, **changes: Any) -> dict[str, Any]:
        """Plan a service (yesterday, capacity 10 unless changed) and return it."""
        response = await self.client.post("/services", json={**SERVICE, **changes}, headers=headers)
        assert response.status_code == 201, response.text
        service: dict[str, Any] = response.json()
        return service

    async def register(
        self, service_id: str, headers: dict[str, str] = COOK, **body: Any
    ) -> httpx.Response:
        """POST a registration (standard tariff, one meal unless given)."""
        return await self.client.post(
            f"/services/{service_id}/registrations",
            json={"tariff": "standard", **body},
            headers=headers,
        )

    async def registered(self, service_id: str, **body: Any) -> dict[str, Any]:
        """Register and return the registration, which must succeed."""
        response = await self.register(service_id, **body)
        assert response.status_code == 201, response.text
        registration: dict[str, Any] = response.json()
        return registration

    async def service(self, service_id: str) -> dict[str, Any]:
        """The service as the API shows it now."""
        response = await self.client.get(f"/services/{service_id}", headers=ANALYST)
        assert response.status_code == 200, response.text
        service: dict[str, Any] = response.json()
        return service

    async def count(self, sql: str, *args: Any) -> int:
        """A number from the database."""
        value: int = await self.db.fetchval(sql, *args)
        return value

    async def events(self, event_type: str, n: int = 1) -> list[dict[str, Any]]:
        """The data of the events of a type received from the broker, waiting for `n` of them."""

        def of_type() -> list[AbstractIncomingMessage]:
            return [m for m in self.published if m.routing_key == event_type]

        await wait_for(lambda: len(of_type()) >= n)
        return [json.loads(m.body) for m in of_type()]


@pytest.fixture
async def meals(databases: DatabaseFactory, namespace: BrokerNamespace) -> AsyncIterator[MealsApi]:
    """The meals service in process; a probe queue receives every meals event it publishes."""
    url = await databases.create(definition().migrations)
    settings = MealsSettings(database_url=url, platform=platform_settings(namespace))
    db = await asyncpg.connect(url)
    connection = await aio_pika.connect_robust(namespace.amqp_url)
    try:
        async with in_process(definition(settings)) as client:
            probe = namespace.name("probe.meals")
            channel = await connection.channel()
            queue = await channel.declare_queue(probe, durable=True)
            await queue.bind(namespace.topology.events_exchange.name, routing_key="meals.#")
            async with collect(connection, probe) as published:
                yield MealsApi(client, db, published)
    finally:
        await connection.close()
        await db.close()
