"""Fixtures of the fault tests: a private broker and database for the session, a stack per test.

These tests stop, restart and kill RabbitMQ and PostgreSQL, so they never use the shared servers
(`AMQP_URL`, `DATABASE_URL`): the session starts its own (see `private_servers`). They run only
with `-m faults` (the `faults` marker), as the second step of `make test`.
"""

import contextlib
from collections.abc import AsyncIterator, Iterator

import pytest

from tests.faults.cluster import PrivateRabbitCluster, private_cluster
from tests.faults.harness import FaultStack, PrivateBackend
from tests.faults.outcome import RESULTS_FILE, FaultResult, record, table
from tests.faults.private_servers import private_servers
from tests.support.broker import BrokerNamespace
from tests.support.databases import DatabaseFactory

RESULTS = pytest.StashKey[list[FaultResult]]()


@pytest.fixture(scope="session")
def backend() -> Iterator[PrivateBackend]:
    """The session's private RabbitMQ node and PostgreSQL cluster, removed at the end."""
    with private_servers() as (rabbit, postgres):
        yield PrivateBackend(rabbit, postgres, DatabaseFactory(postgres.admin_url))


@pytest.fixture(scope="module")
async def cluster() -> AsyncIterator[PrivateRabbitCluster]:
    """A private three-node RabbitMQ cluster behind its load balancer, for one test module (its
    three nodes are not left running beside the other fault tests)."""
    async with private_cluster() as started:
        yield started


@pytest.fixture
async def stack(backend: PrivateBackend) -> AsyncIterator[FaultStack]:
    """Replicas started by the test, in a private namespace; all stopped afterwards."""
    async with _stack(backend) as started:
        yield started


@pytest.fixture
async def cluster_stack(
    backend: PrivateBackend, cluster: PrivateRabbitCluster
) -> AsyncIterator[FaultStack]:
    """Replicas as `stack` starts them, reaching the three-node cluster through its balancer."""
    async with _stack(PrivateBackend(cluster, backend.postgres, backend.databases)) as started:
        yield started


@contextlib.asynccontextmanager
async def _stack(backend: PrivateBackend) -> AsyncIterator[FaultStack]:
    namespace = BrokerNamespace(backend.rabbit.amqp_url)
    namespace.track_service_queues()
    stack = FaultStack(backend, namespace)
    try:
        yield stack
    finally:
        await stack.close()
        await namespace.delete()


class Results:
    """Where a test hands its result: recorded for the session's table, then checked."""

    def __init__(self, collected: list[FaultResult]) -> None:
        self._collected = collected

    def add(self, result: FaultResult) -> None:
        """Record the result (a failing one too), then check it."""
        self._collected.append(result)
        record(result)
        result.check()


@pytest.fixture(scope="session")
def results(request: pytest.FixtureRequest) -> Results:
    """The session's fault results; the file starts empty each session."""
    RESULTS_FILE.unlink(missing_ok=True)
    collected: list[FaultResult] = []
    request.config.stash[RESULTS] = collected
    return Results(collected)


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    """Print the table of fault results at the end of the run (it goes into the CI log)."""
    collected = terminalreporter.config.stash.get(RESULTS, [])
    if collected:
        terminalreporter.section("fault injection results")
        terminalreporter.write_line(table(collected))
