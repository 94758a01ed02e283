"""A meal service from plan to close over HTTP, and reporting's `meals.served` for its month."""

import asyncio
import signal
from typing import Any

import httpx

from tests.e2e.conftest import Stack
from tests.support.tokens import bearer

CENTRE = "mannenstraat"
DATE = "2026-10-14"
COORDINATOR = bearer("centre_coordinator", [CENTRE], sub="coord-e2e")
COOK = bearer("kitchen_staff", [CENTRE], sub="cook-e2e")
ANALYST = bearer("analyst", ["all"], sub="analyst-e2e")

# 40 meals in 30 registrations across the four tariffs; every third one with a diner card.
REGISTRATIONS: list[dict[str, Any]] = [
    {
        "tariff": ("standard", "reduced", "child", "volunteer")[i % 4],
        "count": 2 if i % 3 == 1 else 1,
        "takeaway": i % 7 == 0,
        **({"diner_card": f"4711 {i:04d}"} if i % 3 == 0 else {}),
    }
    for i in range(30)
]


async def meals_served(client: httpx.AsyncClient, reporting: str, period: str) -> Any:
    response = await client.get(
        f"{reporting}/indicators/meals.served",
        params={"centre_id": CENTRE, "period": period},
        headers=ANALYST,
    )
    assert response.status_code == 200, response.text
    return response.json()["value"]


async def test_a_service_from_plan_to_close_reaches_meals_served(stack: Stack) -> None:
    assert sum(r["count"] for r in REGISTRATIONS) == 40
    meals = stack.service("meals")
    reporting = stack.service("reporting")
    async with httpx.AsyncClient(base_url=meals.url, timeout=10) as client:
        planned = await client.post(
            "/services",
            json={
                "centre_id": CENTRE,
                "kitchen_id": "mannenstraat-keuken",
                "date": DATE,
                "start_time": "12:00",
                "capacity": 40,
                "prices": {"standard": 650, "reduced": 350, "child": 300, "volunteer": 0},
                "dishes": [{"name": "Balletjes in tomatensaus", "allergens": ["gluten", "eggs"]}],
            },
            headers=COORDINATOR,
        )
        assert planned.status_code == 201, planned.text
        service_id = planned.json()["service_id"]
        url = f"/services/{service_id}/registrations"

        registered = []
        for i, body in enumerate(REGISTRATIONS):
            response = await client.post(
                url, json=body, headers={**COOK, "Idempotency-Key": f"till-1-{i:05d}"}
            )
            assert response.status_code == 201, response.text
            registered.append(response.json())
        # The tablet lost the answer to the fifth tap and sends it again.
        retried = await client.post(
            url, json=REGISTRATIONS[4], headers={**COOK, "Idempotency-Key": "till-1-00004"}
        )
        assert retried.status_code == 201
        assert retried.headers["Idempotent-Replayed"] == "true"
        assert retried.json() == registered[4]
        assert len({r["diner_key"] for r in registered if r["diner_key"]}) == 10

        # One of the two meals of registration 1 was typed by mistake.
        assert registered[1]["count"] == 2
        corrected = await client.post(
            f"/registrations/{registered[1]['registration_id']}/corrections",
            json={"count": 1, "reason": "Eén maaltijd te veel aangeslagen"},
            headers=COOK,
        )
        assert corrected.status_code == 201, corrected.text

        closed = await client.post(f"/services/{service_id}/close", headers=COORDINATOR)
        assert closed.status_code == 200, closed.text
        assert closed.json()["status"] == "closed"
        assert closed.json()["totals"]["served"] == 39

    async with httpx.AsyncClient(timeout=10) as client:
        value = None
        for _ in range(300):
            value = await meals_served(client, reporting.url, "2026-10")
            if value == 39:
                break
            await asyncio.sleep(0.1)
        assert value == 39

    for process in (meals, reporting):
        assert process.stop() in (0, -signal.SIGTERM)
