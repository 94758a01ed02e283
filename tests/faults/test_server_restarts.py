"""RabbitMQ and PostgreSQL restarted under the till's load (the private servers, never shared).

The till keeps tapping through the outage: meals takes registrations into its outbox while the
broker is away and answers 5xx while its database is, and the till retries with the same key.
"""

import asyncio
import time

import pytest

from tests.faults.conftest import Results
from tests.faults.harness import FaultStack
from tests.faults.scenario import TillScenario, till_scenario

pytestmark = pytest.mark.faults

FAULT_AT = 0.3  # share of the taps accepted when the server goes down
OUTAGE_SECONDS = 3.0


async def load_until_the_fault(stack: FaultStack) -> TillScenario:
    """Reporting and meals under the till's load, once `FAULT_AT` of the taps are in."""
    await stack.replica("reporting")
    meals = await stack.replica("meals")
    scenario = await till_scenario(stack, [meals])
    scenario.start()
    await scenario.till.wait_for_progress(FAULT_AT)
    return scenario


@pytest.mark.parametrize(
    "how", [pytest.param("stop", id="graceful"), pytest.param("kill", id="sigkill")]
)
async def test_rabbitmq_restarted_during_the_load(
    stack: FaultStack, results: Results, how: str
) -> None:
    rabbit = stack.backend.rabbit
    scenario = await load_until_the_fault(stack)

    down = time.monotonic()
    await asyncio.to_thread(rabbit.stop if how == "stop" else rabbit.kill)
    await asyncio.sleep(OUTAGE_SECONDS)
    await asyncio.to_thread(rabbit.start)
    outage = time.monotonic() - down
    ready_again = await stack.wait_ready()

    results.add(
        await scenario.finish(
            f"RabbitMQ {'stopped' if how == 'stop' else 'killed (SIGKILL)'} and started again "
            f"({outage:.0f} s down)",
            ready_again=ready_again,
        )
    )


async def test_postgresql_restarted_during_the_load(stack: FaultStack, results: Results) -> None:
    postgres = stack.backend.postgres
    scenario = await load_until_the_fault(stack)

    down = time.monotonic()
    await asyncio.to_thread(postgres.stop, "immediate")
    await asyncio.sleep(OUTAGE_SECONDS)
    await asyncio.to_thread(postgres.start)
    outage = time.monotonic() - down
    ready_again = await stack.wait_ready()

    refusals = scenario.till.refusals
    results.add(
        await scenario.finish(
            f"PostgreSQL stopped (immediate) and started again ({outage:.0f} s down)",
            ready_again=ready_again,
            evidence="till answered: "
            + (", ".join(f"{k} x{n}" for k, n in sorted(refusals.items())) or "always 201"),
        )
    )
    assert "500" not in refusals, "a database outage is a 503 to retry, not a server error"
