"""Fixtures shared by the integration and end-to-end tests: real servers, isolated per test."""

import json
import os
from collections.abc import AsyncIterator, Iterator

import pytest

from tests.support.broker import TEST_PUBLISHERS, BrokerNamespace
from tests.support.databases import DatabaseFactory
from tests.support.servers import Servers, ServersUnavailable, resolve_servers

# The services under test connect as the test broker's one user (`guest` locally), so that user
# is the account of every source here; tests of the accounts themselves name their own table
# (tests/integration/security/test_broker_accounts.py), and `make run` its development accounts.
os.environ["BUURTWERK_PUBLISHER_ACCOUNTS"] = json.dumps(TEST_PUBLISHERS)


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
