"""A served meal posted to meals over HTTP shows up in reporting's `meals.served`."""

import asyncio
import signal

import httpx

from tests.e2e.conftest import Stack
from tests.support.tokens import bearer

CENTRE = "mannenstraat"
COORDINATOR = bearer("centre_coordinator", [CENTRE], sub="coord-e2e")
COOK = bearer("kitchen_staff", [CENTRE], sub="cook-e2e")
ANALYST = bearer("analyst", ["all"], sub="analyst-e2e")


async def indicator(client: httpx.AsyncClient, url: str, params: dict[str, str]) -> float | None:
    response = await client.get(f"{url}/indicators/meals.served", params=params, headers=ANALYST)
    assert response.status_code == 200, response.text
    value: float | None = response.json()["value"]
    return value


async def test_served_meals_reach_the_indicator_for_their_centre_and_month(stack: Stack) -> None:
    meals = stack.service("meals")
    reporting = stack.service("reporting")
    async with httpx.AsyncClient(timeout=10) as client:
        planned = await client.post(
            f"{meals.url}/services",
            json={
                "centre_id": CENTRE,
                "kitchen_id": "mannenstraat-keuken",
                "date": "2026-03-31",
                "start_time": "18:00",
                "capacity": 50,
                "prices": {"standard": 650, "reduced": 350},
                "dishes": [{"name": "Balletjes in tomatensaus", "allergens": ["gluten"]}],
            },
            headers=COORDINATOR,
        )
        assert planned.status_code == 201, planned.text
        service_id = planned.json()["service_id"]
        for tariff, count in (("standard", 3), ("reduced", 2), ("reduced", 1)):
            registered = await client.post(
                f"{meals.url}/services/{service_id}/registrations",
                json={"tariff": tariff, "count": count},
                headers={**COOK, "Idempotency-Key": f"e2e-{tariff}-{count}"},
            )
            assert registered.status_code == 201, registered.text

        march = {"centre_id": CENTRE, "period": "2026-03"}
        for _ in range(200):
            if await indicator(client, reporting.url, march) == 6:
                break
            await asyncio.sleep(0.1)
        response = await client.get(
            f"{reporting.url}/indicators/meals.served", params=march, headers=ANALYST
        )
        assert response.json() == {
            "indicator_id": "meals.served",
            "centre_id": CENTRE,
            "period": "2026-03",
            "unit": "meals",
            "value": 6,
            "suppressed": False,
            "breakdown": {"tariff:standard": 3, "tariff:reduced": 3, "on_site": 6},
        }
        assert await indicator(client, reporting.url, {**march, "period": "2026-04"}) == 0
        other = {"centre_id": "sint-maartensdal", "period": "2026-03"}
        assert await indicator(client, reporting.url, other) == 0
        assert await indicator(client, reporting.url, {"period": "2026-Q1"}) == 6

    for process in (meals, reporting):
        assert process.stop() in (0, -signal.SIGTERM)
        assert f'"message": "{process.name} stopped"' in process.logs(), "a graceful stop"
