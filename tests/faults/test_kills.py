"""kill -9 at the two moments where a crash could lose or double an event.

- The outbox relay between the broker's confirm and the commit that marks its rows sent: the
  proxy in front of meals' broker connection holds meals' database connections the moment the
  relay publishes, so the confirms arrive and the marking waits; then meals is killed. The rows
  are on the broker and still unsent in the outbox: the restarted relay publishes them again and
  reporting's inbox skips the repeats.
- A consumer mid-batch: the moment reporting is handed a delivery, either its database is held
  (killed inside the batch's transaction: nothing committed, all redelivered) or its
  acknowledgements are (killed after the commit, before the ack: redelivered, and the inbox
  recognises every one).
"""

import asyncio
from collections.abc import Awaitable, Callable
from uuid import UUID

import asyncpg
import pytest

from tests.faults.conftest import Results
from tests.faults.harness import FaultStack, Replica
from tests.faults.load import ExchangeLoad
from tests.faults.outcome import PROJECTIONS, Probe, outcome
from tests.faults.scenario import poison_for, probe_for, till_scenario
from tests.support.broker import wait_for

pytestmark = pytest.mark.faults

KILLS_AT = (0.2, 0.45, 0.7)  # shares of the load accepted when each kill happens
HOLD_TIMEOUT_SECONDS = 30.0


async def hold_when(arm: Callable[[Callable[[], None]], None], hold: Callable[[], None]) -> None:
    """Arm a one-shot proxy hook with `hold` and wait until it has fired."""
    held = asyncio.Event()

    def fire() -> None:
        hold()
        held.set()

    arm(fire)
    await asyncio.wait_for(held.wait(), HOLD_TIMEOUT_SECONDS)


async def unsent_ids(meals: Replica) -> set[UUID]:
    """The outbox rows meals has not marked sent (read past the proxy)."""
    conn = await asyncpg.connect(meals.database_url)
    try:
        rows = await conn.fetch("SELECT event_id FROM outbox WHERE published_at IS NULL")
    finally:
        await conn.close()
    return {row["event_id"] for row in rows}


async def kill_relay_between_confirm_and_mark(meals: Replica, probe: Probe) -> int:
    """Kill meals with confirmed, unmarked rows; returns how many rows were in that window."""
    assert meals.amqp_proxy is not None and meals.database_proxy is not None
    database, broker = meals.database_proxy, meals.amqp_proxy
    await hold_when(broker.on_next_publish, database.pause)
    # The batch's confirms come back; its marking waits for the held database.
    await wait_for(lambda: broker.unconfirmed == 0, within=10)
    await asyncio.sleep(0.3)
    assert broker.unconfirmed == 0
    await meals.kill()
    database.cut()
    database.resume()
    return len(await probe.take() & await unsent_ids(meals))


async def test_relay_killed_between_confirm_and_marking(
    stack: FaultStack, results: Results
) -> None:
    await stack.replica("reporting")
    meals = await stack.replica("meals", proxy_database=True, watch_amqp=True)
    scenario = await till_scenario(stack, [meals])
    scenario.start()
    in_window: list[int] = []
    ready_again: list[float] = []
    for share in KILLS_AT:
        await scenario.till.wait_for_progress(share)
        in_window.append(await kill_relay_between_confirm_and_mark(meals, scenario.probe))
        ready_again.append(await meals.start())

    result = await scenario.finish(
        "kill -9 outbox relay between confirm and mark (x3)",
        ready_again=max(ready_again),
        evidence=(
            f"{sum(n > 0 for n in in_window)}/{len(in_window)} kills; "
            f"rows confirmed but unmarked: {in_window}"
        ),
    )
    results.add(result)
    assert all(n > 0 for n in in_window), "every kill hit the window"
    assert result.published_again >= sum(in_window), "the unmarked rows were published again"
    assert result.absorbed >= result.published_again, "the inbox skipped every repeat"


async def inbox_size(reporting: Replica) -> int:
    """Events in reporting's projections inbox (read past the proxy)."""
    conn = await asyncpg.connect(reporting.database_url)
    try:
        size: int = await conn.fetchval(
            "SELECT count(*) FROM processed_events WHERE consumer = $1", PROJECTIONS
        )
    finally:
        await conn.close()
    return size


async def kill_consumer_inside_transaction(reporting: Replica) -> int:
    """Hold reporting's database as a delivery arrives, then kill it; returns messages in hand."""
    assert reporting.amqp_proxy is not None and reporting.database_proxy is not None
    database, broker = reporting.database_proxy, reporting.amqp_proxy
    await hold_when(broker.on_next_delivery, database.pause)
    await asyncio.sleep(0.5)  # the consumer takes its batch and waits for the database
    in_hand = broker.in_hand
    await reporting.kill()
    database.cut()
    database.resume()
    return in_hand


async def kill_consumer_after_commit_before_ack(reporting: Replica) -> int:
    """Hold reporting's acks as a delivery arrives, let it commit, kill it; returns in hand."""
    assert reporting.amqp_proxy is not None
    broker = reporting.amqp_proxy
    await hold_when(broker.on_next_delivery, lambda: broker.pause(upstream=True, downstream=False))
    # The batch commits; wait until the inbox stops growing.
    size = await inbox_size(reporting)
    while True:
        await asyncio.sleep(0.5)
        now = await inbox_size(reporting)
        if now == size:
            break
        size = now
    in_hand = broker.in_hand
    await reporting.kill()
    broker.cut()
    broker.resume()
    return in_hand


@pytest.mark.parametrize(
    ("window", "kill"),
    [
        pytest.param("inside its transaction", kill_consumer_inside_transaction, id="in-tx"),
        pytest.param("after commit, before ack", kill_consumer_after_commit_before_ack, id="ack"),
    ],
)
async def test_consumer_killed_mid_batch(
    stack: FaultStack,
    results: Results,
    window: str,
    kill: Callable[[Replica], Awaitable[int]],
) -> None:
    amqp_url, topology = stack.backend.rabbit.amqp_url, stack.namespace.topology
    reporting = await stack.replica("reporting", proxy_database=True, watch_amqp=True)
    probe = await probe_for(stack)
    load = ExchangeLoad(amqp_url, topology, total=3000, rate=300)
    poison = await poison_for(stack)

    publishing = asyncio.create_task(load.run())
    in_hand: list[int] = []
    ready_again: list[float] = []
    for share in KILLS_AT:
        await load.wait_for_progress(share)
        in_hand.append(await kill(reporting))
        ready_again.append(await reporting.start())
    await publishing

    result = await outcome(
        stack,
        f"kill -9 consumer mid-batch, {window} (x3)",
        registrations=load.registration_ids,
        events=set(load.event_ids),
        poison=poison,
        probe=probe,
        ready_again=max(ready_again),
        evidence=(
            f"{sum(n > 0 for n in in_hand)}/{len(in_hand)} kills; deliveries in hand: {in_hand}"
        ),
    )
    results.add(result)
    assert all(n > 0 for n in in_hand), "every kill found deliveries in hand"
    if kill is kill_consumer_after_commit_before_ack:
        assert result.absorbed > 0, "committed but unacknowledged events came back and were skipped"
