"""SIGTERM while PostgreSQL or RabbitMQ is down, under the till's load.

Every service (two of them with work in hand: meals' relay and reporting's consumers) is stopped
while one of the servers is away; each must exit within its grace period, however much it could
not finish. Then the server comes back, the services start again, and nothing any of them had
committed is lost: the registrations meals took into its outbox while the broker was down are
published after its restart and counted once.
"""

import asyncio
import signal
import time

import pytest

from buurtwerk_shared.config import PlatformSettings
from tests.faults.conftest import Results
from tests.faults.harness import FaultStack, Replica
from tests.faults.scenario import till_scenario

pytestmark = pytest.mark.faults

GRACE_SECONDS = PlatformSettings().stop_grace_seconds
GRACEFUL_EXIT_CODES = (0, -signal.SIGTERM)
# The services notice the outage: failed publishes and commits, reconnects.
NOTICE_SECONDS = 2.0


async def timed_stop(replica: Replica) -> tuple[int, float]:
    """SIGTERM one replica; its exit code and the seconds until it exited."""
    began = time.monotonic()
    code = await replica.stop()
    return code, time.monotonic() - began


@pytest.mark.parametrize("server", ["postgresql", "rabbitmq"])
async def test_every_service_stops_within_its_grace_period_while_a_server_is_down(
    stack: FaultStack, results: Results, server: str
) -> None:
    reporting = await stack.replica("reporting")
    meals = await stack.replica("meals")
    for name in ("volunteers", "courses"):
        await stack.replica(name)
    scenario = await till_scenario(stack, [meals])
    scenario.start()
    await scenario.till.wait_for_progress(0.3)

    if server == "postgresql":
        await asyncio.to_thread(stack.backend.postgres.stop, "immediate")
    else:
        await asyncio.to_thread(stack.backend.rabbit.stop)
    await asyncio.sleep(NOTICE_SECONDS)
    stops = await asyncio.gather(*(timed_stop(r) for r in stack.replicas))
    if server == "postgresql":
        await asyncio.to_thread(stack.backend.postgres.start)
    else:
        await asyncio.to_thread(stack.backend.rabbit.start)
    ready_again = max([await r.start() for r in (reporting, meals)])
    for replica in stack.replicas:
        if replica not in (reporting, meals):
            await replica.start()

    times = ", ".join(
        f"{r.name} {took:.1f} s" for r, (_, took) in zip(stack.replicas, stops, strict=True)
    )
    result = await scenario.finish(
        f"SIGTERM every service while {'PostgreSQL' if server == 'postgresql' else 'RabbitMQ'} "
        "is down, then both started again",
        ready_again=ready_again,
        evidence=f"stopped in {times}",
    )
    results.add(result)
    for replica, (code, took) in zip(stack.replicas, stops, strict=True):
        assert code in GRACEFUL_EXIT_CODES, f"{replica.name} exited with {code}"
        assert took < GRACE_SECONDS, f"{replica.name} took {took:.1f}s to stop"
        logs = replica.process.logs()
        assert f'"message": "{replica.name} stopped"' in logs
        assert "did not finish within the grace period" not in logs, "a worker had to be cancelled"
