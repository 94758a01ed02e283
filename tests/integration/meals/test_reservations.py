"""Reservations: held seats, pseudonymous or anonymous, honoured at the till, no-shows at close."""

from typing import Any

from tests.integration.meals.conftest import (
    ANALYST,
    CENTRE,
    COOK,
    COORDINATOR,
    OTHER_COOK,
    YESTERDAY,
    MealsApi,
)


async def reserve(meals: MealsApi, service_id: str, **body: Any) -> dict[str, Any]:
    response = await meals.client.post(
        f"/services/{service_id}/reservations", json=body, headers=COOK
    )
    assert response.status_code == 201, response.text
    reservation: dict[str, Any] = response.json()
    return reservation


async def test_a_reservation_is_announced_with_a_diner_key_only(meals: MealsApi) -> None:
    service = await meals.plan()
    reservation = await reserve(meals, service["service_id"], seats=2, diner_card="9000 1234")
    assert reservation["status"] == "active"
    assert reservation["diner_key"] and "9000" not in reservation["diner_key"]
    [event] = await meals.events("meals.reservation_made.v1")
    assert event["reservation_id"] == reservation["reservation_id"]
    assert (event["service_id"], event["centre_id"], event["date"], event["seats"]) == (
        service["service_id"],
        CENTRE,
        YESTERDAY.isoformat(),
        2,
    )
    assert event["diner_key"] == reservation["diner_key"]
    anonymous = await reserve(meals, service["service_id"])
    assert anonymous["diner_key"] is None and anonymous["seats"] == 1


async def test_reservations_only_where_the_service_takes_them(meals: MealsApi) -> None:
    service = await meals.plan(reservations=False)
    response = await meals.client.post(
        f"/services/{service['service_id']}/reservations", json={"seats": 1}, headers=COOK
    )
    assert response.status_code == 409
    assert response.json()["type"].endswith("/no-reservations")
    opened = await meals.client.patch(
        f"/services/{service['service_id']}", json={"reservations": True}, headers=COORDINATOR
    )
    assert opened.status_code == 200
    [changed] = await meals.events("meals.service_changed.v1")
    assert changed["reservations"] is True
    await reserve(meals, service["service_id"])
    closing = await meals.client.patch(
        f"/services/{service['service_id']}", json={"reservations": False}, headers=COORDINATOR
    )
    assert closing.status_code == 409


async def test_reservations_are_refused_beyond_capacity_and_twice_for_one_diner(
    meals: MealsApi,
) -> None:
    service = await meals.plan(capacity=4)
    sid = service["service_id"]
    await reserve(meals, sid, seats=2, diner_card="1111 2222")
    twice = await meals.client.post(
        f"/services/{sid}/reservations",
        json={"seats": 1, "diner_card": "1111-2222"},
        headers=COOK,
    )
    assert twice.status_code == 409
    assert twice.json()["errors"][0]["field"] == "body.diner_card"
    await meals.registered(sid)
    full = await meals.client.post(f"/services/{sid}/reservations", json={"seats": 2}, headers=COOK)
    assert full.status_code == 409
    assert full.json()["errors"][0]["field"] == "body.seats"
    assert "only 1 of 4 places are free" in full.json()["detail"]
    invalid = await meals.client.post(
        f"/services/{sid}/reservations", json={"seats": 0}, headers=COOK
    )
    assert invalid.status_code == 422
    assert invalid.json()["errors"][0]["field"] == "body.seats"


async def test_held_seats_count_against_capacity_until_the_diner_comes(meals: MealsApi) -> None:
    service = await meals.plan(capacity=3)
    sid = service["service_id"]
    await reserve(meals, sid, seats=2, diner_card="5555 0001")
    await meals.registered(sid)
    walk_in = await meals.register(sid)
    assert walk_in.status_code == 409, "the two reserved seats are held"
    # The card holder's meal fills a held seat, so it is not over capacity.
    honoured = await meals.registered(sid, diner_card="5555-0001", count=2)
    assert honoured["reservation_id"] is not None
    totals = (await meals.service(sid))["totals"]
    assert (totals["on_site"], totals["reserved"], totals["no_shows"], totals["free_seats"]) == (
        3,
        2,
        0,
        0,
    )


