"""Fixtures shared by the integration and end-to-end tests: real servers, isolated per test."""

from collections.abc import AsyncIterator, Iterator

import pytest

from tests.support.broker import BrokerNamespace
from tests.support.databases import DatabaseFactory
from tests.support.servers import Servers, ServersUnavailable, resolve_servers


@pytest.fixture(scope="session")
def servers() -> Iterator[Servers]:
    """The RabbitMQ and PostgreSQL under test (never skipped: missing servers fail the run)."""
    try:
        with resolve_servers() as resolved:
            yield resolved
    except ServersUnavailable as exc:
        pytest.exit(str(exc), returncode=3)


@pytest.fixture(scope="session")
async def databases(servers: Servers) -> AsyncIterator[DatabaseFactory]:
    """Creates migrated databases; drops them all at the end of the session."""
    factory = DatabaseFactory(servers.database_url)
    yield factory
    await factory.drop_all()


@pytest.fixture
async def namespace(servers: Servers) -> AsyncIterator[BrokerNamespace]:
    """A private topology prefix on the broker, deleted after the test."""
    ns = BrokerNamespace(servers.amqp_url)
    yield ns
    await ns.delete()
