"""The steady load of the fault tests, of a known size, and the poison mixed into it.

- `Till`: meals registered over HTTP the way a till does: one `Idempotency-Key` per tap, retried
  with the same key on connection errors, timeouts and 5xx until accepted, so a retry can never
  count a meal twice;
- `ExchangeLoad`: `meals.meal_served.v1` events published straight onto the events exchange with
  publisher confirms, as another publisher would;
- `inject_poison`: messages the reporting consumer must dead-letter, one per failure reason.
"""

import asyncio
import datetime as dt
import json
import time
from collections import Counter
from dataclasses import dataclass, field
from typing import Any
from uuid import UUID

import aio_pika
import httpx
from aio_pika.abc import AbstractRobustConnection

from buurtwerk_shared.contracts.envelope import MAX_MESSAGE_BYTES
from buurtwerk_shared.contracts.events import EventData
from buurtwerk_shared.messaging.outbox import envelope_for
from buurtwerk_shared.messaging.topology import Topology
from tests.support.broker import TEST_BROKER_USER, wait_for
from tests.support.events import meal_served, publish_raw
from tests.support.tokens import bearer

CENTRE = "sint-maartensdal"
KITCHEN = "sint-maartensdal-keuken"
SERVICE_DATES = tuple(dt.date(2026, 11, day) for day in (3, 4, 5, 6))
PERIOD = "2026-11"
COORDINATOR = bearer("centre_coordinator", [CENTRE], sub="coord-faults")
COOK = bearer("kitchen_staff", [CENTRE], sub="till-faults")
REQUEST_TIMEOUT_SECONDS = 5.0
GIVE_UP_SECONDS = 180.0


class LoadFailed(AssertionError):
    """The load met an answer a till would not retry, or could not finish in time."""


async def plan_services(client: httpx.AsyncClient, meals_url: str) -> list[str]:
    """One meal service per date of `SERVICE_DATES`, each with room for 1000 meals."""
    ids = []
    for day in SERVICE_DATES:
        response = await client.post(
            f"{meals_url}/services",
            json={
                "centre_id": CENTRE,
                "kitchen_id": KITCHEN,
                "date": day.isoformat(),
                "start_time": "12:00",
                "capacity": 1000,
                "prices": {"standard": 650},
                "dishes": [{"name": "Stoofvlees", "allergens": ["gluten"]}],
            },
            headers={**COORDINATOR, "Idempotency-Key": f"plan-{day}"},
        )
        if response.status_code != 201:
            raise LoadFailed(f"planning a service failed: {response.status_code} {response.text}")
        ids.append(response.json()["service_id"])
    return ids


@dataclass
class Till:
    """`total` taps at `rate` per second, spread over the services and the meals replicas."""

    meals_urls: list[str]
    service_ids: list[str]
    total: int
    rate: float
    concurrency: int = 8
    accepted: dict[str, str] = field(default_factory=dict)  # tap key -> registration id
    retried: int = 0  # taps that needed more than one attempt
    replayed: int = 0  # retries answered with the stored response: the first try had committed
    # What the till got instead of a 201, before retrying: a status code or "no answer".
    refusals: Counter[str] = field(default_factory=Counter)

    @property
    def registration_ids(self) -> set[UUID]:
        """The registrations the till was given, one per tap."""
        return {UUID(r) for r in self.accepted.values()}

    async def run(self) -> None:
        """Tap `total` times at the steady rate; returns when every tap was accepted."""
        slots = asyncio.Semaphore(self.concurrency)
        limits = httpx.Limits(max_connections=self.concurrency)
        async with httpx.AsyncClient(timeout=REQUEST_TIMEOUT_SECONDS, limits=limits) as client:
            start = time.monotonic()

            async def tap(i: int) -> None:
                await asyncio.sleep(max(0.0, start + i / self.rate - time.monotonic()))
                async with slots:
                    await self._register(client, i)

            await asyncio.gather(*(tap(i) for i in range(self.total)))

    async def wait_for_progress(self, fraction: float) -> None:
        """Return once this share of the taps has been accepted."""
        await wait_for(lambda: len(self.accepted) >= fraction * self.total, GIVE_UP_SECONDS)

    async def _register(self, client: httpx.AsyncClient, i: int) -> None:
        key = f"tap-{i}"
        url = self.meals_urls[i % len(self.meals_urls)]
        path = f"/services/{self.service_ids[i % len(self.service_ids)]}/registrations"
        deadline = time.monotonic() + GIVE_UP_SECONDS
        backoff = 0.1
        attempt = 0
        while True:
            attempt += 1
            response = await self._post(client, url + path, key)
            if response is not None and response.status_code == 201:
                self.accepted[key] = response.json()["registration_id"]
                self.retried += attempt > 1
                self.replayed += response.headers.get("Idempotent-Replayed") == "true"
                return
            if response is not None and response.status_code < 500:
                raise LoadFailed(f"{key}: {response.status_code} {response.text}")
            if time.monotonic() > deadline:
                raise LoadFailed(f"{key}: not accepted within {GIVE_UP_SECONDS}s")
            await asyncio.sleep(backoff)
            backoff = min(backoff * 2, 1.0)

    async def _post(self, client: httpx.AsyncClient, url: str, key: str) -> httpx.Response | None:
        """One attempt; None when no answer came (refused, reset, timed out)."""
        try:
            response = await client.post(
                url,
                json={"tariff": "standard", "count": 1},
                headers={**COOK, "Idempotency-Key": key},
            )
        except httpx.TransportError:
            self.refusals["no answer"] += 1
            return None
        if response.status_code != 201:
            self.refusals[str(response.status_code)] += 1
        return response


