"""Goods receipt: arrival temperature judged, lots traced into meal services, recalls."""

import datetime as dt
from typing import Any

from tests.integration.haccp.conftest import COOK, COORDINATOR, KITCHEN, Meals
from tests.support.tokens import bearer

MEAT = {
    "kind": "goods_receipt",
    "label": "Ontvangst vlees en vis",
    "schedule": {"type": "on_event"},
}


async def test_a_chilled_delivery_is_judged_and_traced_to_its_services(meals: Meals) -> None:
    check = await meals.define(MEAT)
    url = f"/haccp/kitchens/{KITCHEN}/deliveries"
    chicken = {
        "supplier": "Slagerij Vandenberghe",
        "product": "Kippenfilet 5 kg",
        "lot": "L2403-17",
        "best_before": "2026-12-20",
        "check_id": check["check_id"],
        "temperature": 3.5,
    }
    accepted = await meals.call("POST", url, chicken)
    assert (accepted["outcome"], accepted["temperature"], accepted["received_by"]) == (
        "ok", 3.5, "staff-91c2"
    )  # fmt: skip
    warm = await meals.call("POST", url, {**chicken, "lot": "L2403-18", "temperature": 8.2})
    assert warm["outcome"] == "deviation"
    rice = await meals.call(
        "POST",
        url,
        {"supplier": "Groothandel Peeters", "product": "Rijst", "best_before": "2027-06-01"},
    )
    assert (rice["record_id"], rice["outcome"]) == (None, None)
    recorded = await meals.events("meals.haccp_check_recorded.v1")
    assert [(e["kind"], e["value"], e["outcome"]) for e in recorded] == [
        ("goods_receipt", 3.5, "ok"), ("goods_receipt", 8.2, "deviation")
    ]  # fmt: skip
    assert len(await meals.events("meals.haccp_deviation_detected.v1")) == 1

    today = dt.date.today()
    monday = await meals.plan_service(today + dt.timedelta(days=1))
    tuesday = await meals.plan_service(today + dt.timedelta(days=2), "18:00")
    for service in (monday, tuesday):
        lots = await meals.call(
            "POST",
            f"/haccp/services/{service}/lots",
            {"delivery_ids": [accepted["delivery_id"], rice["delivery_id"]]},
            expect=200,
        )
        assert len(lots["deliveries"]) == 2
    # Linking again changes nothing.
    await meals.call(
        "POST", f"/haccp/services/{monday}/lots",
        {"delivery_ids": [accepted["delivery_id"]]}, expect=200,
    )  # fmt: skip

    recall = await meals.call(
        "GET", "/haccp/recall", params={"supplier": "slagerij vandenberghe", "lot": "l2403-17"},
        headers=COORDINATOR, expect=200,
    )  # fmt: skip
    assert [d["delivery_id"] for d in recall["deliveries"]] == [accepted["delivery_id"]]
    assert [(s["service_id"], s["date"]) for s in recall["services"]] == [
        (monday, (today + dt.timedelta(days=1)).isoformat()),
        (tuesday, (today + dt.timedelta(days=2)).isoformat()),
    ]
    unknown = await meals.call(
        "GET", "/haccp/recall", params={"supplier": "Slagerij Vandenberghe", "lot": "L0000"},
        headers=COORDINATOR, expect=200,
    )  # fmt: skip
    assert unknown["services"] == [] and unknown["deliveries"] == []
    elsewhere = bearer("centre_coordinator", ["sint-maartensdal"])
    hidden = await meals.call(
        "GET", "/haccp/recall", params={"supplier": "Slagerij Vandenberghe", "lot": "L2403-17"},
        headers=elsewhere, expect=200,
    )  # fmt: skip
    assert hidden["services"] == []
    await meals.call("GET", "/haccp/recall", params={"supplier": "x", "lot": "y"}, headers=COOK,
                     expect=403)  # fmt: skip


async def test_deliveries_are_validated(meals: Meals) -> None:
    check = await meals.define(MEAT)
    fridge = await meals.define(
        {
            "kind": "fridge",
            "label": "Koelkast",
            "schedule": {"type": "times_of_day", "times": ["08:00"]},
        }
    )
    url = f"/haccp/kitchens/{KITCHEN}/deliveries"
    base: dict[str, Any] = {"supplier": "Zuivel NV", "product": "Melk"}
    cases: list[tuple[dict[str, Any], str]] = [
        (base, "body.lot"),
        ({**base, "lot": "A1", "temperature": 4}, "body.check_id"),
        ({**base, "lot": "A1", "check_id": check["check_id"]}, "body.temperature"),
        ({**base, "lot": "A1", "check_id": fridge["check_id"], "temperature": 4}, "body.check_id"),
    ]
    for body, field in cases:
        problem = await meals.call("POST", url, body, expect=422)
        assert problem["errors"][0]["field"] == field, problem
    goods = await meals.call("POST", url, {**base, "lot": "A1"})
    service = await meals.plan_service(dt.date.today() - dt.timedelta(days=3))
    problem = await meals.call(
        "POST", f"/haccp/services/{service}/lots", {"delivery_ids": [goods["delivery_id"]]},
        expect=422,
    )  # fmt: skip
    assert problem["errors"][0]["field"] == "body.delivery_ids.0"
    assert await meals.db.fetchval("SELECT count(*) FROM haccp_lot_usage") == 0


async def test_refurbishment_milestones(meals: Meals) -> None:
    url = f"/haccp/kitchens/{KITCHEN}/refurbishment"
    body = {"milestone": "Nieuwe koelcel", "status": "planned", "date": "2026-12-01"}
    await meals.call("POST", url, body, headers=COORDINATOR, expect=200)
    await meals.call("POST", url, {**body, "status": "done", "date": "2026-12-15"},
                     headers=COORDINATOR, expect=200)  # fmt: skip
    await meals.call("POST", url, body, headers=COOK, expect=403)
    listed = await meals.call("GET", url, expect=200)
    assert [(m["milestone"], m["status"], m["date"]) for m in listed["items"]] == [
        ("Nieuwe koelcel", "done", "2026-12-15")
    ]
    events = await meals.events("meals.kitchen_refurbishment_updated.v1")
    assert [(e["status"], e["date"]) for e in events] == [
        ("planned", "2026-12-01"), ("done", "2026-12-15")
    ]  # fmt: skip
