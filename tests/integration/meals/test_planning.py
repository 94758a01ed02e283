"""Planning, changing, cancelling and closing a meal service, and every refusal on the way."""

import datetime as dt
from typing import Any

import pytest

from tests.integration.meals.conftest import (
    ANALYST,
    CENTRE,
    COOK,
    COORDINATOR,
    SERVICE,
    TOMORROW,
    YESTERDAY,
    MealsApi,
)
from tests.support.tokens import bearer


async def test_a_planned_service_is_announced_with_its_menu(meals: MealsApi) -> None:
    service = await meals.plan()
    assert service["status"] == "planned"
    assert service["starts_at"].startswith(f"{YESTERDAY.isoformat()}T12:00:00+0")
    assert service["totals"] == {
        "served": 0,
        "on_site": 0,
        "takeaway": 0,
        "reserved": 0,
        "no_shows": 0,
        "free_seats": 10,
    }
    # Allergens are kept once each, in the regulation's order.
    assert service["dishes"][1]["allergens"] == ["gluten", "eggs", "milk"]
    [planned] = await meals.events("meals.service_planned.v1")
    assert planned["service_id"] == service["service_id"]
    assert planned["prices"] == {"standard": 650, "reduced": 350, "child": 300}
    assert planned["dishes"][0] == {"name": "Tomatensoep", "allergens": ["celery"]}
    assert planned["reservations"] is True


@pytest.mark.parametrize(
    ("change", "field", "reason"),
    [
        ({"prices": {"standard": -50}}, "body.prices.standard", "greater than or equal to 0"),
        ({"prices": {"standard": 10**12}}, "body.prices.standard", "less than or equal to 100000"),
        ({"date": "0001-01-01"}, "body.date", "greater than or equal to 2000-01-01"),
        ({"date": "9999-12-31"}, "body.date", "less than or equal to 2099-12-31"),
        ({"capacity": 0}, "body.capacity", "greater than 0"),
        ({"capacity": -3}, "body.capacity", "greater than 0"),
        (
            {"prices": {"champagne": 900}},
            "body.prices.champagne.[key]",
            "unknown tariff 'champagne'",
        ),
        (
            {"dishes": [{"name": "Soep", "allergens": ["celery", "dust"]}]},
            "body.dishes.0.allergens.1",
            "unknown allergen 'dust'",
        ),
        ({"dishes": []}, "body.dishes", "at least 1 item"),
        ({"prices": {}}, "body.prices", "at least 1 item"),
        ({"kitchen_id": "mannenstraat-keuken"}, "body.kitchen_id", "not a kitchen of centre"),
        ({"centre_id": "atlantis"}, "body.centre_id", "unknown centre 'atlantis'"),
        ({"start_time": "25:00"}, "body.start_time", "time"),
        ({"start_time": "12:00+02:00"}, "body.start_time", "without an offset"),
    ],
)
async def test_an_invalid_plan_is_refused_naming_the_field(
    meals: MealsApi, change: dict[str, Any], field: str, reason: str
) -> None:
    response = await meals.client.post("/services", json={**SERVICE, **change}, headers=COORDINATOR)
    assert response.status_code == 422, response.text
    assert response.headers["content-type"] == "application/problem+json"
    errors = {error["field"]: error["reason"] for error in response.json()["errors"]}
    assert reason in errors[field], errors
    assert await meals.count("SELECT count(*) FROM meal_services") == 0
    assert await meals.count("SELECT count(*) FROM outbox") == 0


async def test_the_same_kitchen_and_start_cannot_be_planned_twice(meals: MealsApi) -> None:
    await meals.plan()
    again = await meals.client.post("/services", json=SERVICE, headers=COORDINATOR)
    assert again.status_code == 409
    assert again.json()["errors"][0]["field"] == "body.start_time"
    assert (await meals.plan(start_time="18:00"))["status"] == "planned"


@pytest.mark.parametrize(
    ("headers", "status"),
    [
        (COOK, 403),
        (ANALYST, 403),
        (bearer("centre_coordinator", ["mannenstraat"]), 403),
        ({}, 401),
    ],
)
async def test_only_a_coordinator_of_the_centre_plans(
    meals: MealsApi, headers: dict[str, str], status: int
) -> None:
    response = await meals.client.post("/services", json=SERVICE, headers=headers)
    assert response.status_code == status


