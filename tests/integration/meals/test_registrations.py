"""Registering served meals at the till, late registrations, corrections, and their refusals."""

import asyncio
from typing import Any

import pytest

from tests.integration.meals.conftest import (
    ANALYST,
    CENTRE,
    COOK,
    COORDINATOR,
    OTHER_COOK,
    TOMORROW,
    YESTERDAY,
    MealsApi,
)


async def test_a_registration_is_stored_with_its_price_and_announced(meals: MealsApi) -> None:
    service = await meals.plan()
    registration = await meals.registered(service["service_id"], tariff="reduced", count=2)
    assert registration["unit_price"] == 350
    assert registration["count"] == registration["current_count"] == 2
    assert registration["late"] is False
    assert registration["registered_by"] == "cook-1"
    [event] = await meals.events("meals.meal_served.v1")
    assert event == {
        "registration_id": registration["registration_id"],
        "service_id": service["service_id"],
        "centre_id": CENTRE,
        "date": YESTERDAY.isoformat(),
        "tariff": "reduced",
        "count": 2,
        "takeaway": False,
    }
    assert (
        await meals.count(
            "SELECT count(*) FROM audit_log WHERE action = 'meal.register' AND actor = 'cook-1'"
        )
        == 1
    )


@pytest.mark.parametrize(
    ("body", "field", "reason"),
    [
        ({"tariff": "volunteer"}, "body.tariff", "tariff 'volunteer' has no price"),
        ({"tariff": "champagne"}, "body.tariff", "unknown tariff 'champagne'"),
        ({"count": 0}, "body.count", "greater than 0"),
        ({"count": 501}, "body.count", "less than or equal to 500"),
        ({"diner_card": "12"}, "body.diner_card", "4 to 32 letters or digits"),
        ({"takeaway": "maybe"}, "body.takeaway", "boolean"),
        ({"price": 100}, "body.price", "Extra inputs are not permitted"),
    ],
)
async def test_an_invalid_registration_is_refused_naming_the_field(
    meals: MealsApi, body: dict[str, Any], field: str, reason: str
) -> None:
    service = await meals.plan()
    response = await meals.register(service["service_id"], **body)
    assert response.status_code == 422, response.text
    errors = {error["field"]: error["reason"] for error in response.json()["errors"]}
    assert reason in errors[field], errors
    assert await meals.count("SELECT count(*) FROM meal_registrations") == 0


async def test_beyond_capacity_needs_a_reason_which_is_recorded(meals: MealsApi) -> None:
    service = await meals.plan(capacity=3)
    sid = service["service_id"]
    await meals.registered(sid, count=3)
    refused = await meals.register(sid)
    assert refused.status_code == 409
    assert refused.json()["type"].endswith("/over-capacity")
    assert "3 of 3 places are taken" in refused.json()["detail"]
    # Take-away takes no seat.
    await meals.registered(sid, takeaway=True, count=4)
    reason = "Twee stoelen bijgezet"
    allowed = await meals.registered(sid, count=2, over_capacity_reason=reason)
    assert allowed["over_capacity_reason"] == reason
    details = await meals.db.fetchval(
        "SELECT details FROM audit_log WHERE record_id = $1", allowed["registration_id"]
    )
    assert f'"over_capacity_reason": "{reason}"' in details
    assert (await meals.service(sid))["totals"]["free_seats"] == 0


async def test_the_same_idempotency_key_counts_the_meal_once(meals: MealsApi) -> None:
    service = await meals.plan()
    headers = {**COOK, "Idempotency-Key": "till-1-0001"}
    url = f"/services/{service['service_id']}/registrations"
    body = {"tariff": "child", "count": 1, "diner_card": "4711 0042"}
    first, again = [await meals.client.post(url, json=body, headers=headers) for _ in range(2)]
    assert first.status_code == again.status_code == 201
    assert first.json() == again.json()
    assert again.headers["Idempotent-Replayed"] == "true"
    concurrent = await asyncio.gather(
        *(meals.client.post(url, json=body, headers=headers) for _ in range(5))
    )
    assert {r.json()["registration_id"] for r in concurrent} == {first.json()["registration_id"]}
    assert await meals.count("SELECT count(*) FROM meal_registrations") == 1
    assert (await meals.service(service["service_id"]))["totals"]["served"] == 1
    assert len(await meals.events("meals.meal_served.v1")) == 1


async def test_a_diner_card_becomes_the_same_diner_key_every_time(meals: MealsApi) -> None:
    service = await meals.plan()
    sid = service["service_id"]
    first = await meals.registered(sid, diner_card="4711-0042-1234")
    again = await meals.registered(sid, diner_card=" 4711 0042 1234 ")
    other = await meals.registered(sid, diner_card="4711-0042-9999")
    assert first["diner_key"] == again["diner_key"] != other["diner_key"]
    assert "4711" not in first["diner_key"]
    events = await meals.events("meals.meal_served.v1", 3)
    assert [e["diner_key"] for e in events] == [
        first["diner_key"],
        first["diner_key"],
        other["diner_key"],
    ]


async def test_the_till_registers_from_the_service_day_on(meals: MealsApi) -> None:
    service = await meals.plan(date=TOMORROW.isoformat())
    response = await meals.register(service["service_id"])
    assert response.status_code == 409
    assert response.json()["type"].endswith("/service-not-started")


