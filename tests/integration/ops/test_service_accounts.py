"""The services' broker accounts on the real broker, and reporting refusing what they did not send.

A throw-away vhost gets the four service accounts with the permissions `make run` and
deploy/rabbitmq/definitions.json give them (`messaging.accounts`), under throw-away names; the
broker's own user (`guest`) keeps full rights there, as an outsider with a publishing account
would have. Everything is removed afterwards.
"""

import asyncio
import datetime as dt
import secrets
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass
from urllib.parse import urlsplit
from uuid import uuid4

import aio_pika
import asyncpg
import httpx
import pytest
from aio_pika.abc import AbstractRobustConnection
from aiormq.exceptions import ChannelAccessRefused, ChannelPreconditionFailed

from buurtwerk_shared.config import PlatformSettings
from buurtwerk_shared.contracts.events import courses, meals, reporting, volunteers
from buurtwerk_shared.contracts.publishers import GUEST, SERVICE_ACCOUNTS
from buurtwerk_shared.db.pool import create_pool
from buurtwerk_shared.messaging.accounts import service_definitions
from buurtwerk_shared.messaging.outbox import emit
from buurtwerk_shared.messaging.relay import OutboxRelay
from buurtwerk_shared.messaging.topology import Topology
from reporting.service import definition
from reporting.settings import ReportingSettings
from tests.support.apps import in_process
from tests.support.broker import collect, import_definitions, rabbitmqctl, url_for, wait_for
from tests.support.databases import DatabaseFactory
from tests.support.events import meal_served, publish_raw
from tests.support.servers import Servers
from tests.support.tokens import bearer

ANALYST = bearer("analyst", ["all"], sub="analyst-1")
CENTRE = "sint-maartensdal"


@dataclass(frozen=True)
class Accounts:
    """A vhost with the service accounts (source -> name) and their passwords."""

    vhost: str
    names: dict[str, str]
    password: str
    amqp_url: str

    def url(self, source: str | None = None) -> str:
        """The URL of a source's account, or of the broker's own user (None)."""
        if source is None:
            return url_for(self.amqp_url, self.vhost)
        return url_for(self.amqp_url, self.vhost, self.names[source], self.password)


@pytest.fixture(scope="module")
def accounts(servers: Servers) -> Iterator[Accounts]:
    suffix = secrets.token_hex(4)
    vhost, password = f"t{suffix}-accounts", secrets.token_hex(12)
    names = {source: f"t{suffix}-{name}" for source, name in SERVICE_ACCOUNTS.items()}
    guest = urlsplit(servers.amqp_url).username or GUEST
    rabbitmqctl("add_vhost", vhost)
    try:
        rabbitmqctl("set_permissions", "-p", vhost, guest, ".*", ".*", ".*")
        import_definitions(
            service_definitions(vhost, dict.fromkeys(names.values(), password), names)
        )
        try:
            yield Accounts(vhost, names, password, servers.amqp_url)
        finally:
            for name in names.values():
                rabbitmqctl("delete_user", name)
    finally:
        rabbitmqctl("delete_vhost", vhost)


@pytest.fixture
async def running_reporting(
    accounts: Accounts, databases: DatabaseFactory
) -> AsyncIterator[tuple[httpx.AsyncClient, asyncpg.Connection]]:
    """Reporting in process under its own account, checking events against the accounts."""
    url = await databases.create(definition().migrations)
    platform = PlatformSettings(
        amqp_url=accounts.url(reporting.SOURCE), publisher_accounts=accounts.names
    )
    settings = ReportingSettings(database_url=url, platform=platform)
    db = await asyncpg.connect(url)
    try:
        async with in_process(definition(settings)) as client:
            yield client, db
    finally:
        await db.close()
        # The vhost outlives this test's reporting; its queues do not.
        connection = await aio_pika.connect(accounts.url())
        try:
            channel = await connection.channel()
            for queue in ("reporting.projections", "reporting.reminders"):
                await channel.queue_delete(queue)
                await channel.queue_delete(queue + ".dlq")
        finally:
            await connection.close()


async def connect(url: str) -> AbstractRobustConnection:
    return await aio_pika.connect_robust(url)


async def test_a_service_account_publishes_only_its_own_events_as_itself(
    accounts: Accounts, running_reporting: tuple[httpx.AsyncClient, asyncpg.Connection]
) -> None:
    topology = Topology()
    meals_account = await connect(accounts.url(meals.SOURCE))
    try:
        # Its own event, as itself: confirmed.
        await publish_raw(
            meals_account, topology, meal_served(), user_id=accounts.names[meals.SOURCE]
        )
        # Another service's routing key: the topic permission refuses it.
        with pytest.raises(ChannelAccessRefused):
            await publish_raw(
                meals_account,
                topology,
                meal_served(),
                routing_key=volunteers.ShiftCompletedV1.event_type,
                user_id=accounts.names[meals.SOURCE],
            )
        # Its own routing key, claiming to be the courses account: the broker refuses the user_id.
        with pytest.raises(ChannelPreconditionFailed):
            await publish_raw(
                meals_account, topology, meal_served(), user_id=accounts.names[courses.SOURCE]
            )

        # Nobody else's queue: it cannot read what reporting consumes.
        async def ignore(message: aio_pika.abc.AbstractIncomingMessage) -> None:
            raise AssertionError(f"the meals account received {message.message_id}")

        channel = await meals_account.channel()
        with pytest.raises(ChannelAccessRefused):
            queue = await channel.get_queue("reporting.projections", ensure=False)
            await queue.consume(ignore)
    finally:
        await meals_account.close()