async def test_an_anonymous_reservation_is_honoured_by_its_id(meals: MealsApi) -> None:
    service = await meals.plan(capacity=2)
    sid = service["service_id"]
    reservation = await reserve(meals, sid, seats=2)
    honoured = await meals.registered(sid, reservation_id=reservation["reservation_id"])
    assert honoured["reservation_id"] == reservation["reservation_id"]
    listed = await meals.client.get("/reservations", params={"service_id": sid}, headers=ANALYST)
    assert listed.json()["items"][0]["honoured"] == 1
    unknown = await meals.register(sid, reservation_id="00000000-0000-4000-8000-000000000000")
    assert unknown.status_code == 422
    assert unknown.json()["errors"][0]["field"] == "body.reservation_id"


async def test_a_reservation_for_one_card_is_not_honoured_with_another(meals: MealsApi) -> None:
    service = await meals.plan()
    reservation = await reserve(meals, service["service_id"], diner_card="7000 0001")
    response = await meals.register(
        service["service_id"],
        reservation_id=reservation["reservation_id"],
        diner_card="7000 0002",
    )
    assert response.status_code == 422
    assert "another diner card" in response.json()["detail"]


async def test_a_cancelled_reservation_frees_its_seats(meals: MealsApi) -> None:
    service = await meals.plan(capacity=2)
    sid = service["service_id"]
    reservation = await reserve(meals, sid, seats=2)
    url = f"/reservations/{reservation['reservation_id']}/cancel"
    assert (await meals.client.post(url, headers=OTHER_COOK)).status_code == 403
    cancelled = await meals.client.post(url, headers=COOK)
    assert cancelled.status_code == 200, cancelled.text
    assert cancelled.json()["status"] == "cancelled"
    [event] = await meals.events("meals.reservation_cancelled.v1")
    assert event["reservation_id"] == reservation["reservation_id"]
    assert event["seats"] == 2
    assert (await meals.service(sid))["totals"]["free_seats"] == 2
    again = await meals.client.post(url, headers=COOK)
    assert again.status_code == 409
    missing = await meals.client.post(
        "/reservations/00000000-0000-4000-8000-000000000000/cancel", headers=COOK
    )
    assert missing.status_code == 404


async def test_no_shows_are_counted_when_the_service_closes(meals: MealsApi) -> None:
    service = await meals.plan()
    sid = service["service_id"]
    came = await reserve(meals, sid, seats=1, diner_card="8000 0001")
    await reserve(meals, sid, seats=3)  # a group that never came
    partly = await reserve(meals, sid, seats=2)
    gone = await reserve(meals, sid, seats=2)
    await meals.client.post(f"/reservations/{gone['reservation_id']}/cancel", headers=COOK)
    await meals.registered(sid, diner_card="8000 0001")
    await meals.registered(sid, reservation_id=partly["reservation_id"])
    closed = await meals.client.post(f"/services/{sid}/close", headers=COORDINATOR)
    assert closed.status_code == 200
    [event] = await meals.events("meals.service_closed.v1")
    assert (event["served_total"], event["reserved_total"], event["no_shows"]) == (2, 6, 4)
    assert came["reservation_id"] != partly["reservation_id"]
    late_reservation = await meals.client.post(
        f"/services/{sid}/reservations", json={"seats": 1}, headers=COORDINATOR
    )
    assert late_reservation.status_code == 409


async def test_cancelling_the_service_cancels_its_reservations(meals: MealsApi) -> None:
    service = await meals.plan()
    sid = service["service_id"]
    first = await reserve(meals, sid, seats=2)
    second = await reserve(meals, sid, diner_card="6000 0001")
    cancelled = await meals.client.post(
        f"/services/{sid}/cancel", json={"reason": "Keuken dicht"}, headers=COORDINATOR
    )
    assert cancelled.status_code == 200
    assert cancelled.json()["totals"]["reserved"] == 0
    events = await meals.events("meals.reservation_cancelled.v1", 2)
    assert {e["reservation_id"] for e in events} == {
        first["reservation_id"],
        second["reservation_id"],
    }
    listed = await meals.client.get("/reservations", params={"service_id": sid}, headers=ANALYST)
    assert {r["status"] for r in listed.json()["items"]} == {"cancelled"}
