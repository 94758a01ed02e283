"""Shift templates, generated shifts across daylight-saving changes, and understaffed shifts."""

import datetime as dt

from tests.integration.volunteers.conftest import (
    CENTRE,
    CITY_COORDINATOR,
    OTHER_CENTRE,
    Volunteers,
)


async def template(service: Volunteers, **overrides: object) -> str:
    body = {
        "centre_id": CENTRE,
        "role": "kitchen",
        "weekday": 3,
        "start_time": "11:00",
        "end_time": "14:00",
        "needed": 3,
        "valid_from": "2026-01-01",
        **overrides,
    }
    template_id: str = (await service.ok("POST", "/shift-templates", 201, json=body))["template_id"]
    return template_id


async def test_shifts_keep_their_local_time_across_the_autumn_change(service: Volunteers) -> None:
    await template(service)
    await template(service, weekday=7, role="welcome_desk", start_time="10:00", end_time="12:00")
    generated = await service.ok(
        "POST",
        "/shifts/generate",
        201,
        json={"centre_id": CENTRE, "from": "2026-10-19", "until": "2026-11-01"},
    )
    starts = sorted(
        (s["date"], s["role"], s["starts_at"], s["ends_at"]) for s in generated["created"]
    )
    as_utc = [
        (day, role, dt.datetime.fromisoformat(a).astimezone(dt.UTC).strftime("%H:%M"),
         dt.datetime.fromisoformat(b).astimezone(dt.UTC).strftime("%H:%M"))
        for day, role, a, b in starts
    ]  # fmt: skip
    assert as_utc == [
        ("2026-10-21", "kitchen", "09:00", "12:00"),  # CEST, UTC+2
        ("2026-10-25", "welcome_desk", "09:00", "11:00"),  # the change day itself: CET
        ("2026-10-28", "kitchen", "10:00", "13:00"),  # CET, UTC+1
        ("2026-11-01", "welcome_desk", "09:00", "11:00"),
    ]
    events = await service.events("volunteers.shift_scheduled.v1")
    assert sorted(e["shift_id"] for e in events) == sorted(
        s["shift_id"] for s in generated["created"]
    )
    assert {e["needed"] for e in events if e["role"] == "kitchen"} == {3}


async def test_shifts_keep_their_local_time_across_the_spring_change(service: Volunteers) -> None:
    await template(service, weekday=7, start_time="09:00", end_time="13:00")
    generated = await service.ok(
        "POST",
        "/shifts/generate",
        201,
        json={"centre_id": CENTRE, "from": "2026-03-22", "until": "2026-03-29"},
    )
    local = {
        s["date"]: (
            dt.datetime.fromisoformat(s["starts_at"]).astimezone(dt.UTC).hour,
            dt.datetime.fromisoformat(s["ends_at"]).astimezone(dt.UTC).hour,
        )
        for s in generated["created"]
    }
    assert local == {"2026-03-22": (8, 12), "2026-03-29": (7, 11)}


async def test_generating_twice_creates_each_shift_once(service: Volunteers) -> None:
    await template(service, valid_until="2026-10-21")
    body = {"centre_id": CENTRE, "from": "2026-10-01", "until": "2026-10-31"}
    first = await service.ok("POST", "/shifts/generate", 201, json=body)
    again = await service.ok("POST", "/shifts/generate", 201, json=body)
    assert [s["date"] for s in first["created"]] == ["2026-10-07", "2026-10-14", "2026-10-21"]
    assert again == {"created": [], "existing": 3}
    assert len(await service.events("volunteers.shift_scheduled.v1")) == 3


