"""The meals service in process with a fresh database, for the HACCP log tests."""

import datetime as dt
import json
from collections.abc import AsyncIterator
from dataclasses import dataclass
from typing import Any

import asyncpg
import httpx
import pytest

from meals.service import definition
from meals.settings import MealsSettings
from tests.integration.haccp.harness import Reporting, reporting_harness
from tests.support.apps import in_process, platform_settings
from tests.support.broker import BrokerNamespace
from tests.support.databases import DatabaseFactory
from tests.support.tokens import bearer

KITCHEN = "mannenstraat-keuken"
CENTRE = "mannenstraat"
COORDINATOR = bearer("centre_coordinator", [CENTRE], sub="coord-7f3a")
COOK = bearer("kitchen_staff", [CENTRE], sub="staff-91c2")
OTHER_CENTRE_COOK = bearer("kitchen_staff", ["sint-maartensdal"], sub="staff-0b77")


@dataclass
class Meals:
    """The meals service over HTTP, and its database."""

    client: httpx.AsyncClient
    db: asyncpg.Connection

    async def call(
        self,
        method: str,
        url: str,
        body: dict[str, Any] | None = None,
        *,
        headers: dict[str, str] = COOK,
        expect: int = 201,
        params: dict[str, str] | None = None,
    ) -> Any:
        """Call the API and check the status; the JSON body."""
        response = await self.client.request(method, url, json=body, headers=headers, params=params)
        assert response.status_code == expect, response.text
        return response.json()

    async def define(self, body: dict[str, Any], kitchen: str = KITCHEN) -> dict[str, Any]:
        """Define a check as the coordinator."""
        check: dict[str, Any] = await self.call(
            "POST", f"/haccp/kitchens/{kitchen}/checks", body, headers=COORDINATOR
        )
        return check

    async def record(self, check_id: str, body: dict[str, Any], **kw: Any) -> Any:
        """Record a check as the cook."""
        return await self.call("POST", f"/haccp/checks/{check_id}/records", body, **kw)

    async def events(self, event_type: str) -> list[dict[str, Any]]:
        """The data of the events of a type in the outbox, in emission order."""
        rows = await self.db.fetch(
            "SELECT data FROM outbox WHERE event_type = $1 ORDER BY seq", event_type
        )
        return [json.loads(row["data"]) for row in rows]

    async def plan_service(self, date: dt.date, start: str = "12:00") -> str:
        """Plan a meal service in the kitchen."""
        service: dict[str, Any] = await self.call(
            "POST",
            "/services",
            {
                "centre_id": CENTRE,
                "kitchen_id": KITCHEN,
                "date": date.isoformat(),
                "start_time": start,
                "capacity": 40,
                "prices": {"standard": 650},
                "dishes": [{"name": "Soep", "allergens": ["celery"]}],
            },
            headers=COORDINATOR,
        )
        service_id: str = service["service_id"]
        return service_id


@pytest.fixture
async def meals(databases: DatabaseFactory, namespace: BrokerNamespace) -> AsyncIterator[Meals]:
    """The meals service in process, with a fresh database and a private broker namespace."""
    url = await databases.create(definition().migrations)
    settings = MealsSettings(database_url=url, platform=platform_settings(namespace))
    db = await asyncpg.connect(url)
    try:
        async with in_process(definition(settings)) as client:
            yield Meals(client, db)
    finally:
        await db.close()


@pytest.fixture
async def reporting(
    databases: DatabaseFactory, namespace: BrokerNamespace
) -> AsyncIterator[Reporting]:
    """Reporting's reminder consumer and relay in process; schedulers come from the test."""
    async for harness in reporting_harness(databases, namespace):
        yield harness