async def test_a_closed_service_takes_late_meals_from_a_coordinator_only(
    meals: MealsApi,
) -> None:
    service = await meals.plan()
    sid = service["service_id"]
    registration = await meals.registered(sid)
    closed = await meals.client.post(f"/services/{sid}/close", headers=COORDINATOR)
    assert closed.status_code == 200

    cook = await meals.register(sid)
    assert cook.status_code == 409
    assert cook.json()["type"].endswith("/service-closed")
    cook_correction = await meals.client.post(
        f"/registrations/{registration['registration_id']}/corrections",
        json={"count": 2, "reason": "Twee, niet één"},
        headers=COOK,
    )
    assert cook_correction.status_code == 409

    late = await meals.register(sid, headers=COORDINATOR, tariff="reduced", count=2)
    assert late.status_code == 201, late.text
    assert late.json()["late"] is True
    correction = await meals.client.post(
        f"/registrations/{registration['registration_id']}/corrections",
        json={"count": 2, "reason": "Twee, niet één"},
        headers=COORDINATOR,
    )
    assert correction.status_code == 201, correction.text
    assert correction.json()["late"] is True
    assert (await meals.service(sid))["totals"]["served"] == 4
    late_events = await meals.events("meals.meal_served.v1", 2)
    assert late_events[1]["registration_id"] == late.json()["registration_id"]
    [corrected] = await meals.events("meals.meal_registration_corrected.v1")
    assert corrected["count"] == 2
    actions = await meals.db.fetch(
        "SELECT action, actor FROM audit_log WHERE action LIKE 'meal.%_late' ORDER BY id"
    )
    assert [tuple(row) for row in actions] == [
        ("meal.register_late", "coord-1"),
        ("meal.correct_late", "coord-1"),
    ]


async def test_late_registrations_end_seven_days_after_closing(meals: MealsApi) -> None:
    service = await meals.plan()
    sid = service["service_id"]
    registration = await meals.registered(sid)
    await meals.client.post(f"/services/{sid}/close", headers=COORDINATOR)
    await meals.db.execute(
        "UPDATE meal_services SET closed_at = now() - interval '7 days 1 minute'"
    )
    late = await meals.register(sid, headers=COORDINATOR)
    assert late.status_code == 409
    assert late.json()["type"].endswith("/late-window-over")
    correction = await meals.client.post(
        f"/registrations/{registration['registration_id']}/corrections",
        json={"count": 0, "reason": "Vergissing"},
        headers=COORDINATOR,
    )
    assert correction.status_code == 409
    # Just inside the window it is still allowed.
    await meals.db.execute(
        "UPDATE meal_services SET closed_at = now() - interval '6 days 23 hours'"
    )
    assert (await meals.register(sid, headers=COORDINATOR)).status_code == 201


async def test_a_correction_is_stored_announced_and_counted(meals: MealsApi) -> None:
    service = await meals.plan()
    sid = service["service_id"]
    registration = await meals.registered(sid, count=3)
    url = f"/registrations/{registration['registration_id']}/corrections"
    response = await meals.client.post(
        url, json={"count": 1, "reason": "Twee te veel aangeslagen"}, headers=COOK
    )
    assert response.status_code == 201, response.text
    correction = response.json()
    assert (correction["previous_count"], correction["count"]) == (3, 1)
    [event] = await meals.events("meals.meal_registration_corrected.v1")
    assert event["registration_id"] == registration["registration_id"]
    assert event["count"] == 1
    assert event["reason"] == "Twee te veel aangeslagen"
    assert event["date"] == YESTERDAY.isoformat()
    assert (await meals.service(sid))["totals"]["served"] == 1

    withdrawn = await meals.client.post(url, json={"count": 0, "reason": "Toch niet"}, headers=COOK)
    assert withdrawn.status_code == 201
    assert (await meals.service(sid))["totals"]["served"] == 0
    listed = await meals.client.get("/registrations", params={"service_id": sid}, headers=ANALYST)
    [item] = listed.json()["items"]
    assert (item["count"], item["current_count"]) == (3, 0)
    assert await meals.count("SELECT count(*) FROM meal_registration_corrections") == 2


async def test_an_invalid_correction_is_refused(meals: MealsApi) -> None:
    service = await meals.plan(capacity=2)
    registration = await meals.registered(service["service_id"], count=2)
    url = f"/registrations/{registration['registration_id']}/corrections"
    missing = await meals.client.post(url, json={"count": 1}, headers=COOK)
    assert missing.status_code == 422
    assert missing.json()["errors"][0]["field"] == "body.reason"
    negative = await meals.client.post(url, json={"count": -1, "reason": "x"}, headers=COOK)
    assert negative.status_code == 422
    same = await meals.client.post(url, json={"count": 2, "reason": "x"}, headers=COOK)
    assert same.status_code == 409
    more = await meals.client.post(url, json={"count": 3, "reason": "Drie"}, headers=COOK)
    assert more.status_code == 409
    assert more.json()["type"].endswith("/over-capacity")
    unknown = await meals.client.post(
        "/registrations/00000000-0000-4000-8000-000000000000/corrections",
        json={"count": 0, "reason": "x"},
        headers=COOK,
    )
    assert unknown.status_code == 404
    analyst = await meals.client.post(url, json={"count": 0, "reason": "x"}, headers=ANALYST)
    assert analyst.status_code == 403
    outsider = await meals.client.post(url, json={"count": 0, "reason": "x"}, headers=OTHER_COOK)
    assert outsider.status_code == 403
    assert await meals.count("SELECT count(*) FROM meal_registration_corrections") == 0


async def test_registration_respects_role_and_centre(meals: MealsApi) -> None:
    service = await meals.plan()
    assert (await meals.register(service["service_id"], headers=ANALYST)).status_code == 403
    assert (await meals.register(service["service_id"], headers=OTHER_COOK)).status_code == 403
    assert (await meals.register(service["service_id"], headers={})).status_code == 401
    assert (await meals.register(service["service_id"], headers=COORDINATOR)).status_code == 201