async def test_a_change_announces_only_what_changed(meals: MealsApi) -> None:
    service = await meals.plan()
    url = f"/services/{service['service_id']}"
    response = await meals.client.patch(
        url,
        json={
            "capacity": 12,
            "prices": {"standard": 700, "reduced": 350, "child": 300},
            "start_time": "12:00",
        },
        headers=COORDINATOR,
    )
    assert response.status_code == 200, response.text
    assert response.json()["capacity"] == 12
    assert response.json()["prices"]["standard"] == 700
    [changed] = await meals.events("meals.service_changed.v1")
    assert changed["capacity"] == 12
    assert changed["prices"] == {"standard": 700, "reduced": 350, "child": 300}
    # Only the changed fields are present.
    assert "starts_at" not in changed and "dishes" not in changed
    assert dt.datetime.fromisoformat(changed["changed_at"]).tzinfo is not None

    # Changing nothing is no change: no event.
    same = await meals.client.patch(url, json={"capacity": 12}, headers=COORDINATOR)
    assert same.status_code == 200
    assert (
        await meals.count(
            "SELECT count(*) FROM outbox WHERE event_type = 'meals.service_changed.v1'"
        )
        == 1
    )


async def test_a_change_of_dishes_and_start_time(meals: MealsApi) -> None:
    service = await meals.plan()
    response = await meals.client.patch(
        f"/services/{service['service_id']}",
        json={"start_time": "11:30", "dishes": [{"name": "Pasta", "allergens": ["gluten"]}]},
        headers=COORDINATOR,
    )
    assert response.status_code == 200, response.text
    [changed] = await meals.events("meals.service_changed.v1")
    assert changed["dishes"] == [{"name": "Pasta", "allergens": ["gluten"]}]
    assert changed["starts_at"].startswith(f"{YESTERDAY.isoformat()}T11:30:00")


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"capacity": None}, "body.capacity"),
        ({"capacity": 0}, "body.capacity"),
        ({"prices": {"standard": -1}}, "body.prices.standard"),
        ({"dishes": [{"name": "Soep", "allergens": ["dust"]}]}, "body.dishes.0.allergens.0"),
        ({"date": "2026-01-01"}, "body.date"),
    ],
)
async def test_an_invalid_change_is_refused_naming_the_field(
    meals: MealsApi, change: dict[str, Any], field: str
) -> None:
    service = await meals.plan()
    response = await meals.client.patch(
        f"/services/{service['service_id']}", json=change, headers=COORDINATOR
    )
    assert response.status_code == 422, response.text
    assert response.json()["errors"][0]["field"] == field


async def test_capacity_cannot_drop_below_the_places_taken(meals: MealsApi) -> None:
    service = await meals.plan()
    await meals.registered(service["service_id"], count=6)
    response = await meals.client.patch(
        f"/services/{service['service_id']}", json={"capacity": 5}, headers=COORDINATOR
    )
    assert response.status_code == 409
    assert response.json()["errors"][0]["field"] == "body.capacity"


async def test_a_sold_tariff_keeps_its_price(meals: MealsApi) -> None:
    service = await meals.plan()
    await meals.registered(service["service_id"], tariff="child")
    response = await meals.client.patch(
        f"/services/{service['service_id']}",
        json={"prices": {"standard": 650, "reduced": 350}},
        headers=COORDINATOR,
    )
    assert response.status_code == 409
    assert "tariff child" in response.json()["detail"]


async def test_a_cancelled_service_takes_no_change_and_no_meal(meals: MealsApi) -> None:
    service = await meals.plan()
    url = f"/services/{service['service_id']}"
    missing_reason = await meals.client.post(f"{url}/cancel", json={}, headers=COORDINATOR)
    assert missing_reason.status_code == 422
    assert missing_reason.json()["errors"][0]["field"] == "body.reason"
    cancelled = await meals.client.post(
        f"{url}/cancel", json={"reason": "Stroompanne in de keuken"}, headers=COORDINATOR
    )
    assert cancelled.status_code == 200, cancelled.text
    assert cancelled.json()["status"] == "cancelled"
    assert cancelled.json()["cancel_reason"] == "Stroompanne in de keuken"
    [event] = await meals.events("meals.service_cancelled.v1")
    assert event == {
        "service_id": service["service_id"],
        "centre_id": CENTRE,
        "date": YESTERDAY.isoformat(),
        "reason": "Stroompanne in de keuken",
    }

    for headers in (COOK, COORDINATOR):
        refused = await meals.register(service["service_id"], headers=headers)
        assert refused.status_code == 409
        assert refused.json()["type"].endswith("/service-cancelled")
    change = await meals.client.patch(url, json={"capacity": 20}, headers=COORDINATOR)
    assert change.status_code == 409
    again = await meals.client.post(f"{url}/cancel", json={"reason": "x"}, headers=COORDINATOR)
    assert again.status_code == 409
    close = await meals.client.post(f"{url}/close", headers=COORDINATOR)
    assert close.status_code == 409
    # The slot is free again for a new plan.
    assert (await meals.plan())["status"] == "planned"