async def test_a_changed_template_affects_only_shifts_generated_later(service: Volunteers) -> None:
    template_id = await template(service)
    week = {"centre_id": CENTRE, "from": "2026-10-01", "until": "2026-10-07"}
    await service.ok("POST", "/shifts/generate", 201, json=week)
    changed = await service.ok("PATCH", f"/shift-templates/{template_id}", json={"needed": 5})
    assert changed["needed"] == 5
    next_week = {"centre_id": CENTRE, "from": "2026-10-08", "until": "2026-10-14"}
    later = await service.ok("POST", "/shifts/generate", 201, json=next_week)
    shifts = await service.ok("GET", "/shifts", params={"centre_id": CENTRE})
    assert [(s["date"], s["needed"]) for s in shifts["items"]] == [
        ("2026-10-07", 3),
        ("2026-10-14", 5),
    ]
    assert later["created"][0]["needed"] == 5


async def test_bad_templates_and_ranges_are_problems_naming_the_field(service: Volunteers) -> None:
    inverted = await service.client.post(
        "/shift-templates",
        json={"centre_id": CENTRE, "role": "kitchen", "weekday": 8, "start_time": "14:00",
              "end_time": "11:00", "needed": 0, "valid_from": "2026-01-01"},
        headers=service.headers,
    )  # fmt: skip
    assert inverted.status_code == 422
    fields = {e["field"] for e in inverted.json()["errors"]}
    assert {"body.weekday", "body.needed"} <= fields
    too_long = await service.client.post(
        "/shifts/generate",
        json={"centre_id": CENTRE, "from": "2026-01-01", "until": "2026-12-31"},
        headers=service.headers,
    )
    assert too_long.status_code == 422
    foreign = await service.client.post(
        "/shifts/generate",
        json={"centre_id": OTHER_CENTRE, "from": "2026-01-01", "until": "2026-01-31"},
        headers=service.headers,
    )
    assert foreign.status_code == 403


async def test_understaffed_shifts_of_the_coming_two_weeks(service: Volunteers) -> None:
    today = dt.date.today()
    volunteer_id = await service.active_volunteer()
    soon = await service.shift(today + dt.timedelta(days=2), "09:00", "12:00", needed=2)
    staffed = await service.shift(today + dt.timedelta(days=3), "09:00", "12:00", needed=1)
    await service.shift(today + dt.timedelta(days=20), "09:00", "12:00", needed=2)
    await service.shift(today - dt.timedelta(days=2), "09:00", "12:00", needed=2)
    await service.ok(
        "POST",
        "/shifts",
        201,
        headers=CITY_COORDINATOR,
        json={"centre_id": OTHER_CENTRE, "role": "other", "date": str(today + dt.timedelta(days=4)),
              "start_time": "09:00", "end_time": "12:00", "needed": 1},
    )  # fmt: skip
    assert (await service.assign(soon, volunteer_id)).status_code == 201
    assert (await service.assign(staffed, volunteer_id)).status_code == 201

    short = await service.ok("GET", "/shifts/understaffed")
    assert [(s["shift_id"], s["assigned"], s["missing"]) for s in short["items"]] == [(soon, 1, 1)]
    assert short["total"] == 1
    wider = await service.ok("GET", "/shifts/understaffed", params={"days": 30})
    assert wider["total"] == 2
    city = await service.ok("GET", "/shifts/understaffed", headers=CITY_COORDINATOR)
    assert city["total"] == 2, "the other centre's shift shows for a city-wide coordinator"


async def test_shifts_are_listed_by_start_with_filters(service: Volunteers) -> None:
    early = await service.shift(dt.date(2026, 10, 5), "09:00", "12:00", role="kitchen")
    late = await service.shift(dt.date(2026, 10, 12), "09:00", "12:00")
    window = {"from": "2026-10-05T09:00:00+02:00", "before": "2026-10-12T09:00:00+02:00"}
    listed = await service.ok("GET", "/shifts", params=window)
    assert [s["shift_id"] for s in listed["items"]] == [early]
    by_role = await service.ok("GET", "/shifts", params={"role": "welcome_desk"})
    assert [s["shift_id"] for s in by_role["items"]] == [late]
    naive = await service.client.get(
        "/shifts", params={"from": "2026-10-05T09:00:00"}, headers=service.headers
    )
    assert naive.status_code == 422
    assert naive.json()["errors"][0]["field"] == "query.from"
