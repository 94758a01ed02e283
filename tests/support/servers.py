"""Which RabbitMQ and PostgreSQL the tests use.

`AMQP_URL` and `DATABASE_URL` name them; when unset, the local servers if they answer; else
testcontainers starts them where a Docker engine answers; else the suite stops with a message
saying what to start. It never passes by skipping.
"""

import asyncio
import contextlib
import os
from collections.abc import Awaitable, Callable, Iterator
from dataclasses import dataclass
from typing import Any

import aio_pika
import asyncpg

LOCAL_AMQP_URL = "amqp://guest:guest@127.0.0.1:5672/"
LOCAL_DATABASE_URL = "postgresql://postgres@127.0.0.1:5432/postgres"


@dataclass(frozen=True)
class Servers:
    """The broker URL and an administrative PostgreSQL URL (tests create their databases)."""

    amqp_url: str
    database_url: str


class ServersUnavailable(RuntimeError):
    """Neither configured, nor local, nor containerised servers are available."""


def _answers(connect: Callable[[], Awaitable[Any]]) -> bool:
    async def probe() -> bool:
        try:
            async with asyncio.timeout(3):
                conn = await connect()
                await conn.close()
            return True
        except Exception:
            return False

    return asyncio.run(probe())


def _docker_available() -> bool:
    try:
        import docker

        client = docker.from_env(timeout=2)
        try:
            return bool(client.ping())
        finally:
            client.close()
    except Exception:
        return False


@contextlib.contextmanager
def resolve_servers() -> Iterator[Servers]:
    """Yield the servers to test against, starting containers only as the last resort."""
    amqp_url = os.environ.get("AMQP_URL")
    database_url = os.environ.get("DATABASE_URL")
    if amqp_url and database_url:
        yield Servers(amqp_url, database_url)
        return
    local_amqp = amqp_url or LOCAL_AMQP_URL
    local_db = database_url or LOCAL_DATABASE_URL
    if _answers(lambda: aio_pika.connect(local_amqp)) and _answers(
        lambda: asyncpg.connect(local_db)
    ):
        yield Servers(local_amqp, local_db)
        return
    if not _docker_available():
        raise ServersUnavailable(
            "No RabbitMQ/PostgreSQL to test against: set AMQP_URL and DATABASE_URL, start the "
            "local servers (`rabbitmq-server -detached`; "
            "`pg_ctlcluster --skip-systemctl-redirect <version> main start`), "
            "or run a Docker engine for testcontainers."
        )
    from testcontainers.community.postgres import PostgresContainer
    from testcontainers.community.rabbitmq import RabbitMqContainer

    with (
        RabbitMqContainer("rabbitmq:4.1-management") as rabbit,
        PostgresContainer("postgres:16", driver=None) as postgres,
    ):
        host, port = rabbit.get_container_host_ip(), rabbit.get_exposed_port(5672)
        yield Servers(f"amqp://guest:guest@{host}:{port}/", postgres.get_connection_url())