async def test_a_service_where_meals_were_served_is_closed_not_cancelled(
    meals: MealsApi,
) -> None:
    service = await meals.plan()
    await meals.registered(service["service_id"])
    response = await meals.client.post(
        f"/services/{service['service_id']}/cancel", json={"reason": "x"}, headers=COORDINATOR
    )
    assert response.status_code == 409
    assert response.json()["type"].endswith("/meals-served")


async def test_closing_announces_the_totals_and_no_shows(meals: MealsApi) -> None:
    service = await meals.plan()
    sid = service["service_id"]
    await meals.registered(sid, count=3)
    await meals.registered(sid, tariff="reduced", count=2, takeaway=True)
    withdrawn = await meals.registered(sid, tariff="child")
    correction = await meals.client.post(
        f"/registrations/{withdrawn['registration_id']}/corrections",
        json={"count": 0, "reason": "Verkeerd aangeslagen"},
        headers=COOK,
    )
    assert correction.status_code == 201
    for seats in (2, 1):
        reserved = await meals.client.post(
            f"/services/{sid}/reservations", json={"seats": seats}, headers=COOK
        )
        assert reserved.status_code == 201
    not_an_analyst = await meals.client.post(f"/services/{sid}/close", headers=ANALYST)
    assert not_an_analyst.status_code == 403

    closed = await meals.client.post(f"/services/{sid}/close", headers=COORDINATOR)
    assert closed.status_code == 200, closed.text
    body = closed.json()
    assert body["status"] == "closed"
    assert body["totals"] == {
        "served": 5,
        "on_site": 3,
        "takeaway": 2,
        "reserved": 3,
        "no_shows": 3,
        "free_seats": 4,
    }
    until = dt.datetime.fromisoformat(body["late_registrations_until"])
    assert until - dt.datetime.fromisoformat(body["closed_at"]) >= dt.timedelta(days=7, hours=-1)
    [event] = await meals.events("meals.service_closed.v1")
    assert event == {
        "service_id": sid,
        "centre_id": CENTRE,
        "date": YESTERDAY.isoformat(),
        "served_total": 5,
        "reserved_total": 3,
        "no_shows": 3,
    }
    twice = await meals.client.post(f"/services/{sid}/close", headers=COORDINATOR)
    assert twice.status_code == 409
    assert twice.json()["type"].endswith("/service-closed")
    change = await meals.client.patch(
        f"/services/{sid}", json={"capacity": 30}, headers=COORDINATOR
    )
    assert change.status_code == 409
    assert (
        await meals.count(
            "SELECT count(*) FROM audit_log "
            "WHERE action = 'meal_service.close' AND actor = 'coord-1'"
        )
        == 1
    )


async def test_a_service_is_closed_only_once_it_has_started(meals: MealsApi) -> None:
    service = await meals.plan(date=TOMORROW.isoformat())
    response = await meals.client.post(
        f"/services/{service['service_id']}/close", headers=COORDINATOR
    )
    assert response.status_code == 409
    assert response.json()["type"].endswith("/service-not-started")


async def test_an_unknown_service_is_not_found(meals: MealsApi) -> None:
    unknown = "00000000-0000-4000-8000-000000000000"
    for response in (
        await meals.client.get(f"/services/{unknown}", headers=ANALYST),
        await meals.client.patch(f"/services/{unknown}", json={}, headers=COORDINATOR),
        await meals.client.post(f"/services/{unknown}/close", headers=COORDINATOR),
        await meals.register(unknown),
    ):
        assert response.status_code == 404
        assert response.json()["errors"][0]["field"] == "path.service_id"
    malformed = await meals.client.get("/services/not-a-uuid", headers=ANALYST)
    assert malformed.status_code == 422


async def test_a_service_of_another_centre_is_out_of_scope(meals: MealsApi) -> None:
    service = await meals.plan()
    other = bearer("centre_coordinator", ["mannenstraat"])
    for response in (
        await meals.client.get(f"/services/{service['service_id']}", headers=other),
        await meals.client.patch(
            f"/services/{service['service_id']}", json={"capacity": 20}, headers=other
        ),
        await meals.client.post(f"/services/{service['service_id']}/close", headers=other),
    ):
        assert response.status_code == 403
