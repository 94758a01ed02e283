"""The audit log over HTTP (`GET /audit`, every service): who may read it, its filters, its pages,
and that nothing can change it."""

import datetime as dt
from typing import Any

import asyncpg
import pytest

from tests.integration.web.conftest import ADMIN, COOK, COORDINATOR, SERVICE, Meals
from tests.support.tokens import bearer

CENTRE = "sint-maartensdal"


async def audit(meals: Meals, **params: Any) -> dict[str, Any]:
    response = await meals.client.get("/audit", params=params, headers=ADMIN)
    assert response.status_code == 200, response.text
    page: dict[str, Any] = response.json()
    return page


async def test_a_write_is_found_in_the_audit_log_by_who_what_and_which_record(
    meals: Meals,
) -> None:
    before = dt.datetime.now(dt.UTC)
    planned = await meals.client.post("/services", json=SERVICE, headers=COORDINATOR)
    service_id = planned.json()["service_id"]
    registered = await meals.client.post(
        f"/services/{service_id}/registrations",
        json={"tariff": "reduced", "count": 2},
        headers=COOK,
    )
    assert (planned.status_code, registered.status_code) == (201, 201)

    [entry] = (await audit(meals, actor="cook-1"))["items"]
    assert {k: entry[k] for k in ("actor", "role", "action", "record_type", "record_id")} == {
        "actor": "cook-1",
        "role": "kitchen_staff",
        "action": "meal.register",
        "record_type": "meal_registration",
        "record_id": registered.json()["registration_id"],
    }
    assert entry["details"]["count"] == 2
    assert dt.datetime.fromisoformat(entry["at"]) >= before

    by_record = await audit(meals, record_type="meal_service", record_id=service_id)
    assert [e["action"] for e in by_record["items"]] == ["meal_service.plan"]
    assert (await audit(meals, action="meal_service.plan"))["total"] == 1
    later = (dt.datetime.now(dt.UTC) + dt.timedelta(minutes=1)).isoformat()
    assert (await audit(meals, **{"from": later}))["items"] == []
    assert (await audit(meals, **{"to": before.isoformat()}))["items"] == []


async def test_the_audit_log_is_newest_first_in_capped_pages_and_its_reads_are_logged(
    meals: Meals,
) -> None:
    for hour in ("09:00", "10:00", "11:00"):
        planned = await meals.client.post(
            "/services", json={**SERVICE, "start_time": hour}, headers=COORDINATOR
        )
        assert planned.status_code == 201
    first = await audit(meals, action="meal_service.plan", limit=2)
    second = await audit(meals, action="meal_service.plan", limit=2, offset=2)
    assert (first["total"], len(first["items"]), len(second["items"])) == (3, 2, 1)
    ids = [e["id"] for e in first["items"] + second["items"]]
    assert ids == sorted(ids, reverse=True)

    too_long = await meals.client.get("/audit", params={"limit": 201}, headers=ADMIN)
    assert too_long.status_code == 422
    assert too_long.json()["errors"][0]["field"] == "query.limit"
    backwards = await meals.client.get(
        "/audit",
        params={"from": "2026-03-02T00:00:00Z", "to": "2026-03-01T00:00:00Z"},
        headers=ADMIN,
    )
    assert backwards.status_code == 422
    assert backwards.json()["errors"][0]["field"] == "query.to"

    reads = (await audit(meals, action="audit.list"))["items"]
    assert {(e["actor"], e["details"].get("action")) for e in reads} >= {
        ("admin-1", "meal_service.plan")
    }


@pytest.mark.parametrize(
    ("headers", "status"),
    [
        ({}, 401),
        ({"Authorization": "Bearer not-a-jwt"}, 401),
        (bearer("centre_coordinator", ["all"]), 403),
        (bearer("analyst", ["all"]), 403),
        (bearer("admin", [CENTRE]), 403),
        (ADMIN, 200),
    ],
)
async def test_only_a_city_wide_admin_reads_the_audit_log(
    meals: Meals, headers: dict[str, str], status: int
) -> None:
    await meals.client.post("/services", json=SERVICE, headers=COORDINATOR)
    response = await meals.client.get("/audit", headers=headers)
    assert response.status_code == status, response.text
    if status != 200:
        assert response.headers["content-type"] == "application/problem+json"
        assert "meal_service.plan" not in response.text


async def test_the_audit_log_cannot_be_changed_over_http_or_in_the_database(meals: Meals) -> None:
    await meals.client.post("/services", json=SERVICE, headers=COORDINATOR)
    for method in ("POST", "PUT", "PATCH", "DELETE"):
        response = await meals.client.request(method, "/audit", headers=ADMIN)
        assert response.status_code == 405, method
    for statement in (
        "UPDATE audit_log SET actor = 'someone-else'",
        "DELETE FROM audit_log",
        "TRUNCATE audit_log",
    ):
        with pytest.raises(asyncpg.RaiseError, match="append-only"):
            await meals.db.execute(statement)
    assert await meals.db.fetchval("SELECT count(*) FROM audit_log") >= 1