@dataclass
class ExchangeLoad:
    """`total` meal_served events for `CENTRE` in `PERIOD`, published at `rate` per second."""

    amqp_url: str
    topology: Topology
    total: int
    rate: float
    event_ids: list[UUID] = field(default_factory=list)
    registration_ids: set[UUID] = field(default_factory=set)

    async def run(self) -> None:
        """Publish every event once, each confirmed by the broker, at the steady rate."""
        connection = await aio_pika.connect(self.amqp_url)
        try:
            channel = await connection.channel(publisher_confirms=True)
            exchange = await channel.get_exchange(self.topology.events_exchange.name, ensure=False)
            start = time.monotonic()
            group = max(1, int(self.rate / 20))  # twenty confirmed groups a second
            for first in range(0, self.total, group):
                await asyncio.sleep(max(0.0, start + first / self.rate - time.monotonic()))
                size = min(group, self.total - first)
                await asyncio.gather(*(self._publish(exchange, first + i) for i in range(size)))
        finally:
            await connection.close()

    async def wait_for_progress(self, fraction: float) -> None:
        """Return once this share of the events has been confirmed."""
        await wait_for(lambda: len(self.event_ids) >= fraction * self.total, GIVE_UP_SECONDS)

    async def _publish(self, exchange: aio_pika.abc.AbstractExchange, i: int) -> None:
        event = meal_served(centre_id=CENTRE, date=SERVICE_DATES[i % len(SERVICE_DATES)])
        envelope = envelope_for(event)
        await exchange.publish(
            aio_pika.Message(
                event.to_json().encode(),
                headers=dict(envelope.amqp_headers()),
                content_type="application/json",
                message_id=str(envelope.id),
                user_id=TEST_BROKER_USER,
                delivery_mode=aio_pika.DeliveryMode.PERSISTENT,
            ),
            routing_key=event.event_type,
            mandatory=True,
        )
        self.event_ids.append(envelope.id)
        self.registration_ids.add(event.registration_id)


@dataclass(frozen=True)
class Poison:
    """A message injected to be dead-lettered, and the reason the DLQ must give."""

    message_id: str
    reason: str


# A count reporting could not store (its columns are 32-bit): the contract's bound refuses it.
UNSTORABLE_COUNT = 2**31


async def inject_poison(
    connection: AbstractRobustConnection, topology: Topology, rounds: int = 1
) -> list[Poison]:
    """Publish `rounds` times one message per dead-letter reason of the reporting consumer."""
    injected: list[Poison] = []

    async def publish(reason: str, event: EventData, **options: Any) -> None:
        message_id = await publish_raw(connection, topology, event, **options)
        injected.append(Poison(str(message_id), reason))

    for _ in range(rounds):
        good = meal_served(centre_id=CENTRE, date=SERVICE_DATES[0])
        await publish("invalid_data", good, body=b"{not json")
        await publish("invalid_data", good, body=json.dumps({"registration_id": "x"}).encode())
        await publish("source_mismatch", good, headers={"ce-source": "/buurtwerk/courses"})
        await publish("invalid_envelope", good, headers={"ce-type": "meals.meal_served.v9"})
        unstorable = good.model_copy(update={"count": UNSTORABLE_COUNT})
        await publish("invalid_data", unstorable)
        await publish("unauthenticated_source", good, user_id=None)
        await publish("too_large", good, body=b" " * (MAX_MESSAGE_BYTES + 1))
    return injected
