"""Poison and invalid messages mixed into the load, from start to end.

Two loads at once: the till's registrations through meals, and meal events published straight
onto the exchange. Five times during them, one message per dead-letter reason: a body that is no
JSON, data missing its fields, a type from the wrong source, a routing key that is not its
type, and a meal whose count reporting cannot store (the contract only says "positive"), which
fails its effect on every attempt up to the delivery limit. Each must end in the consumer's
`.dlq` with its reason, and nothing else may.
"""

import asyncio

import pytest

from tests.faults.conftest import Results
from tests.faults.harness import FaultStack
from tests.faults.load import ExchangeLoad, Poison
from tests.faults.outcome import meals_events, outcome
from tests.faults.scenario import poison_for, till_scenario

pytestmark = pytest.mark.faults

POISON_AT = (0.0, 0.2, 0.4, 0.6, 0.8)  # shares of the till's taps accepted before each round


async def test_poison_and_invalid_messages_mixed_into_the_load(
    stack: FaultStack, results: Results
) -> None:
    await stack.replica("reporting")
    meals = await stack.replica("meals")
    scenario = await till_scenario(stack, [meals])
    exchange = ExchangeLoad(
        stack.backend.rabbit.amqp_url, stack.namespace.topology, total=1500, rate=120
    )
    poison: list[Poison] = list(scenario.poison)
    scenario.start()
    publishing = asyncio.create_task(exchange.run())
    for share in POISON_AT[1:]:
        await scenario.till.wait_for_progress(share)
        poison += await poison_for(stack)
    await asyncio.gather(publishing, scenario.finish_load())

    results.add(
        await outcome(
            stack,
            f"{len(poison)} poison and invalid messages in two loads (HTTP and exchange)",
            registrations=scenario.till.registration_ids | exchange.registration_ids,
            events=await meals_events(stack) | set(exchange.event_ids),
            poison=poison,
            probe=scenario.probe,
            ready_again=await stack.wait_ready(),
            till=scenario.till,
        )
    )
