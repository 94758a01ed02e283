"""Services as real processes against the private broker and database, ready to be hurt.

A `FaultStack` gives each service a fresh migrated database on the private cluster and starts
replicas as `python -m <service> serve`; a replica may reach its database through a proxy the test
can hold or cut, and the broker through an AMQP proxy that reads the frames (`WatchedAmqpProxy`).
Blocking process control runs in threads, so the proxies on the test's event loop keep flowing.
"""

import asyncio
import contextlib
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol

import httpx

from tests.faults.amqp_watch import WatchedAmqpProxy
from tests.faults.private_servers import PrivatePostgres
from tests.support.apps import ServiceProcess
from tests.support.broker import BrokerNamespace
from tests.support.databases import DatabaseFactory
from tests.support.metrics import scrape
from tests.support.proxy import CuttableProxy

SERVICES_ROOT = Path(__file__).parents[2] / "services"
START_TIMEOUT_SECONDS = 60.0
READY_TIMEOUT_SECONDS = 120.0
SKIPPED_METRIC = "buurtwerk_events_duplicate_total"


def migrations_of(service: str) -> Path:
    """The Alembic directory of a service."""
    return SERVICES_ROOT / service / service / "migrations"


class Broker(Protocol):
    """A private RabbitMQ node, or a cluster behind its load balancer: what the tests hurt."""

    @property
    def amqp_url(self) -> str:
        """The URL clients connect to."""
        ...

    def start(self) -> None:
        """Start (again) and wait until it has booted."""

    def stop(self) -> None:
        """Stop gracefully."""

    def kill(self) -> None:
        """SIGKILL."""


@dataclass
class PrivateBackend:
    """The session's private broker and database cluster, and the databases made on it."""

    rabbit: Broker
    postgres: PrivatePostgres
    databases: DatabaseFactory


@dataclass
class Replica:
    """One process of a service, with the proxies between it and the servers (if any)."""

    process: ServiceProcess
    database_url: str
    database_proxy: CuttableProxy | None = None
    amqp_proxy: WatchedAmqpProxy | None = None
    # Redeliveries skipped by the inbox of this replica's earlier processes.
    skipped_before_restarts: int = 0

    @property
    def name(self) -> str:
        """The service's name."""
        return self.process.name

    @property
    def url(self) -> str:
        """Its HTTP base URL (the same after a restart)."""
        return self.process.url

    async def start(self) -> float:
        """Start (again) and wait until ready; returns the seconds it took."""
        began = time.monotonic()
        await asyncio.to_thread(self.process.start, START_TIMEOUT_SECONDS)
        return time.monotonic() - began

    async def kill(self) -> None:
        """SIGKILL: no shutdown code runs."""
        self.skipped_before_restarts += await self._skipped_since_start()
        await asyncio.to_thread(self.process.kill)
        if self.amqp_proxy is not None:
            self.amqp_proxy.forget_connections()

    async def stop(self) -> int:
        """SIGTERM, and wait for the graceful stop; returns the exit code."""
        self.skipped_before_restarts += await self._skipped_since_start()
        code = await asyncio.to_thread(self.process.stop)
        if self.amqp_proxy is not None:
            self.amqp_proxy.forget_connections()
        return code

    async def skipped(self) -> int:
        """Redeliveries skipped by this replica's inboxes, over all its processes."""
        return self.skipped_before_restarts + await self._skipped_since_start()

    async def _skipped_since_start(self) -> int:
        async with httpx.AsyncClient(timeout=5) as client:
            try:
                metrics = await scrape(client, self.url)
            except httpx.TransportError:
                return 0  # not running: nothing to add
        return int(metrics.value(SKIPPED_METRIC) or 0)

    async def ready(self, client: httpx.AsyncClient) -> bool:
        """Whether `/health/ready` answers 200."""
        try:
            response = await client.get(f"{self.url}/health/ready", timeout=3)
        except httpx.TransportError:
            return False
        return response.status_code == 200


@dataclass
class FaultStack:
    """The replicas of one test, against the private servers, stopped at the end."""

    backend: PrivateBackend
    namespace: BrokerNamespace
    replicas: list[Replica] = field(default_factory=list)
    _databases: dict[str, str] = field(default_factory=dict)
    _proxies: list[CuttableProxy] = field(default_factory=list)

    async def database_url(self, service: str) -> str:
        """The service's database (one per service, shared by its replicas)."""
        if service not in self._databases:
            self._databases[service] = await self.backend.databases.create(migrations_of(service))
        return self._databases[service]

    async def replica(
        self, service: str, *, proxy_database: bool = False, watch_amqp: bool = False
    ) -> Replica:
        """Start one more replica of a service and wait until it is ready."""
        database_url = await self.database_url(service)
        amqp_url = self.backend.rabbit.amqp_url
        database_proxy = amqp_proxy = None
        if proxy_database:
            database_proxy = CuttableProxy.for_url(database_url)
            await database_proxy.start()
            self._proxies.append(database_proxy)
        if watch_amqp:
            amqp_proxy = WatchedAmqpProxy.for_url(amqp_url)
            await amqp_proxy.start()
            self._proxies.append(amqp_proxy)
        process = ServiceProcess(
            service,
            {
                f"{service.upper()}_DATABASE_URL": (
                    database_proxy.url(database_url) if database_proxy else database_url
                ),
                "BUURTWERK_AMQP_URL": amqp_proxy.url(amqp_url) if amqp_proxy else amqp_url,
                "BUURTWERK_TOPOLOGY_PREFIX": self.namespace.topology.prefix,
            },
        )
        replica = Replica(process, database_url, database_proxy, amqp_proxy)
        self.replicas.append(replica)
        await replica.start()
        return replica

    def of(self, service: str) -> list[Replica]:
        """The replicas of one service."""
        return [r for r in self.replicas if r.name == service]

    async def wait_ready(self, within: float = READY_TIMEOUT_SECONDS) -> float:
        """Wait until every replica answers ready; returns the seconds it took."""
        began = time.monotonic()
        async with httpx.AsyncClient() as client:
            while True:
                states = await asyncio.gather(*(r.ready(client) for r in self.replicas))
                if all(states):
                    return time.monotonic() - began
                if time.monotonic() - began > within:
                    late = [r.url for r, ok in zip(self.replicas, states, strict=True) if not ok]
                    raise AssertionError(f"not ready again within {within}s: {late}")
                await asyncio.sleep(0.1)

    async def close(self) -> None:
        """Stop every replica (gracefully, else killed) and the proxies."""
        await asyncio.gather(
            *(asyncio.to_thread(r.process.stop) for r in self.replicas), return_exceptions=True
        )
        for proxy in self._proxies:
            with contextlib.suppress(Exception):
                await proxy.stop()
