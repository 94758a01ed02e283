"""The meals service in process, as the skeleton's tests drive it (any service would do)."""

from collections.abc import AsyncIterator
from dataclasses import dataclass
from typing import Any

import asyncpg
import httpx
import pytest

from meals.service import definition
from meals.settings import MealsSettings
from tests.support.apps import in_process, platform_settings
from tests.support.broker import BrokerNamespace
from tests.support.databases import DatabaseFactory
from tests.support.tokens import bearer

COORDINATOR = bearer("centre_coordinator", ["sint-maartensdal"], sub="coord-1")
COOK = bearer("kitchen_staff", ["sint-maartensdal"], sub="cook-1")
ADMIN = bearer("admin", ["all"], sub="admin-1")

SERVICE = {
    "centre_id": "sint-maartensdal",
    "kitchen_id": "sint-maartensdal-keuken",
    "date": "2026-03-12",
    "start_time": "12:00",
    "capacity": 40,
    "prices": {"standard": 650, "reduced": 350},
    "dishes": [{"name": "Soep", "allergens": ["celery"]}],
}


@dataclass
class Meals:
    """The service under test and its database."""

    client: httpx.AsyncClient
    db: asyncpg.Connection

    async def plan(self, **changes: Any) -> str:
        """Plan a service as the coordinator; its id."""
        response = await self.client.post(
            "/services", json={**SERVICE, **changes}, headers=COORDINATOR
        )
        assert response.status_code == 201, response.text
        service_id: str = response.json()["service_id"]
        return service_id

    async def count(self, sql: str) -> int:
        """A number from the database."""
        value: int = await self.db.fetchval(sql)
        return value


@pytest.fixture
async def meals(databases: DatabaseFactory, namespace: BrokerNamespace) -> AsyncIterator[Meals]:
    url = await databases.create(definition().migrations)
    settings = MealsSettings(database_url=url, platform=platform_settings(namespace))
    db = await asyncpg.connect(url)
    try:
        async with in_process(definition(settings)) as client:
            yield Meals(client, db)
    finally:
        await db.close()
