"""Services as real processes, against the test broker namespace and fresh databases."""

from collections.abc import AsyncIterator
from dataclasses import dataclass

import asyncpg
import pytest

from tests.support.apps import ServiceProcess
from tests.support.broker import BrokerNamespace
from tests.support.databases import database_url
from tests.support.servers import Servers


@dataclass
class Stack:
    """Starts services on demand; stops them all at the end."""

    servers: Servers
    namespace: BrokerNamespace
    run_id: str
    started: list[ServiceProcess]

    def service(self, name: str, **env: str) -> ServiceProcess:
        """Migrate and start one service as a process; wait until it is ready."""
        process = ServiceProcess(
            name,
            {
                f"{name.upper()}_DATABASE_URL": database_url(
                    self.servers.database_url, f"bw_e2e_{name}_{self.run_id}"
                ),
                "BUURTWERK_AMQP_URL": self.servers.amqp_url,
                "BUURTWERK_TOPOLOGY_PREFIX": self.namespace.topology.prefix,
                **env,
            },
        )
        process.migrate()
        process.start()
        self.started.append(process)
        return process


@pytest.fixture
async def stack(servers: Servers, namespace: BrokerNamespace) -> AsyncIterator[Stack]:
    """A stack of service processes; their databases are dropped afterwards."""
    run_id = namespace.topology.prefix.strip(".")
    stack = Stack(servers, namespace, run_id, [])
    namespace.track_service_queues()
    try:
        yield stack
    finally:
        for process in stack.started:
            process.stop()
        conn = await asyncpg.connect(servers.database_url)
        try:
            for process in stack.started:
                name = f"bw_e2e_{process.name}_{run_id}"
                await conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        finally:
            await conn.close()
