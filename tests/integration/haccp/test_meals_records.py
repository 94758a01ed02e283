"""Recording checks: the service decides the outcome; offsets, checklists, calibration, due_at."""

import datetime as dt
from typing import Any

from aio_pika.abc import AbstractIncomingMessage

from buurtwerk_shared.clock import BRUSSELS
from tests.integration.haccp.conftest import COOK, COORDINATOR, KITCHEN, OTHER_CENTRE_COOK, Meals
from tests.support.broker import BrokerNamespace, collect, wait_for

FRIDGE = {
    "kind": "fridge",
    "label": "Koelkast 1",
    "schedule": {"type": "times_of_day", "times": ["08:00", "15:00"]},
}


async def thermometer(meals: Meals, offset: float = 0) -> str:
    body = {"kind": "thermometer", "label": "Insteekthermometer", "calibration_offset": offset}
    created = await meals.call(
        "POST", f"/haccp/kitchens/{KITCHEN}/equipment", body, headers=COORDINATOR
    )
    equipment_id: str = created["equipment_id"]
    return equipment_id


async def test_a_reading_is_judged_by_the_service_and_published(meals: Meals) -> None:
    check = await meals.define(FRIDGE)
    ok = await meals.record(check["check_id"], {"value": 4.2, "unit": "°C"})
    assert (ok["outcome"], ok["value"], ok["staff_id"], ok["open"]) == (
        "ok",
        4.2,
        "staff-91c2",
        False,
    )
    too_warm = await meals.record(check["check_id"], {"value": 9.1})
    assert (too_warm["outcome"], too_warm["open"]) == ("deviation", True)
    recorded = await meals.events("meals.haccp_check_recorded.v1")
    assert [(e["value"], e["outcome"], e["staff_id"]) for e in recorded] == [
        (4.2, "ok", "staff-91c2"),
        (9.1, "deviation", "staff-91c2"),
    ]
    [deviation] = await meals.events("meals.haccp_deviation_detected.v1")
    assert deviation["record_id"] == too_warm["record_id"]
    assert deviation["limits"] == {"type": "range", "min": None, "max": 7.0, "unit": "°C"}
    assert deviation["value"] == 9.1


async def test_the_client_cannot_decide_the_outcome(meals: Meals) -> None:
    check = await meals.define(FRIDGE)
    problem = await meals.record(check["check_id"], {"value": 12, "outcome": "ok"}, expect=422)
    assert problem["errors"][0]["field"] == "body.outcome"
    assert await meals.db.fetchval("SELECT count(*) FROM haccp_records") == 0


async def test_the_calibration_offset_is_applied_and_the_raw_reading_kept(meals: Meals) -> None:
    check = await meals.define(FRIDGE)
    probe = await thermometer(meals, offset=-0.8)
    record = await meals.record(check["check_id"], {"value": 7.6, "thermometer_id": probe})
    assert (record["value"], record["raw_value"], record["calibration_offset"]) == (6.8, 7.6, -0.8)
    assert record["outcome"] == "ok"  # 7.6 raw would have been a deviation
    [event] = await meals.events("meals.haccp_check_recorded.v1")
    assert (event["value"], event["raw_value"]) == (6.8, 7.6)


async def test_a_calibration_sets_the_thermometers_offset(meals: Meals) -> None:
    probe = await thermometer(meals)
    calibration = await meals.define(
        {
            "kind": "calibration",
            "label": "Kalibratie insteekthermometer",
            "schedule": {"type": "monthly", "day": 1, "time": "09:00"},
            "equipment_id": probe,
        }
    )
    readings = [{"point": 0, "value": 0.6}, {"point": 100, "value": 100.4}]
    record = await meals.record(calibration["check_id"], {"readings": readings})
    assert (record["outcome"], record["value"]) == ("ok", 0.6)
    assert record["details"]["measured_offset"] == -0.5
    equipment = await meals.call("GET", f"/haccp/kitchens/{KITCHEN}/equipment", expect=200)
    assert equipment["items"][0]["calibration_offset"] == -0.5
    failed = await meals.record(
        calibration["check_id"],
        {"readings": [{"point": 0, "value": 2}, {"point": 100, "value": 101}]},
    )
    assert failed["outcome"] == "deviation"
    equipment = await meals.call("GET", f"/haccp/kitchens/{KITCHEN}/equipment", expect=200)
    assert (
        equipment["items"][0]["calibration_offset"] == -0.5
    )  # a failed calibration changes nothing
    missing = await meals.record(
        calibration["check_id"], {"readings": [{"point": 0, "value": 0}]}, expect=422
    )
    assert missing["errors"][0]["field"] == "body.readings"


async def test_a_checklist_needs_every_item(meals: Meals) -> None:
    cleaning = await meals.define(
        {
            "kind": "cleaning",
            "label": "Reiniging na de dienst",
            "schedule": {"type": "per_service", "offset_minutes": 120},
            "limits": {"type": "checklist", "items": ["Werkbanken", "Vloer"]},
            "level": "recommended",
        }
    )
    check_id = cleaning["check_id"]
    done = await meals.record(check_id, {"items": {"Werkbanken": True, "Vloer": True}})
    assert done["outcome"] == "ok"
    half = await meals.record(check_id, {"items": {"Werkbanken": True, "Vloer": False}})
    assert half["outcome"] == "deviation"
    refused: list[tuple[dict[str, Any], str]] = [
        ({"items": {"Werkbanken": True}}, "body.items"),
        ({"items": {"Werkbanken": True, "Vloer": True, "Dak": True}}, "body.items"),
        ({"value": 3}, "body.value"),
    ]
    for body, field in refused:
        problem = await meals.record(check_id, body, expect=422)
        assert problem["errors"][0]["field"] == field
    pests = await meals.define(
        {"kind": "pest_control", "label": "Lokdozen nagekeken", "limits": None,
         "schedule": {"type": "weekly", "weekday": 1, "time": "09:00"}}
    )  # fmt: skip
    assert (await meals.record(pests["check_id"], {"done": True}))["outcome"] == "ok"


