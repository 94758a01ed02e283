"""Listings: paginated, filtered by centre and date range, within the caller's centres."""

from typing import Any

from tests.integration.meals.conftest import ANALYST, COOK, MealsApi
from tests.support.tokens import bearer

MANNENSTRAAT: dict[str, Any] = {
    "headers": bearer("centre_coordinator", ["mannenstraat"]),
    "centre_id": "mannenstraat",
    "kitchen_id": "mannenstraat-keuken",
}


async def test_services_are_paginated_and_filtered(meals: MealsApi) -> None:
    for day in ("2026-03-02", "2026-03-03", "2026-03-04", "2026-03-05"):
        await meals.plan(date=day)
    await meals.plan(date="2026-03-03", **MANNENSTRAAT)

    first = await meals.client.get(
        "/services", params={"limit": 2, "date_from": "2026-03-03"}, headers=ANALYST
    )
    assert first.status_code == 200
    page = first.json()
    assert (page["total"], page["limit"], page["offset"]) == (4, 2, 0)
    assert [s["date"] for s in page["items"]] == ["2026-03-03", "2026-03-03"]
    second = await meals.client.get(
        "/services", params={"limit": 2, "offset": 2, "date_from": "2026-03-03"}, headers=ANALYST
    )
    assert [s["date"] for s in second.json()["items"]] == ["2026-03-04", "2026-03-05"]

    ranged = await meals.client.get(
        "/services",
        params={
            "centre_id": "sint-maartensdal",
            "date_from": "2026-03-03",
            "date_to": "2026-03-04",
        },
        headers=ANALYST,
    )
    assert [s["date"] for s in ranged.json()["items"]] == ["2026-03-03", "2026-03-04"]
    assert {s["totals"]["free_seats"] for s in ranged.json()["items"]} == {10}

    # A cook sees their own centre only, with or without a centre filter.
    own = await meals.client.get("/services", headers=COOK)
    assert own.json()["total"] == 4
    assert {s["centre_id"] for s in own.json()["items"]} == {"sint-maartensdal"}
    foreign = await meals.client.get(
        "/services", params={"centre_id": "mannenstraat"}, headers=COOK
    )
    assert foreign.status_code == 403

    cancelled = await meals.client.get("/services", params={"status": "cancelled"}, headers=ANALYST)
    assert cancelled.json()["total"] == 0


async def test_listing_refusals_name_the_parameter(meals: MealsApi) -> None:
    for params, field in (
        ({"date_from": "2026-03-05", "date_to": "2026-03-01"}, "query.date_to"),
        ({"limit": 0}, "query.limit"),
        ({"limit": 1000}, "query.limit"),
        ({"centre_id": "atlantis"}, "query.centre_id"),
        ({"date_from": "yesterday"}, "query.date_from"),
        ({"status": "eaten"}, "query.status"),
    ):
        response = await meals.client.get("/services", params=params, headers=ANALYST)
        assert response.status_code == 422, params
        assert response.json()["errors"][0]["field"] == field
    assert (await meals.client.get("/services")).status_code == 401


async def test_registrations_and_reservations_are_listed_by_centre_and_date(
    meals: MealsApi,
) -> None:
    march = await meals.plan(date="2026-03-02")
    april = await meals.plan(date="2026-04-02")
    other = await meals.plan(date="2026-03-02", **MANNENSTRAAT)
    await meals.registered(march["service_id"], count=2)
    await meals.registered(april["service_id"])
    other_cook = bearer("kitchen_staff", ["mannenstraat"])
    await meals.register(other["service_id"], headers=other_cook)
    for service in (march, april):
        await meals.client.post(
            f"/services/{service['service_id']}/reservations", json={"seats": 1}, headers=COOK
        )

    in_march = {"date_from": "2026-03-01", "date_to": "2026-03-31"}
    city = await meals.client.get("/registrations", params=in_march, headers=ANALYST)
    assert city.json()["total"] == 2
    own = await meals.client.get("/registrations", params=in_march, headers=COOK)
    assert [(r["centre_id"], r["count"]) for r in own.json()["items"]] == [("sint-maartensdal", 2)]
    reservations = await meals.client.get(
        "/reservations", params={**in_march, "status": "active"}, headers=COOK
    )
    assert [r["service_id"] for r in reservations.json()["items"]] == [march["service_id"]]
    paged = await meals.client.get("/reservations", params={"limit": 1}, headers=ANALYST)
    assert (paged.json()["total"], len(paged.json()["items"])) == (2, 1)


async def test_analysts_count_meals_without_the_diner_key(meals: MealsApi) -> None:
    service = await meals.plan(reservations=True)
    service_id = service["service_id"]
    reserved = await meals.client.post(
        f"/services/{service_id}/reservations",
        json={"seats": 1, "diner_card": "9000 5555"},
        headers=COOK,
    )
    assert reserved.status_code == 201, reserved.text
    await meals.registered(service_id, diner_card="9000 5555")
    for listing in ("/registrations", "/reservations"):
        staff = await meals.client.get(listing, params={"service_id": service_id}, headers=COOK)
        keys = {item["diner_key"] for item in staff.json()["items"]}
        assert len(keys) == 1 and None not in keys, "the till finds a diner's reservation by it"
        analyst = await meals.client.get(
            listing, params={"service_id": service_id}, headers=ANALYST
        )
        assert analyst.status_code == 200
        items = analyst.json()["items"]
        assert items and {item["diner_key"] for item in items} == {None}
        assert keys.pop() not in analyst.text
