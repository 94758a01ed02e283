"""The services the browser tests drive: real `python -m <service> serve` processes on their own
databases and topology prefix, and the calls a test makes beside the browser (a coordinator
planning today's service, the counts in meals and in reporting)."""

import asyncio
import contextlib
import datetime as dt
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass
from typing import Any

import asyncpg
import httpx
import pytest

from buurtwerk_shared.web.auth import Role, mint_dev_token
from tests.support.apps import ServiceProcess
from tests.support.broker import BrokerNamespace
from tests.support.browser import clear_of_midnight
from tests.support.databases import database_url
from tests.support.servers import Servers

CENTRE = "mannenstraat"
KITCHEN = "mannenstraat-keuken"
PRICES = {"standard": 650, "reduced": 350, "child": 300, "volunteer": 0}


@dataclass
class Running:
    """The service processes of a test, and a way to call them as anyone."""

    processes: dict[str, ServiceProcess]

    def url(self, service: str) -> str:
        return self.processes[service].url

    def client(self, service: str, role: Role, centre: str = CENTRE) -> httpx.AsyncClient:
        """An HTTP client for a service with a development token for `role` and `centre`."""
        token = mint_dev_token(role, [centre], sub=f"test-{role}")
        return httpx.AsyncClient(
            base_url=self.url(service),
            headers={"Authorization": f"Bearer {token}"},
            timeout=30,
        )

    async def plan_today(self, **changes: Any) -> dict[str, Any]:
        """A meal service in the Mannenstraat kitchen today, started (00:00), as a coordinator
        plans it."""
        body = {
            "centre_id": CENTRE,
            "kitchen_id": KITCHEN,
            "date": clear_of_midnight().isoformat(),
            "start_time": "00:00",
            "capacity": 40,
            "prices": PRICES,
            "dishes": [
                {"name": "Preisoep", "allergens": ["celery", "milk"]},
                {"name": "Stoofvlees met frietjes", "allergens": ["gluten", "mustard"]},
            ],
            "reservations": True,
            **changes,
        }
        async with self.client("meals", "centre_coordinator") as client:
            response = await client.post("/services", json=body)
        assert response.status_code == 201, response.text
        service: dict[str, Any] = response.json()
        return service

    async def meals_registered(self, service_id: str) -> list[dict[str, Any]]:
        """Every registration of a service, as meals has it."""
        async with self.client("meals", "analyst", "all") as client:
            response = await client.get(
                "/registrations", params={"service_id": service_id, "limit": 200}
            )
        assert response.status_code == 200, response.text
        items: list[dict[str, Any]] = response.json()["items"]
        return items

    async def served_in_reporting(self, day: dt.date) -> int | None:
        """`meals.served` for the centre in the month of `day`, as reporting counts it."""
        async with self.client("reporting", "analyst", "all") as client:
            response = await client.get(
                "/indicators/meals.served",
                params={"period": day.strftime("%Y-%m"), "centre_id": CENTRE},
            )
        assert response.status_code == 200, response.text
        value = response.json()["value"]
        return None if value is None else int(value)

    async def reporting_reaches(self, day: dt.date, expected: int, within: float = 60) -> None:
        """Wait until reporting counts `expected` meals served; fail with what it counts."""
        deadline = asyncio.get_running_loop().time() + within
        value = None
        while asyncio.get_running_loop().time() < deadline:
            value = await self.served_in_reporting(day)
            if value == expected:
                return
            await asyncio.sleep(0.25)
        raise AssertionError(f"reporting counts {value} meals served, not {expected}")


ServicesFactory = Callable[..., contextlib.AbstractAsyncContextManager[Running]]


@pytest.fixture
async def start_services(
    servers: Servers, namespace: BrokerNamespace
) -> AsyncIterator[ServicesFactory]:
    """Start services as processes (`start_services(meals={...env}, reporting={...})`); they
    stop and their databases go at the end of the test."""
    started: list[ServiceProcess] = []
    databases: list[str] = []

    @contextlib.asynccontextmanager
    async def start(**services: dict[str, str]) -> AsyncIterator[Running]:
        processes = {}
        namespace.track_service_queues()
        for name, extra in services.items():
            database = f"bw_browser_{name}_{namespace.topology.prefix.strip('.')}"
            databases.append(database)
            process = ServiceProcess(
                name,
                {
                    f"{name.upper()}_DATABASE_URL": database_url(servers.database_url, database),
                    "BUURTWERK_AMQP_URL": servers.amqp_url,
                    "BUURTWERK_TOPOLOGY_PREFIX": namespace.topology.prefix,
                    **extra,
                },
            )
            process.migrate()
            process.start()
            started.append(process)
            processes[name] = process
        yield Running(processes)

    try:
        yield start
    finally:
        for process in started:
            process.stop()
        conn = await asyncpg.connect(servers.database_url)
        try:
            for database in databases:
                await conn.execute(f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)')
        finally:
            await conn.close()


@pytest.fixture
async def kitchen(start_services: ServicesFactory) -> AsyncIterator[Running]:
    """Meals and reporting, in development mode (the development login), nothing withheld."""
    async with start_services(
        meals={}, reporting={"REPORTING_SUPPRESSION_THRESHOLD": "1"}
    ) as running:
        yield running
