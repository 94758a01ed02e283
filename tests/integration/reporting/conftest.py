"""The reporting service in process, against a fresh database and a private broker namespace."""

import contextlib
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass
from typing import Any
from uuid import UUID

import aio_pika
import asyncpg
import httpx
import pytest
from aio_pika.abc import AbstractRobustConnection

from buurtwerk_shared.contracts.events import EventData
from reporting.service import definition
from reporting.settings import ReportingSettings
from tests.support.apps import in_process, platform_settings
from tests.support.broker import BrokerNamespace, wait_for
from tests.support.databases import DatabaseFactory
from tests.support.events import publish_raw
from tests.support.tokens import bearer

ANALYST = bearer("analyst", ["all"], sub="analyst-1")


@dataclass
class Reporting:
    """A running reporting service, its database and a connection to publish events."""

    client: httpx.AsyncClient
    db: asyncpg.Connection
    connection: AbstractRobustConnection
    namespace: BrokerNamespace
    settings: ReportingSettings

    async def publish(self, events: list[tuple[EventData, UUID]]) -> None:
        """Publish events in order (an id given twice is a redelivery)."""
        for event, event_id in events:
            await publish_raw(self.connection, self.namespace.topology, event, event_id=event_id)

    async def projected(self, event_ids: set[UUID], within: float = 60) -> None:
        """Wait until the projections consumer has committed every one of these events."""

        async def done() -> bool:
            count: int = await self.db.fetchval(
                "SELECT count(*) FROM processed_events WHERE consumer = 'reporting.projections'"
                " AND event_id = ANY($1::uuid[])",
                list(event_ids),
            )
            return count == len(event_ids)

        await wait_for(done, within=within)

    async def published(self, within: float = 60) -> None:
        """Wait until the publisher has answered every dirty mark."""

        async def clean() -> bool:
            return not await self.db.fetchval("SELECT count(*) FROM indicator_dirty")

        await wait_for(clean, within=within)

    async def value(self, indicator_id: str, period: str, centre_id: str | None = None) -> Any:
        """GET one indicator value as the analyst (the JSON document)."""
        params = {"period": period} | ({"centre_id": centre_id} if centre_id else {})
        response = await self.client.get(
            f"/indicators/{indicator_id}", params=params, headers=ANALYST
        )
        assert response.status_code == 200, response.text
        return response.json()


@pytest.fixture
async def reporting(
    databases: DatabaseFactory, namespace: BrokerNamespace
) -> AsyncIterator[Callable[..., Any]]:
    """Start reporting in process with settings overrides: `async with reporting(...) as r`."""
    url = await databases.create(definition().migrations)
    namespace.track_service_queues()
    connection = await aio_pika.connect_robust(namespace.amqp_url)
    db = await asyncpg.connect(url)

    @contextlib.asynccontextmanager
    async def start(**overrides: Any) -> AsyncIterator[Reporting]:
        settings = ReportingSettings(
            database_url=url, platform=platform_settings(namespace), **overrides
        )
        async with in_process(definition(settings)) as client:
            yield Reporting(client, db, connection, namespace, settings)

    try:
        yield start
    finally:
        await db.close()
        await connection.close()
