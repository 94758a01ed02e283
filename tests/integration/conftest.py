"""The messaging backbone of one service, wired against the real broker and database."""

import asyncio
import contextlib
from collections.abc import AsyncIterator, Coroutine
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import asyncpg
import pytest
from aio_pika.abc import AbstractRobustConnection
from faststream.rabbit import RabbitBroker, RabbitQueue

from buurtwerk_shared.db.pool import create_pool
from buurtwerk_shared.messaging.topology import Topology, declare_topology
from tests.support.broker import BrokerNamespace
from tests.support.databases import DatabaseFactory
from tests.support.servers import Servers

REPORTING_MIGRATIONS = (
    Path(__file__).parents[2] / "services" / "reporting" / "reporting" / "migrations"
)


@dataclass
class Backbone:
    """A database with the plumbing tables, a connected broker and a private topology."""

    database_url: str
    pool: asyncpg.Pool
    broker: RabbitBroker
    connection: AbstractRobustConnection
    namespace: BrokerNamespace

    @property
    def topology(self) -> Topology:
        """The test's private topology."""
        return self.namespace.topology

    async def probe(self, binding: str = "#") -> str:
        """A queue bound to the events exchange, to see what was published."""
        name = self.namespace.name(f"probe.{binding}")
        queue = await self.broker.declare_queue(RabbitQueue(name, durable=True))
        await queue.bind(self.topology.events_exchange.name, routing_key=binding)
        return name


@pytest.fixture
async def backbone(
    servers: Servers, databases: DatabaseFactory, namespace: BrokerNamespace
) -> AsyncIterator[Backbone]:
    """A fresh backbone per test; everything it creates is removed afterwards."""
    database_url = await databases.create(REPORTING_MIGRATIONS)
    pool = await create_pool(database_url)
    broker = RabbitBroker(servers.amqp_url, logger=None)
    await broker.start()
    connection = await broker.connect()
    await declare_topology(broker, namespace.topology)
    try:
        yield Backbone(database_url, pool, broker, connection, namespace)
    finally:
        await broker.stop()
        await pool.close()


@contextlib.asynccontextmanager
async def running(*coroutines: Coroutine[Any, Any, Any]) -> AsyncIterator[list[asyncio.Task[Any]]]:
    """Run coroutines as tasks for the duration of the block, then cancel them."""
    tasks = [asyncio.create_task(c) for c in coroutines]
    try:
        yield tasks
    finally:
        for task in tasks:
            task.cancel()
        for task in tasks:
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await task