async def test_due_at_must_be_a_scheduled_time_of_the_check(meals: Meals) -> None:
    check = await meals.define(FRIDGE)
    now = dt.datetime.now(BRUSSELS)
    # The 08:00 or 15:00 occurrence at or before now (today, or yesterday's 15:00).
    day = now.date()
    candidates = [
        dt.datetime.combine(d, dt.time(h), tzinfo=BRUSSELS)
        for d in (day - dt.timedelta(days=1), day)
        for h in (8, 15)
    ]
    due_at = max(c for c in candidates if c <= now)
    record = await meals.record(check["check_id"], {"value": 3, "due_at": due_at.isoformat()})
    assert dt.datetime.fromisoformat(record["due_at"]) == due_at
    wrong = due_at.replace(minute=7)
    problem = await meals.record(check["check_id"], {"value": 3, "due_at": wrong.isoformat()},
                                 expect=422)  # fmt: skip
    assert problem["errors"][0]["field"] == "body.due_at"


async def test_entry_times_are_bounded_and_scope_is_checked(meals: Meals) -> None:
    check = await meals.define(FRIDGE)
    now = dt.datetime.now(dt.UTC)
    for taken_at in (now + dt.timedelta(hours=1), now - dt.timedelta(days=2)):
        problem = await meals.record(
            check["check_id"], {"value": 3, "taken_at": taken_at.isoformat()}, expect=422
        )
        assert problem["errors"][0]["field"] == "body.taken_at"
    await meals.record(check["check_id"], {"value": 3}, headers=OTHER_CENTRE_COOK, expect=403)
    cooling = await meals.define(
        {"kind": "cooling", "label": "Afkoelen", "schedule": {"type": "on_event"}}
    )
    problem = await meals.record(cooling["check_id"], {"value": 3}, expect=409)
    assert problem["type"].endswith("use-process")


async def test_records_reach_the_broker_as_cloudevents(
    meals: Meals, namespace: BrokerNamespace
) -> None:
    import aio_pika

    connection = await aio_pika.connect(namespace.amqp_url)
    try:
        channel = await connection.channel()
        name = namespace.name("probe.haccp")
        queue = await channel.declare_queue(name, durable=True)
        await queue.bind(namespace.topology.events_exchange.name, routing_key="meals.#")
        check = await meals.define(FRIDGE)
        record = await meals.record(check["check_id"], {"value": 11})
        async with collect(connection, name) as received:  # type: ignore[arg-type]
            await wait_for(lambda: len(received) == 3)
        messages: list[AbstractIncomingMessage] = list(received)
        types = [m.headers["ce-type"] for m in messages]
        assert types == [
            "meals.haccp_check_defined.v1",
            "meals.haccp_check_recorded.v1",
            "meals.haccp_deviation_detected.v1",
        ]
        assert messages[1].headers["ce-subject"] == record["record_id"]
        assert messages[1].headers["ce-source"] == "/buurtwerk/meals"
    finally:
        await connection.close()


async def test_a_retried_record_with_the_same_key_is_recorded_once(meals: Meals) -> None:
    check = await meals.define(FRIDGE)
    headers = {**COOK, "Idempotency-Key": "tablet-3-000017"}
    first = await meals.record(check["check_id"], {"value": 9.4}, headers=headers)
    again = await meals.record(check["check_id"], {"value": 9.4}, headers=headers)
    assert first == again
    assert await meals.db.fetchval("SELECT count(*) FROM haccp_records") == 1
    assert len(await meals.events("meals.haccp_deviation_detected.v1")) == 1


async def test_equipment_is_managed_by_the_coordinator(meals: Meals) -> None:
    fridge = await meals.call(
        "POST", f"/haccp/kitchens/{KITCHEN}/equipment", {"kind": "fridge", "label": "Koelkast 2"},
        headers=COORDINATOR,
    )  # fmt: skip
    url = f"/haccp/equipment/{fridge['equipment_id']}"
    problem = await meals.call("PATCH", url, {"calibration_offset": 0.5}, headers=COORDINATOR,
                               expect=422)  # fmt: skip
    assert problem["errors"][0]["field"] == "body.calibration_offset"
    await meals.call("PATCH", url, {"active": False}, expect=403)
    retired = await meals.call("PATCH", url, {"active": False, "label": "Koelkast 2 (oud)"},
                               headers=COORDINATOR, expect=200)  # fmt: skip
    assert (retired["active"], retired["label"]) == (False, "Koelkast 2 (oud)")
    problem = await meals.call(
        "POST", f"/haccp/kitchens/{KITCHEN}/checks",
        {**FRIDGE, "equipment_id": fridge["equipment_id"]}, headers=COORDINATOR, expect=422,
    )  # fmt: skip
    assert problem["errors"][0]["field"] == "body.equipment_id"
    probe = await thermometer(meals)
    check = await meals.define(FRIDGE)
    await meals.call("PATCH", f"/haccp/equipment/{probe}", {"active": False},
                     headers=COORDINATOR, expect=200)  # fmt: skip
    problem = await meals.record(check["check_id"], {"value": 3, "thermometer_id": probe},
                                 expect=422)  # fmt: skip
    assert problem["errors"][0]["field"] == "body.thermometer_id"
