"""SIGTERM under the till's load: a graceful stop, then the service starts again.

meals finishes the requests in hand and stops its relay; reporting cancels its consumers at once
and settles what was delivered before it exits. The till retries what was refused meanwhile.
"""

import signal

import pytest

from tests.faults.conftest import Results
from tests.faults.harness import FaultStack
from tests.faults.scenario import till_scenario

pytestmark = pytest.mark.faults

GRACEFUL_EXIT_CODES = (0, -signal.SIGTERM)


async def test_services_stopped_with_sigterm_and_started_again(
    stack: FaultStack, results: Results
) -> None:
    reporting = await stack.replica("reporting")
    meals = await stack.replica("meals")
    scenario = await till_scenario(stack, [meals])
    scenario.start()

    stops = [(0.3, meals), (0.6, reporting)]
    graceful = 0
    ready_again: list[float] = []
    for share, replica in stops:
        await scenario.till.wait_for_progress(share)
        # A stop that ran the shutdown code to its end logs "<name> stopped".
        stopped_line = f'"message": "{replica.name} stopped"'
        logged_before = replica.process.logs().count(stopped_line)
        code = await replica.stop()
        stopped = replica.process.logs().count(stopped_line) == logged_before + 1
        graceful += code in GRACEFUL_EXIT_CODES and stopped
        ready_again.append(await replica.start())
    result = await scenario.finish(
        "SIGTERM meals, then reporting, each started again",
        ready_again=max(ready_again),
        evidence=f"{graceful}/{len(stops)} stops graceful",
    )
    results.add(result)
    assert graceful == len(stops)
