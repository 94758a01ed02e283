"""Every route of every service's OpenAPI × every role × own, other and all centres: the status
each caller gets, against the real service and database (see `matrix.py` for the rules and
`<service>_matrix.py` for each service's table)."""

import pytest

from buurtwerk_shared.service.app import create_app
from meals.service import definition as meals
from tests.integration.security.conftest import SERVICES, Running
from tests.integration.security.matrix import coverage, routes_of, run_matrix
from tests.integration.security.meals_matrix import ROUTES as MEALS_ROUTES


@pytest.mark.parametrize("running", list(SERVICES), indirect=True)
async def test_every_route_answers_every_caller_as_the_matrix_says(
    request: pytest.FixtureRequest, running: Running
) -> None:
    service = SERVICES[request.node.callspec.params["running"]]
    world = await service.world(running.client)
    failures = await run_matrix(running.client, running.db, running.openapi, service.routes, world)
    assert not failures, f"{len(failures)} cells differ from the matrix:\n" + "\n".join(failures)


def test_a_route_without_an_expectation_fails_the_matrix() -> None:
    openapi = create_app(meals()).openapi()
    openapi["paths"]["/services/{service_id}/tips"] = {"post": {}}
    rules = {route: rule for route, rule in MEALS_ROUTES.items() if route != ("GET", "/menus")}
    assert coverage(routes_of(openapi), rules) == [
        "GET /menus: no expectation in the matrix",
        "POST /services/{service_id}/tips: no expectation in the matrix",
    ]
    assert coverage(routes_of(create_app(meals()).openapi()), MEALS_ROUTES) == []
