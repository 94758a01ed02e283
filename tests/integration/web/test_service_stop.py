"""A service asked to stop while its database or its broker is away stops within its grace period.

Each service runs in process with its database or broker behind a proxy; the proxy goes down (the
server is gone: open connections dropped, new ones reset) while the service has work in hand,
and the service's lifespan is left, as uvicorn does on SIGTERM once the requests in hand are done.
"""

import asyncio
import json
import time
from collections.abc import Callable

import aio_pika
import httpx
import pytest

from buurtwerk_shared.config import PlatformSettings, ServiceSettings
from buurtwerk_shared.service.definition import ServiceDefinition
from buurtwerk_shared.service.stopping import lifespan_seconds
from courses.service import definition as courses
from courses.settings import CoursesSettings
from meals.service import definition as meals
from meals.settings import MealsSettings
from reporting.service import definition as reporting
from reporting.settings import ReportingSettings
from tests.integration.web.conftest import COORDINATOR, SERVICE
from tests.support.apps import in_process
from tests.support.broker import BrokerNamespace
from tests.support.databases import DatabaseFactory
from tests.support.events import meal_served, publish_raw
from tests.support.proxy import CuttableProxy
from volunteers.service import definition as volunteers
from volunteers.settings import VolunteersSettings

GRACE_SECONDS = 10.0
SERVICES: dict[str, tuple[Callable[..., ServiceDefinition], type[ServiceSettings]]] = {
    "meals": (meals, MealsSettings),
    "volunteers": (volunteers, VolunteersSettings),
    "courses": (courses, CoursesSettings),
    "reporting": (reporting, ReportingSettings),
}
# What each service says it left undone, when it had work in hand.
UNFINISHED = {
    "database": "stopping with its database unreachable",  # reporting's consumer
    "broker": "outbox relay stopped while publishing failed",  # meals' relay
}


def service(name: str, database_url: str, amqp_url: str, prefix: str) -> ServiceDefinition:
    """One service's definition on the given servers, with the test's grace period."""
    definition, settings_class = SERVICES[name]
    platform = PlatformSettings(
        amqp_url=amqp_url, topology_prefix=prefix, stop_grace_seconds=GRACE_SECONDS
    )
    return definition(settings_class(database_url=database_url, platform=platform))


async def give_work(name: str, away: str, client: httpx.AsyncClient, ns: BrokerNamespace) -> bool:
    """Work the service cannot finish with the server away; whether there is some for it."""
    if name == "reporting" and away == "database":
        connection = await aio_pika.connect_robust(ns.amqp_url)
        try:
            for _ in range(50):
                await publish_raw(connection, ns.topology, meal_served())
        finally:
            await connection.close()
        return True
    if name == "meals" and away == "broker":
        planned = await client.post("/services", json=SERVICE, headers=COORDINATOR)
        assert planned.status_code == 201, planned.text
        return True
    return False


@pytest.mark.parametrize("name", SERVICES)
@pytest.mark.parametrize("away", ["database", "broker"])
async def test_a_service_stops_within_its_grace_period_while_a_server_is_away(
    name: str,
    away: str,
    databases: DatabaseFactory,
    namespace: BrokerNamespace,
    capsys: pytest.CaptureFixture[str],
) -> None:
    definition = SERVICES[name][0]()
    namespace.track(*(c.queue for c in definition.consumers))
    database_url = await databases.create(definition.migrations)
    proxy = CuttableProxy.for_url(database_url if away == "database" else namespace.amqp_url)
    await proxy.start()
    behind = service(
        name,
        proxy.url(database_url) if away == "database" else database_url,
        proxy.url(namespace.amqp_url) if away == "broker" else namespace.amqp_url,
        namespace.topology.prefix,
    )
    try:
        async with in_process(behind) as client:
            assert (await client.get("/health/ready")).status_code == 200
            proxy.go_down()
            has_work = await give_work(name, away, client, namespace)
            await asyncio.sleep(1.5)  # the workers meet the outage: retries, reconnects
            began = time.monotonic()
        took = time.monotonic() - began
    finally:
        await proxy.stop()

    # The lifespan's share of the grace period (the HTTP requests in hand have the rest).
    assert took < lifespan_seconds(GRACE_SECONDS), f"{took:.1f}s to stop"
    lines = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    messages = [line["message"] for line in lines if line.get("service") == name]
    assert f"{name} stopped" in messages
    cut_short = [m for m in messages if "did not finish within the grace period" in m]
    assert cut_short == [], "\n".join(["a worker had to be cancelled; the log:", *messages])
    if has_work:
        assert any(UNFINISHED[away] in message for message in messages), "\n".join(messages)
