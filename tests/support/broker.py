"""A private namespace of exchanges and queues on the shared broker, removed after the test."""

import asyncio
import contextlib
import json
import os
import secrets
import shutil
import subprocess
import tempfile
from collections.abc import AsyncIterator, Awaitable, Callable
from typing import Any
from urllib.parse import quote, unquote, urlsplit, urlunsplit

import aio_pika
from aio_pika.abc import AbstractIncomingMessage, AbstractRobustConnection

from buurtwerk_shared.contracts.publishers import GUEST, PUBLISHER_ACCOUNTS
from buurtwerk_shared.messaging.topology import ConsumerQueue, Topology

# The one user of the test broker (AMQP_URL's, `guest` locally and in the private nodes), which
# the tests' services and raw publishers connect as: the account of every source in the tests.
TEST_BROKER_USER = unquote(urlsplit(os.environ.get("AMQP_URL", "")).username or GUEST)
TEST_PUBLISHERS = dict.fromkeys(PUBLISHER_ACCOUNTS, TEST_BROKER_USER)


class BrokerNamespace:
    """A topology under a unique prefix; remembers what to delete."""

    def __init__(self, amqp_url: str, prefix: str = "t") -> None:
        self.amqp_url = amqp_url
        self.topology = Topology(prefix=f"{prefix}{secrets.token_hex(4)}.")
        self._queues: set[str] = {self.topology.archive_stream.name}

    def track(self, *consumers: ConsumerQueue) -> None:
        """Remember consumer queues (and their DLQs) to delete at the end."""
        for consumer in consumers:
            self._queues.add(self.topology.queue_name(consumer))
            self._queues.add(self.topology.dead_letter_queue_name(consumer))

    def track_service_queues(self) -> None:
        """Remember the consumer queues of every service (for tests that start services)."""
        from courses.service import definition as courses
        from meals.service import definition as meals
        from reporting.service import definition as reporting
        from volunteers.service import definition as volunteers

        for service in (meals, volunteers, courses, reporting):
            self.track(*(consumer.queue for consumer in service().consumers))

    def name(self, local: str) -> str:
        """A queue name inside the namespace, deleted at the end."""
        full = self.topology.prefix + local
        self._queues.add(full)
        return full

    async def delete(self) -> None:
        """Delete every queue and exchange of the namespace."""
        connection = await aio_pika.connect(self.amqp_url)
        try:
            for queue in self._queues:
                channel = await connection.channel()
                with contextlib.suppress(aio_pika.exceptions.AMQPError):
                    # Quorum and stream queues refuse the if-unused/if-empty flags.
                    await channel.queue_delete(queue, if_unused=False, if_empty=False)
                with contextlib.suppress(Exception):
                    await channel.close()
            for exchange in (self.topology.events_exchange, self.topology.dead_letter_exchange):
                channel = await connection.channel()
                with contextlib.suppress(aio_pika.exceptions.AMQPError):
                    await channel.exchange_delete(exchange.name)
                with contextlib.suppress(Exception):
                    await channel.close()
        finally:
            await connection.close()


@contextlib.asynccontextmanager
async def collect(
    connection: AbstractRobustConnection, queue_name: str
) -> AsyncIterator[list[AbstractIncomingMessage]]:
    """Consume a queue into a list (auto-acknowledged) for as long as the context is open."""
    channel = await connection.channel()
    queue = await channel.get_queue(queue_name, ensure=True)
    received: list[AbstractIncomingMessage] = []

    async def keep(message: AbstractIncomingMessage) -> None:
        received.append(message)

    tag = await queue.consume(keep, no_ack=True)
    try:
        yield received
    finally:
        await queue.cancel(tag)
        await channel.close()


async def wait_for(
    predicate: Callable[[], bool | Awaitable[bool]], within: float = 20.0, interval: float = 0.05
) -> None:
    """Wait until `predicate()` (sync or async) is true; fail the test after `within` s."""
    deadline = asyncio.get_running_loop().time() + within
    while True:
        result = predicate()
        if not isinstance(result, bool):
            result = await result
        if result:
            return
        if asyncio.get_running_loop().time() > deadline:
            raise AssertionError(f"condition not met within {within}s")
        await asyncio.sleep(interval)


def rabbitmqctl(*args: str) -> None:
    """Run `rabbitmqctl` against the local broker (tests that need their own vhosts and users)."""
    if shutil.which("rabbitmqctl") is None:
        raise AssertionError("rabbitmqctl is needed to create a throw-away vhost and users")
    subprocess.run(
        ["rabbitmqctl", "-q", *args],
        check=True,
        capture_output=True,
        timeout=60,
    )


def import_definitions(definitions: dict[str, Any]) -> None:
    """Import RabbitMQ definitions (users, permissions, ...) in one `rabbitmqctl` call."""
    with tempfile.NamedTemporaryFile("w", suffix=".json") as file:
        json.dump(definitions, file)
        file.flush()
        # The broker's node reads the file, as its own user.
        os.chmod(file.name, 0o644)
        rabbitmqctl("import_definitions", file.name)


def url_for(amqp_url: str, vhost: str, user: str | None = None, password: str = "") -> str:
    """`amqp_url` on another vhost, as another user if given."""
    parts = urlsplit(amqp_url)
    netloc = parts.netloc
    if user is not None:
        netloc = f"{user}:{password}@{netloc.rsplit('@', 1)[-1]}"
    return urlunsplit(parts._replace(netloc=netloc, path="/" + quote(vhost, safe="")))
