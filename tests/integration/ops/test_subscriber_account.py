"""The example subscriber account of deploy/rabbitmq/definitions.json, on the real broker.

Its permissions are applied to a throw-away user in a throw-away vhost (removed afterwards):
it can declare and bind its own queue, receive events, and read the archive stream, and it can
neither publish events nor touch the services' queues.
"""

import json
import secrets
import shutil
from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from urllib.parse import urlsplit

import aio_pika
import pytest
from aio_pika.abc import AbstractChannel, AbstractRobustConnection
from aiormq.exceptions import ChannelAccessRefused
from faststream.rabbit import RabbitBroker

from buurtwerk_shared.messaging.topology import ConsumerQueue, Topology, declare_topology
from tests.support.broker import collect, rabbitmqctl, url_for, wait_for
from tests.support.events import meal_served, publish_raw
from tests.support.servers import Servers

DEFINITIONS = Path(__file__).parents[3] / "deploy" / "rabbitmq" / "definitions.json"
PROJECTIONS = ConsumerQueue("reporting.projections", ("meals.meal_served.v1",))


def subscriber_permissions() -> dict[str, str]:
    definitions = json.loads(DEFINITIONS.read_text())
    [permissions] = [p for p in definitions["permissions"] if p["user"] == "city-datawarehouse"]
    return {key: str(value) for key, value in permissions.items()}


@pytest.fixture
def vhost(servers: Servers) -> Iterator[tuple[str, str, str]]:
    """A vhost with the platform's topology rights for the test user and the subscriber account."""
    if shutil.which("rabbitmqctl") is None:
        pytest.fail("rabbitmqctl is needed to create a throw-away vhost and user")
    suffix = secrets.token_hex(4)
    name, user, password = f"t{suffix}-buurtwerk", f"t{suffix}-subscriber", secrets.token_hex(12)
    guest = urlsplit(servers.amqp_url).username or "guest"
    permissions = subscriber_permissions()
    rabbitmqctl("add_vhost", name)
    try:
        rabbitmqctl("set_permissions", "-p", name, guest, ".*", ".*", ".*")
        rabbitmqctl("add_user", user, password)
        try:
            rabbitmqctl(
                "set_permissions",
                "-p",
                name,
                user,
                permissions["configure"],
                permissions["write"],
                permissions["read"],
            )
            yield name, user, password
        finally:
            rabbitmqctl("delete_user", user)
    finally:
        rabbitmqctl("delete_vhost", name)


@pytest.fixture
async def platform(
    servers: Servers, vhost: tuple[str, str, str]
) -> AsyncIterator[AbstractRobustConnection]:
    """The platform's side: the topology as the services declare it, and a publishing connection."""
    url = url_for(servers.amqp_url, vhost[0])
    broker = RabbitBroker(url, logger=None)
    await broker.start()
    await declare_topology(broker, Topology(), (PROJECTIONS,))
    await broker.stop()
    connection = await aio_pika.connect_robust(url)
    yield connection
    await connection.close()


async def test_the_subscriber_account_reads_events_and_the_archive_but_cannot_publish(
    servers: Servers, vhost: tuple[str, str, str], platform: AbstractRobustConnection
) -> None:
    name, user, password = vhost
    subscriber = await aio_pika.connect_robust(url_for(servers.amqp_url, name, user, password))
    try:
        channel = await subscriber.channel()
        own = await channel.declare_queue(
            "city-datawarehouse.meals", durable=True, arguments={"x-queue-type": "quorum"}
        )
        await own.bind("buurtwerk.events", routing_key="meals.#")
        event_id = await publish_raw(platform, Topology(), meal_served())
        async with collect(subscriber, "city-datawarehouse.meals") as received:
            await wait_for(lambda: len(received) == 1)
        assert received[0].message_id == str(event_id)

        archive_channel = await subscriber.channel()
        await archive_channel.set_qos(prefetch_count=10)
        archive = await archive_channel.get_queue("buurtwerk.archive", ensure=False)
        archived: list[str] = []

        async def keep(message: aio_pika.abc.AbstractIncomingMessage) -> None:
            archived.append(message.message_id or "")
            await message.ack()

        await archive.consume(keep, arguments={"x-stream-offset": "first"})
        await wait_for(lambda: archived == [str(event_id)])
        await archive_channel.close()

        refused = await subscriber.channel(publisher_confirms=True)
        exchange = await refused.get_exchange("buurtwerk.events", ensure=False)
        with pytest.raises(ChannelAccessRefused):
            await exchange.publish(aio_pika.Message(b"{}"), routing_key="meals.meal_served.v1")

        async def ignore(message: aio_pika.abc.AbstractIncomingMessage) -> None:
            raise AssertionError(f"the subscriber received {message.message_id}")

        async def consume_projections(channel: AbstractChannel) -> None:
            queue = await channel.get_queue("reporting.projections", ensure=False)
            await queue.consume(ignore)

        for forbidden in (
            lambda channel: channel.declare_queue("reporting.projections", durable=True),
            lambda channel: channel.queue_delete("reporting.projections"),
            consume_projections,
        ):
            probe = await subscriber.channel()
            with pytest.raises(ChannelAccessRefused):
                await forbidden(probe)
    finally:
        await subscriber.close()
