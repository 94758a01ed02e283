"""Cooling and reheating: readings until the target; missing the time limit is a deviation."""

import datetime as dt

from tests.integration.haccp.conftest import COORDINATOR, KITCHEN, Meals

COOLING = {"kind": "cooling", "label": "Afkoelen soep", "schedule": {"type": "on_event"}}


async def test_cooling_that_reaches_the_target_in_time_is_ok(meals: Meals) -> None:
    check = await meals.define(COOLING)
    started_at = dt.datetime.now(dt.UTC) - dt.timedelta(minutes=90)
    process = await meals.call(
        "POST",
        f"/haccp/checks/{check['check_id']}/processes",
        {"product": "Kippensoep 20 l", "start_value": 66, "started_at": started_at.isoformat()},
    )
    deadline = dt.datetime.fromisoformat(process["deadline_at"])
    assert deadline == started_at + dt.timedelta(minutes=120)
    assert process["status"] == "running"
    [started] = await meals.events("meals.haccp_process_started.v1")
    assert (started["process_id"], started["kind"], started["start_value"]) == (
        process["process_id"], "cooling", 66.0
    )  # fmt: skip
    url = f"/haccp/processes/{process['process_id']}/readings"
    halfway = (started_at + dt.timedelta(minutes=45)).isoformat()
    still = await meals.call("POST", url, {"value": 31.5, "taken_at": halfway})
    assert (still["status"], still["record_id"]) == ("running", None)
    assert await meals.events("meals.haccp_check_recorded.v1") == []
    done = await meals.call("POST", url, {"value": 8.5})
    assert done["status"] == "completed"
    [record] = await meals.events("meals.haccp_check_recorded.v1")
    assert (record["outcome"], record["value"], record["kind"]) == ("ok", 8.5, "cooling")
    assert dt.datetime.fromisoformat(record["due_at"]) == deadline
    again = await meals.call("POST", url, {"value": 5}, expect=409)
    assert again["type"].endswith("process-concluded")


async def test_missing_the_time_limit_is_a_deviation(meals: Meals) -> None:
    check = await meals.define({**COOLING, "limits": {"type": "timed", "from": 60, "to": 10,
                                                      "within_minutes": 60}})  # fmt: skip
    started_at = dt.datetime.now(dt.UTC) - dt.timedelta(minutes=75)
    process = await meals.call(
        "POST",
        f"/haccp/checks/{check['check_id']}/processes",
        {"product": "Rijst 5 kg", "start_value": 70, "started_at": started_at.isoformat()},
    )
    assert process["status"] == "overdue"
    due = await meals.call("GET", f"/haccp/kitchens/{KITCHEN}/due", expect=200)
    assert [(p["process_id"], p["status"]) for p in due["processes"]] == [
        (process["process_id"], "overdue")
    ]
    # Even on target, a reading after the deadline concludes it as a deviation.
    late = await meals.call(
        "POST", f"/haccp/processes/{process['process_id']}/readings", {"value": 9}
    )
    assert late["status"] == "failed"
    [record] = await meals.events("meals.haccp_check_recorded.v1")
    assert record["outcome"] == "deviation"
    [deviation] = await meals.events("meals.haccp_deviation_detected.v1")
    assert deviation["record_id"] == record["record_id"] == late["record_id"]
    open_deviations = await meals.call("GET", f"/haccp/kitchens/{KITCHEN}/deviations", expect=200)
    assert [d["record_id"] for d in open_deviations["items"]] == [record["record_id"]]


async def test_reheating_with_a_corrected_thermometer(meals: Meals) -> None:
    check = await meals.define(
        {"kind": "reheating", "label": "Opwarmen stoofvlees", "schedule": {"type": "on_event"}}
    )
    probe = await meals.call(
        "POST",
        f"/haccp/kitchens/{KITCHEN}/equipment",
        {"kind": "thermometer", "label": "Sonde", "calibration_offset": 1.0},
        headers=COORDINATOR,
    )
    process = await meals.call(
        "POST",
        f"/haccp/checks/{check['check_id']}/processes",
        {"product": "Stoofvlees", "start_value": 4, "thermometer_id": probe["equipment_id"]},
    )
    assert (process["start_value"], process["raw_start_value"]) == (5.0, 4.0)
    url = f"/haccp/processes/{process['process_id']}/readings"
    # 74 raw + 1 offset = 75: the target is reached.
    done = await meals.call("POST", url, {"value": 74, "thermometer_id": probe["equipment_id"]})
    assert done["status"] == "completed"
    assert [(r["value"], r["raw_value"]) for r in done["readings"]] == [(75.0, 74.0)]
