"""Events and raw AMQP messages for tests."""

import datetime as dt
from typing import Any
from uuid import UUID, uuid4

import aio_pika
from aio_pika.abc import AbstractRobustConnection

from buurtwerk_shared.contracts.events import EventData
from buurtwerk_shared.contracts.events.meals import MealServedV1
from buurtwerk_shared.messaging.outbox import envelope_for
from buurtwerk_shared.messaging.topology import Topology
from tests.support.broker import TEST_BROKER_USER


def meal_served(
    centre_id: str = "sint-maartensdal",
    date: dt.date = dt.date(2026, 3, 12),
    count: int = 1,
    tariff: str = "standard",
    **overrides: Any,
) -> MealServedV1:
    """A `meals.meal_served.v1` with fresh ids."""
    return MealServedV1(
        registration_id=overrides.pop("registration_id", uuid4()),
        service_id=overrides.pop("service_id", uuid4()),
        centre_id=centre_id,
        date=date,
        tariff=tariff,
        count=count,
        takeaway=overrides.pop("takeaway", False),
        **overrides,
    )


async def publish_raw(
    connection: AbstractRobustConnection,
    topology: Topology,
    event: EventData,
    *,
    event_id: UUID | None = None,
    body: bytes | None = None,
    headers: dict[str, Any] | None = None,
    routing_key: str | None = None,
    user_id: str | None = TEST_BROKER_USER,
) -> UUID:
    """Publish an event straight to the exchange, as a (possibly misbehaving) publisher would.

    `user_id` is the AMQP property the broker checks against the connection's user (by default
    the test broker's user, the account of every source in the tests; None leaves it out).
    """
    envelope = envelope_for(event, event_id)
    channel = await connection.channel(publisher_confirms=True)
    try:
        exchange = await channel.get_exchange(topology.events_exchange.name, ensure=False)
        message_headers: dict[str, Any] = dict(envelope.amqp_headers())
        message_headers.update(headers or {})
        await exchange.publish(
            aio_pika.Message(
                body if body is not None else event.to_json().encode(),
                headers={k: v for k, v in message_headers.items() if v is not None},
                content_type="application/json",
                message_id=str(envelope.id),
                user_id=user_id,
                delivery_mode=aio_pika.DeliveryMode.PERSISTENT,
            ),
            routing_key=routing_key or event.event_type,
        )
    finally:
        await channel.close()
    return envelope.id
