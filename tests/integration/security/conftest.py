"""The services as the security tests run them: in process, on a fresh database of their own."""

from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass
from typing import Any

import asyncpg
import httpx
import pytest

from buurtwerk_shared.service.app import create_app
from buurtwerk_shared.service.definition import ServiceDefinition
from courses.service import definition as courses
from courses.settings import CoursesSettings
from meals.service import definition as meals
from meals.settings import MealsSettings
from reporting.service import definition as reporting
from reporting.settings import ReportingSettings
from tests.integration.security.courses_matrix import ROUTES as COURSES_ROUTES
from tests.integration.security.courses_matrix import courses_world
from tests.integration.security.matrix import Rule, World
from tests.integration.security.meals_matrix import ROUTES as MEALS_ROUTES
from tests.integration.security.meals_matrix import meals_world
from tests.integration.security.reporting_matrix import ROUTES as REPORTING_ROUTES
from tests.integration.security.reporting_matrix import reporting_world
from tests.integration.security.volunteers_matrix import ROUTES as VOLUNTEERS_ROUTES
from tests.integration.security.volunteers_matrix import volunteers_world
from tests.support.apps import platform_settings
from tests.support.broker import BrokerNamespace
from tests.support.databases import DatabaseFactory
from volunteers.service import definition as volunteers
from volunteers.settings import VolunteersSettings


@dataclass(frozen=True)
class Service:
    """How to run one service in the matrix."""

    definition: Callable[..., ServiceDefinition]
    settings: Callable[..., Any]
    routes: dict[tuple[str, str], Rule]
    world: Callable[[httpx.AsyncClient], Awaitable[World]]


SERVICES = {
    "meals": Service(meals, MealsSettings, MEALS_ROUTES, meals_world),
    "volunteers": Service(volunteers, VolunteersSettings, VOLUNTEERS_ROUTES, volunteers_world),
    "courses": Service(courses, CoursesSettings, COURSES_ROUTES, courses_world),
    "reporting": Service(reporting, ReportingSettings, REPORTING_ROUTES, reporting_world),
}


@dataclass
class Running:
    client: httpx.AsyncClient
    db: asyncpg.Connection
    openapi: dict[str, Any]


@pytest.fixture
async def running(
    request: pytest.FixtureRequest, databases: DatabaseFactory, namespace: BrokerNamespace
) -> AsyncIterator[Running]:
    service: Service = SERVICES[request.param]
    url = await databases.create(service.definition().migrations)
    settings = service.settings(database_url=url, platform=platform_settings(namespace))
    namespace.track_service_queues()
    app = create_app(service.definition(settings))
    db = await asyncpg.connect(url)
    try:
        async with (
            app.router.lifespan_context(app),
            httpx.AsyncClient(
                transport=httpx.ASGITransport(app=app), base_url="http://matrix"
            ) as client,
        ):
            yield Running(client, db, app.openapi())
    finally:
        await db.close()
