"""Check definitions: catalogue defaults, validation, versions, roles and centre scope."""

import datetime as dt
from typing import Any

from tests.integration.haccp.conftest import COOK, COORDINATOR, KITCHEN, OTHER_CENTRE_COOK, Meals
from tests.support.tokens import bearer

FRIDGE: dict[str, Any] = {
    "kind": "fridge",
    "label": "Koelkast 1",
    "schedule": {"type": "times_of_day", "times": ["08:00", "15:00"]},
}


async def test_a_check_gets_the_catalogue_default_limits_and_is_published(meals: Meals) -> None:
    check = await meals.define(FRIDGE)
    assert check["limits"] == {"type": "range", "min": None, "max": 7.0, "unit": "°C"}
    assert (check["version"], check["level"], check["grace_minutes"]) == (1, "required", 30)
    assert check["centre_id"] == "mannenstraat"
    [event] = await meals.events("meals.haccp_check_defined.v1")
    assert event == {
        "check_id": check["check_id"],
        "version": 1,
        "effective_from": event["effective_from"],
        "kitchen_id": KITCHEN,
        "centre_id": "mannenstraat",
        "kind": "fridge",
        "label": "Koelkast 1",
        "schedule": {
            "type": "times_of_day",
            "times": ["08:00", "15:00"],
            "weekdays": [1, 2, 3, 4, 5, 6, 7],
            "only_on_service_days": False,
        },
        "grace_minutes": 30,
        "limits": {"type": "range", "min": None, "max": 7.0, "unit": "°C"},
        "level": "required",
        "active": True,
    }
    cooling = await meals.define(
        {"kind": "cooling", "label": "Afkoelen soep", "schedule": {"type": "on_event"}}
    )
    assert cooling["limits"] == {
        "type": "timed", "from": 60.0, "to": 10.0, "within_minutes": 120, "unit": "°C"
    }  # fmt: skip


async def test_a_kitchen_sets_its_own_limits(meals: Meals) -> None:
    check = await meals.define(
        {**FRIDGE, "label": "Koelcel vlees", "limits": {"type": "range", "max": 4}}
    )
    assert check["limits"]["max"] == 4


async def test_bad_definitions_are_refused_naming_the_field(meals: Meals) -> None:
    cases: list[tuple[dict[str, Any], str]] = [
        ({**FRIDGE, "limits": {"type": "timed", "from": 60, "to": 10, "within_minutes": 120}},
         "body.limits.type"),
        ({**FRIDGE, "limits": None}, "body.limits"),
        ({"kind": "cooling", "label": "Afkoelen", "schedule": FRIDGE["schedule"]},
         "body.schedule.type"),
        ({**FRIDGE, "schedule": {"type": "times_of_day", "times": ["25:00"]}},
         "body.schedule.times_of_day.times.0"),
        ({**FRIDGE, "level": "sometimes"}, "body.level"),
        ({**FRIDGE, "equipment_id": "5d0c4a51-8f4e-4c8e-9f38-2f2f2f2f2f2f"}, "body.equipment_id"),
    ]  # fmt: skip
    for body, field in cases:
        problem = await meals.call(
            "POST", f"/haccp/kitchens/{KITCHEN}/checks", body, headers=COORDINATOR, expect=422
        )
        assert field in [e["field"] for e in problem["errors"]], (body, problem)
    assert await meals.db.fetchval("SELECT count(*) FROM haccp_checks") == 0
    assert await meals.events("meals.haccp_check_defined.v1") == []


async def test_only_coordinators_of_the_centre_define_checks(meals: Meals) -> None:
    url = f"/haccp/kitchens/{KITCHEN}/checks"
    await meals.call("POST", url, FRIDGE, headers=COOK, expect=403)
    other = bearer("centre_coordinator", ["sint-maartensdal"])
    await meals.call("POST", url, FRIDGE, headers=other, expect=403)
    await meals.call("POST", "/haccp/kitchens/nowhere/checks", FRIDGE, headers=COORDINATOR,
                     expect=404)  # fmt: skip
    check = await meals.define(FRIDGE)
    await meals.call("GET", f"/haccp/checks/{check['check_id']}", headers=OTHER_CENTRE_COOK,
                     expect=403)  # fmt: skip
    listed = await meals.call("GET", f"/haccp/kitchens/{KITCHEN}/checks", expect=200)
    assert [c["check_id"] for c in listed["items"]] == [check["check_id"]]


async def test_a_revision_adds_a_version_and_old_readings_keep_their_limits(meals: Meals) -> None:
    check = await meals.define(FRIDGE)
    check_id = check["check_id"]
    before_revision = dt.datetime.now(dt.UTC)
    revised = await meals.call(
        "PUT",
        f"/haccp/checks/{check_id}",
        {**{k: v for k, v in FRIDGE.items() if k != "kind"}, "limits": {"type": "range", "max": 4}},
        headers=COORDINATOR,
        expect=200,
    )
    assert (revised["version"], revised["limits"]["max"]) == (2, 4)
    # 5.5 °C read just before the revision (typed in now) is judged by version 1 (max 7).
    old = await meals.record(check_id, {"value": 5.5, "taken_at": before_revision.isoformat()})
    assert (old["limits_version"], old["outcome"]) == (1, "ok")
    new = await meals.record(check_id, {"value": 5.5})
    assert (new["limits_version"], new["outcome"]) == (2, "deviation")
    history = await meals.call("GET", f"/haccp/checks/{check_id}", expect=200)
    assert [v["version"] for v in history["versions"]] == [2, 1]
    assert [e["version"] for e in await meals.events("meals.haccp_check_defined.v1")] == [1, 2]
    recorded = await meals.events("meals.haccp_check_recorded.v1")
    assert [(e["limits_version"], e["outcome"]) for e in recorded] == [(1, "ok"), (2, "deviation")]


async def test_a_switched_off_check_takes_no_records(meals: Meals) -> None:
    check = await meals.define(FRIDGE)
    body = {k: v for k, v in FRIDGE.items() if k != "kind"}
    off = await meals.call(
        "PUT", f"/haccp/checks/{check['check_id']}", {**body, "active": False},
        headers=COORDINATOR, expect=200,
    )  # fmt: skip
    assert off["active"] is False
    problem = await meals.record(check["check_id"], {"value": 3}, expect=409)
    assert problem["type"].endswith("check-inactive")
    [_, event] = await meals.events("meals.haccp_check_defined.v1")
    assert event["active"] is False
