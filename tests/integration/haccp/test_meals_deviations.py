"""A deviation needs a corrective action (what, who, when); without one it stays open."""

import datetime as dt

from tests.integration.haccp.conftest import COORDINATOR, KITCHEN, OTHER_CENTRE_COOK, Meals

FRIDGE = {
    "kind": "fridge",
    "label": "Koelkast 1",
    "schedule": {"type": "times_of_day", "times": ["08:00", "15:00"]},
}


async def test_a_deviation_stays_open_until_a_corrective_action(meals: Meals) -> None:
    check = await meals.define(FRIDGE)
    deviation = await meals.record(check["check_id"], {"value": 10.5})
    await meals.record(check["check_id"], {"value": 3})
    deviations_url = f"/haccp/kitchens/{KITCHEN}/deviations"
    open_now = await meals.call("GET", deviations_url, expect=200)
    assert [d["record_id"] for d in open_now["items"]] == [deviation["record_id"]]
    due = await meals.call("GET", f"/haccp/kitchens/{KITCHEN}/due", expect=200)
    assert due["open_deviations"] == 1

    action = "Producten naar koelkast 2 verplaatst; deur sloot niet, technieker gebeld."
    closed = await meals.call(
        "POST",
        f"/haccp/records/{deviation['record_id']}/corrective-actions",
        {"action": action},
        headers=COORDINATOR,
    )
    assert closed["open"] is False
    [taken] = closed["corrective_actions"]
    assert (taken["action"], taken["staff_id"]) == (action, "coord-7f3a")
    assert (await meals.call("GET", deviations_url, expect=200))["items"] == []
    everything = await meals.call("GET", deviations_url, params={"open": "false"}, expect=200)
    assert [d["record_id"] for d in everything["items"]] == [deviation["record_id"]]
    [event] = await meals.events("meals.haccp_corrective_action_recorded.v1")
    assert event == {
        "record_id": deviation["record_id"],
        "check_id": check["check_id"],
        "kitchen_id": KITCHEN,
        "centre_id": "mannenstraat",
        "action": action,
        "recorded_at": event["recorded_at"],
        "staff_id": "coord-7f3a",
    }
    assert dt.datetime.fromisoformat(event["recorded_at"]) == dt.datetime.fromisoformat(
        taken["taken_at"]
    )


async def test_corrective_actions_only_for_deviations_in_scope_and_in_time(meals: Meals) -> None:
    check = await meals.define(FRIDGE)
    ok = await meals.record(check["check_id"], {"value": 3})
    url = f"/haccp/records/{ok['record_id']}/corrective-actions"
    problem = await meals.call("POST", url, {"action": "Niets"}, expect=409)
    assert problem["type"].endswith("not-a-deviation")
    deviation = await meals.record(check["check_id"], {"value": 9})
    url = f"/haccp/records/{deviation['record_id']}/corrective-actions"
    await meals.call("POST", url, {"action": "Weggegooid"}, headers=OTHER_CENTRE_COOK, expect=403)
    before = dt.datetime.fromisoformat(deviation["recorded_at"]) - dt.timedelta(minutes=5)
    problem = await meals.call(
        "POST", url, {"action": "Weggegooid", "taken_at": before.isoformat()}, expect=422
    )
    assert problem["errors"][0]["field"] == "body.taken_at"
    problem = await meals.call("POST", url, {"action": ""}, expect=422)
    assert problem["errors"][0]["field"] == "body.action"
    assert await meals.events("meals.haccp_corrective_action_recorded.v1") == []