async def test_an_event_forged_with_the_guest_account_is_dead_lettered_and_not_counted(
    accounts: Accounts, running_reporting: tuple[httpx.AsyncClient, asyncpg.Connection]
) -> None:
    client, db = running_reporting
    topology = Topology()
    genuine = meal_served(centre_id=CENTRE, count=12)
    meals_account = await connect(accounts.url(meals.SOURCE))
    guest = await connect(accounts.url())
    try:
        async with collect(guest, "reporting.projections.dlq") as dead:
            genuine_id = await publish_raw(
                meals_account, topology, genuine, user_id=accounts.names[meals.SOURCE]
            )
            # The meals service's source and type, sent with guest: as guest, and unnamed.
            forged = [
                await publish_raw(
                    guest, topology, meal_served(centre_id=CENTRE, count=1000), user_id=GUEST
                ),
                await publish_raw(
                    guest, topology, meal_served(centre_id=CENTRE, count=1000), user_id=None
                ),
            ]
            await wait_for(lambda: len(dead) == len(forged))

            async def projected() -> bool:
                return bool(
                    await db.fetchval(
                        "SELECT count(*) FROM processed_events WHERE event_id = $1", genuine_id
                    )
                )

            await wait_for(projected)
        reasons = {m.message_id: (m.headers or {}).get("x-dead-letter-reason") for m in dead}
        assert reasons == {
            str(forged[0]): "unauthenticated_source",
            str(forged[1]): "unauthenticated_source",
        }
        response = await client.get(
            "/indicators/meals.served",
            params={"period": "2026-03", "centre_id": CENTRE},
            headers=ANALYST,
        )
        assert response.status_code == 200, response.text
        assert response.json()["value"] == 12, "only the meals account's meals are counted"
    finally:
        await meals_account.close()
        await guest.close()


async def test_a_publish_the_broker_refuses_is_set_aside_and_the_outbox_goes_on(
    accounts: Accounts, databases: DatabaseFactory
) -> None:
    url = await databases.create(definition().migrations)  # any service's plumbing tables
    pool = await create_pool(url)
    guest = await connect(accounts.url())
    meals_account = await connect(accounts.url(meals.SOURCE))
    channel = await guest.channel()
    probe = await channel.declare_queue("probe.all", durable=True)
    try:
        exchange = await channel.declare_exchange(
            "buurtwerk.events", aio_pika.ExchangeType.TOPIC, durable=True
        )
        await probe.bind(exchange, routing_key="#")
        async with pool.acquire() as conn, conn.transaction():
            first = await emit(conn, meal_served())
            # A volunteers event in the meals service's outbox: its account may not publish it.
            foreign = await emit(
                conn,
                volunteers.ShiftCompletedV1(
                    shift_id=uuid4(),
                    volunteer_id=uuid4(),
                    centre_id=CENTRE,
                    role="kitchen",
                    date=dt.date(2026, 3, 12),
                    hours=3,
                ),
            )
            last = await emit(conn, meal_served())
        relay = OutboxRelay(
            pool, url, "buurtwerk.events", user_id=accounts.names[meals.SOURCE], poll_seconds=0.2
        )
        async with collect(guest, "probe.all") as received:
            task = asyncio.create_task(relay.run(meals_account))
            try:

                async def settled() -> bool:
                    waiting: int = await pool.fetchval(
                        "SELECT count(*) FROM outbox WHERE published_at IS NULL"
                    )
                    ids = {m.message_id for m in received}
                    return ids == {str(first), str(last)} and waiting == 1

                await wait_for(settled)
            finally:
                relay.stop()
                await asyncio.wait_for(task, 10)
        # At least once: a row whose confirm the closed channel lost is sent again (and absorbed
        # by the consumers' inbox); the refused one never.
        assert str(foreign) not in {m.message_id for m in received}
        refused = await pool.fetchrow(
            "SELECT refused_at, refused_reason FROM outbox WHERE event_id = $1", foreign
        )
        assert refused is not None and refused["refused_at"] is not None
        assert "ACCESS_REFUSED" in refused["refused_reason"]
    finally:
        await channel.queue_delete("probe.all")
        await pool.close()
        await guest.close()
        await meals_account.close()
