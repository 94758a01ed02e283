"""The volunteers service in process, against a fresh database and a private broker namespace,
with a probe queue that receives every event it publishes."""

import datetime as dt
import itertools
import json
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from typing import Any

import aio_pika
import asyncpg
import httpx
import pytest
from aio_pika.abc import AbstractIncomingMessage

from tests.support.apps import in_process, platform_settings
from tests.support.broker import BrokerNamespace, collect, wait_for
from tests.support.databases import DatabaseFactory
from tests.support.tokens import bearer
from volunteers.domain.clock import BRUSSELS
from volunteers.service import definition
from volunteers.settings import VolunteersSettings

CENTRE = "mannenstraat"
OTHER_CENTRE = "sint-maartensdal"
COORDINATOR = bearer("volunteer_coordinator", [CENTRE], sub="coord-vol-1")
CITY_COORDINATOR = bearer("volunteer_coordinator", ["all"], sub="coord-city")
OTHER_COORDINATOR = bearer("volunteer_coordinator", [OTHER_CENTRE], sub="coord-vol-2")
ADMIN = bearer("admin", ["all"], sub="admin-1")
NOTIFIER = bearer("notifier", [CENTRE], sub="sms-gateway")

# Path from `applied` to each status, along allowed transitions.
PATH_TO: dict[str, list[str]] = {
    "applied": [],
    "intake": ["intake"],
    "onboarding": ["intake", "onboarding"],
    "active": ["intake", "onboarding", "active"],
    "paused": ["intake", "onboarding", "active", "paused"],
    "left": ["left"],
}

_people = itertools.count(1)


def local(day: dt.date, clock: str) -> dt.datetime:
    """A local Brussels instant."""
    return dt.datetime.combine(day, dt.time.fromisoformat(clock), tzinfo=BRUSSELS)


@dataclass
class Volunteers:
    """The service under test, its database and the events it published."""

    client: httpx.AsyncClient
    db: asyncpg.Connection
    database_url: str
    received: list[AbstractIncomingMessage]
    headers: dict[str, str] = field(default_factory=lambda: COORDINATOR)

    async def ok(self, method: str, url: str, status: int = 200, **kwargs: Any) -> Any:
        """Call the API as the coordinator (unless headers are given); assert the status."""
        kwargs.setdefault("headers", self.headers)
        response = await self.client.request(method, url, **kwargs)
        assert response.status_code == status, response.text
        return response.json()

    async def volunteer(self, **overrides: Any) -> dict[str, Any]:
        """Register an applicant at the test centre."""
        n = next(_people)
        body = {
            "given_name": f"Voornaam{n}",
            "family_name": f"Familienaam{n}",
            "email": f"vrijwilliger{n}@example.org",
            "phone": f"+32 470 00 {n:04d}",
            "languages": ["nl"],
            "skills": ["koken"],
            "centre_ids": [CENTRE],
        }
        body.update(overrides)
        created: dict[str, Any] = await self.ok("POST", "/volunteers", 201, json=body)
        return created

    async def move(self, volunteer_id: str, *statuses: str) -> dict[str, Any]:
        """Move a volunteer through statuses, one request each."""
        view: dict[str, Any] = {}
        for status in statuses:
            view = await self.ok(
                "POST", f"/volunteers/{volunteer_id}/status", json={"status": status}
            )
        return view

    async def active_volunteer(self, **overrides: Any) -> str:
        """An active volunteer of the test centre with a valid food-hygiene training."""
        volunteer_id: str = (await self.volunteer(**overrides))["volunteer_id"]
        await self.move(volunteer_id, *PATH_TO["active"])
        await self.ok(
            "POST",
            f"/volunteers/{volunteer_id}/qualifications",
            201,
            json={"qualification": "food_hygiene", "obtained_on": "2020-01-01"},
        )
        return volunteer_id

    async def shift(
        self,
        day: dt.date,
        start: str,
        end: str,
        role: str = "welcome_desk",
        needed: int = 2,
        centre_id: str = CENTRE,
    ) -> str:
        """A one-off shift; its id."""
        body = {
            "centre_id": centre_id,
            "role": role,
            "date": day.isoformat(),
            "start_time": start,
            "end_time": end,
            "needed": needed,
        }
        shift_id: str = (await self.ok("POST", "/shifts", 201, json=body))["shift_id"]
        return shift_id

    async def assign(self, shift_id: str, volunteer_id: str, **kwargs: Any) -> httpx.Response:
        """Ask to put a volunteer on a shift."""
        kwargs.setdefault("headers", self.headers)
        return await self.client.post(
            f"/shifts/{shift_id}/assignments", json={"volunteer_id": volunteer_id}, **kwargs
        )

    async def count(self, sql: str, *args: Any) -> int:
        """A count from the service's database."""
        value: int = await self.db.fetchval(sql, *args)
        return value

    async def settle(self) -> None:
        """Wait until every event in the outbox is published and has reached the probe."""

        async def done() -> bool:
            pending = await self.count("SELECT count(*) FROM outbox WHERE published_at IS NULL")
            total = await self.count("SELECT count(*) FROM outbox")
            return pending == 0 and len(self.received) >= total

        await wait_for(done)

    async def events(self, event_type: str) -> list[dict[str, Any]]:
        """The data of every published event of one type, in publication order."""
        await self.settle()
        return [
            json.loads(message.body)
            for message in self.received
            if message.routing_key == event_type
        ]


@pytest.fixture
async def service(
    databases: DatabaseFactory, namespace: BrokerNamespace
) -> AsyncIterator[Volunteers]:
    """The volunteers service with a probe bound to every `volunteers.*` event."""
    url = await databases.create(definition().migrations)
    settings = VolunteersSettings(database_url=url, platform=platform_settings(namespace))
    connection = await aio_pika.connect_robust(namespace.amqp_url)
    channel = await connection.channel()
    exchange = await channel.declare_exchange(
        namespace.topology.events_exchange.name, aio_pika.ExchangeType.TOPIC, durable=True
    )
    probe = await channel.declare_queue(namespace.name("probe.volunteers"), durable=True)
    await probe.bind(exchange, routing_key="volunteers.#")
    db = await asyncpg.connect(url)
    try:
        async with (
            collect(connection, probe.name) as received,
            in_process(definition(settings)) as client,
        ):
            yield Volunteers(client, db, url, received)
    finally:
        await db.close()
        await connection.close()
