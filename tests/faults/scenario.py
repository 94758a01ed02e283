"""The usual scenario of a fault test: meals and reporting under the till's load, with poison."""

import asyncio
from dataclasses import dataclass

import aio_pika
import httpx

from tests.faults.harness import FaultStack, Replica
from tests.faults.load import Poison, Till, inject_poison, plan_services
from tests.faults.outcome import FaultResult, Probe, meals_events, outcome


async def probe_for(stack: FaultStack) -> Probe:
    """A probe queue on the test's exchange, declared before the load."""
    probe = Probe(
        stack.backend.rabbit.amqp_url, stack.namespace.topology, stack.namespace.name("probe")
    )
    await probe.declare()
    return probe


async def poison_for(stack: FaultStack, rounds: int = 1) -> list[Poison]:
    """One round of poison per dead-letter reason, published onto the test's exchange."""
    connection = await aio_pika.connect_robust(stack.backend.rabbit.amqp_url)
    try:
        return await inject_poison(connection, stack.namespace.topology, rounds)
    finally:
        await connection.close()


@dataclass
class TillScenario:
    """A till load on running meals replicas, poison already injected, a probe counting."""

    stack: FaultStack
    till: Till
    poison: list[Poison]
    probe: Probe
    _tapping: asyncio.Task[None] | None = None

    def start(self) -> None:
        """Start tapping in the background."""
        self._tapping = asyncio.create_task(self.till.run())

    async def finish_load(self) -> None:
        """Wait until the last tap was accepted."""
        assert self._tapping is not None, "start() first"
        await self._tapping

    async def finish(self, fault: str, ready_again: float, evidence: str = "") -> FaultResult:
        """Wait for the last tap, then count what became of the load."""
        await self.finish_load()
        return await outcome(
            self.stack,
            fault,
            registrations=self.till.registration_ids,
            events=await meals_events(self.stack),
            poison=self.poison,
            probe=self.probe,
            ready_again=ready_again,
            evidence=evidence,
            till=self.till,
        )


async def till_scenario(
    stack: FaultStack, meals: list[Replica], total: int = 1200, rate: float = 100
) -> TillScenario:
    """Plan the services, declare the probe, inject the poison; `start()` begins the taps."""
    probe = await probe_for(stack)
    async with httpx.AsyncClient(timeout=10) as client:
        services = await plan_services(client, meals[0].url)
    till = Till([m.url for m in meals], services, total=total, rate=rate)
    return TillScenario(stack, till, await poison_for(stack), probe)
