"""The courses service in process, against a fresh database and a private broker namespace,
with every event it publishes collected from the broker."""

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

from courses.service import definition
from courses.settings import CoursesSettings
from tests.support.apps import in_process, platform_settings
from tests.support.broker import BrokerNamespace, collect, wait_for
from tests.support.databases import DatabaseFactory
from tests.support.tokens import bearer

COORDINATOR = bearer("course_coordinator", ["all"], sub="course-coord-1")
# A day that has passed, so sessions on it may be held and tallies recorded.
PAST = dt.date(2026, 3, 10)


@dataclass(frozen=True)
class Event:
    """One event as it arrived on the broker."""

    type: str
    data: dict[str, Any]
    headers: dict[str, Any]
    body: bytes


@dataclass
class Courses:
    """A client of the service, its database, and the events it has published so far."""

    client: httpx.AsyncClient
    db: asyncpg.Connection
    database_url: str
    received: list[AbstractIncomingMessage]

    def events(self, event_type: str | None = None) -> list[Event]:
        """The events received so far, of one type if given, in arrival order."""
        parsed = [
            Event(
                type=str(m.headers.get("ce-type")),
                data=json.loads(m.body),
                headers=dict(m.headers),
                body=m.body,
            )
            for m in self.received
        ]
        return [e for e in parsed if event_type is None or e.type == event_type]

    async def wait_events(self, event_type: str, count: int) -> list[Event]:
        """Wait until at least `count` events of a type arrived; all of them."""
        await wait_for(lambda: len(self.events(event_type)) >= count)
        return self.events(event_type)

    async def settled(self) -> list[Event]:
        """Every event, once the outbox has published all it holds."""

        async def outbox_empty() -> bool:
            unsent = await self.db.fetchval(
                "SELECT count(*) FROM outbox WHERE published_at IS NULL"
            )
            total = await self.db.fetchval("SELECT count(*) FROM outbox")
            return bool(unsent == 0 and len(self.received) >= total)

        await wait_for(outbox_empty)
        return self.events()

    async def post(
        self, url: str, body: dict[str, Any] | None = None, headers: dict[str, str] | None = None
    ) -> httpx.Response:
        """POST as the course coordinator unless other headers are given."""
        return await self.client.post(url, json=body, headers=headers or COORDINATOR)

    async def ok(
        self,
        method: str,
        url: str,
        body: dict[str, Any] | None = None,
        headers: dict[str, str] | None = None,
    ) -> Any:
        """A request that must succeed; its JSON."""
        response = await self.client.request(method, url, json=body, headers=headers or COORDINATOR)
        assert response.status_code in (200, 201), response.text
        return response.json()

    async def activity(self, publish: bool = True, **fields: Any) -> dict[str, Any]:
        """A computer course at Sint-Maartensdal (published unless asked not to)."""
        body = {
            "centre_id": "sint-maartensdal",
            "kind": "computer_course",
            "title": "Digitaal basis",
            "partner": "link-in-de-kabel",
            "target_groups": ["seniors"],
            "mode": "enrolment",
            "capacity": 4,
            **fields,
        }
        created: dict[str, Any] = await self.ok("POST", "/activities", body)
        if not publish:
            return created
        published: dict[str, Any] = await self.ok(
            "POST", f"/activities/{created['activity_id']}/publish"
        )
        return published

    async def participant(self, given_name: str = "Maria", **fields: Any) -> str:
        """A registered adult participant's id."""
        body = {
            "centre_id": "sint-maartensdal",
            "given_name": given_name,
            "family_name": "Test",
            "age_band": "26-64",
            "target_group": "low_income",
            "neighbourhood": "Kessel-Lo",
            **fields,
        }
        created = await self.ok("POST", "/participants", body)
        participant_id: str = created["participant_id"]
        return participant_id

    async def enrol(self, activity_id: str, participant_id: str) -> dict[str, Any]:
        """Enrol; the enrolment."""
        enrolment: dict[str, Any] = await self.ok(
            "POST", f"/activities/{activity_id}/enrolments", {"participant_id": participant_id}
        )
        return enrolment

    async def session(
        self, activity_id: str, day: dt.date = PAST, start: str = "13:30", end: str = "15:30"
    ) -> dict[str, Any]:
        """One scheduled session."""
        scheduled = await self.ok(
            "POST",
            f"/activities/{activity_id}/sessions",
            {"date": day.isoformat(), "start_time": start, "end_time": end},
        )
        session: dict[str, Any] = scheduled["sessions"][0]
        return session

    async def count(self, sql: str, *args: Any) -> int:
        """A number from the database."""
        value: int = await self.db.fetchval(sql, *args)
        return value


@pytest.fixture
async def courses(databases: DatabaseFactory, namespace: BrokerNamespace) -> AsyncIterator[Courses]:
    url = await databases.create(definition().migrations)
    settings = CoursesSettings(database_url=url, platform=platform_settings(namespace))
    db = await asyncpg.connect(url)
    connection = await aio_pika.connect_robust(namespace.amqp_url)
    try:
        async with in_process(definition(settings)) as client:
            probe = namespace.name("probe.courses")
            channel = await connection.channel()
            queue = await channel.declare_queue(probe, durable=True)
            await queue.bind(namespace.topology.events_exchange.name, routing_key="courses.#")
            async with collect(connection, probe) as received:
                yield Courses(client, db, url, received)
            await channel.close()
    finally:
        await connection.close()
        await db.close()
