"""Putting volunteers on shifts: the number needed, no double booking (also concurrently), and
the qualification gate."""

import asyncio
import datetime as dt

import asyncpg
import pytest

from tests.integration.volunteers.conftest import (
    ADMIN,
    CENTRE,
    CITY_COORDINATOR,
    OTHER_CENTRE,
    Volunteers,
)

DAY = dt.date.today() + dt.timedelta(days=5)


async def test_an_assignment_is_announced_and_counted(service: Volunteers) -> None:
    volunteer_id = await service.active_volunteer()
    shift_id = await service.shift(DAY, "09:00", "12:00", needed=2)
    response = await service.client.post(
        f"/shifts/{shift_id}/assignments",
        json={"volunteer_id": volunteer_id, "via": "sign_up"},
        headers=service.headers,
    )
    assert response.status_code == 201, response.text
    assert response.json()["via"] == "sign_up"
    detail = await service.ok("GET", f"/shifts/{shift_id}")
    assert (detail["assigned"], detail["missing"]) == (1, 1)
    assert detail["roster"][0]["volunteer_id"] == volunteer_id
    assert detail["roster"][0]["given_name"].startswith("Voornaam")
    [event] = await service.events("volunteers.shift_assignment_changed.v1")
    assert event["shift_id"] == shift_id and event["volunteer_id"] == volunteer_id
    assert event["assigned"] is True and event["role"] == "welcome_desk"
    assert event["centre_id"] == CENTRE

    again = await service.assign(shift_id, volunteer_id)
    assert again.status_code == 409 and again.json()["type"].endswith("/already-assigned")
    off = await service.ok("DELETE", f"/shifts/{shift_id}/assignments/{volunteer_id}")
    assert off["assigned"] is False
    events = await service.events("volunteers.shift_assignment_changed.v1")
    assert [e["assigned"] for e in events] == [True, False]


async def test_a_full_shift_refuses_more_volunteers(service: Volunteers) -> None:
    shift_id = await service.shift(DAY, "09:00", "12:00", needed=1)
    first, second = [await service.active_volunteer() for _ in range(2)]
    assert (await service.assign(shift_id, first)).status_code == 201
    refused = await service.assign(shift_id, second)
    assert refused.status_code == 409
    assert refused.json()["type"].endswith("/shift-full")


async def test_a_volunteer_cannot_be_on_two_overlapping_shifts(service: Volunteers) -> None:
    service.headers = CITY_COORDINATOR
    volunteer_id = await service.active_volunteer(centre_ids=[CENTRE, OTHER_CENTRE])
    morning = await service.shift(DAY, "09:00", "12:00")
    overlapping = await service.ok(
        "POST",
        "/shifts",
        201,
        headers=CITY_COORDINATOR,
        json={"centre_id": OTHER_CENTRE, "role": "other", "date": str(DAY),
              "start_time": "11:00", "end_time": "12:00", "needed": 1},
    )  # fmt: skip
    adjacent = await service.shift(DAY, "12:00", "14:00")
    assert (await service.assign(morning, volunteer_id)).status_code == 201

    refused = await service.assign(overlapping["shift_id"], volunteer_id, headers=CITY_COORDINATOR)
    assert refused.status_code == 409
    assert refused.json()["type"].endswith("/double-booked")
    assert refused.json()["errors"][0]["field"] == "body.volunteer_id"
    assert morning in refused.json()["detail"]
    assert (await service.assign(adjacent, volunteer_id)).status_code == 201, "back to back is fine"
    assert len(await service.events("volunteers.shift_assignment_changed.v1")) == 2

    await service.ok("DELETE", f"/shifts/{morning}/assignments/{volunteer_id}")
    freed = await service.assign(overlapping["shift_id"], volunteer_id, headers=CITY_COORDINATOR)
    assert freed.status_code == 201, "once off the first shift, the overlapping one is free"


async def test_concurrent_requests_never_double_book(service: Volunteers) -> None:
    volunteer_id = await service.active_volunteer()
    shifts = [
        await service.shift(DAY, f"{9 + i // 2:02d}:{30 * (i % 2):02d}", "17:00") for i in range(8)
    ]

    responses = await asyncio.gather(*(service.assign(s, volunteer_id) for s in shifts))

    statuses = sorted(r.status_code for r in responses)
    assert statuses == [201] + [409] * 7, [r.text for r in responses]
    assert {r.json()["type"].split("/")[-1] for r in responses if r.status_code == 409} == {
        "double-booked"
    }
    assert await service.count("SELECT count(*) FROM assignments WHERE assigned") == 1
    assert len(await service.events("volunteers.shift_assignment_changed.v1")) == 1


async def test_concurrent_requests_never_overfill_a_shift(service: Volunteers) -> None:
    shift_id = await service.shift(DAY, "09:00", "12:00", needed=2)
    volunteers = [await service.active_volunteer() for _ in range(6)]

    responses = await asyncio.gather(*(service.assign(shift_id, v) for v in volunteers))

    assert sorted(r.status_code for r in responses) == [201, 201, 409, 409, 409, 409]
    assert (await service.ok("GET", f"/shifts/{shift_id}"))["assigned"] == 2


async def test_the_database_itself_refuses_overlapping_assignments(service: Volunteers) -> None:
    volunteer_id = await service.active_volunteer()
    first = await service.shift(DAY, "09:00", "12:00")
    second = await service.shift(DAY, "10:00", "11:00")
    insert = """
        INSERT INTO assignments (shift_id, volunteer_id, assigned, via, starts_at, ends_at,
                                 changed_at, changed_by)
        SELECT shift_id, $2, true, 'coordinator', starts_at, ends_at, now(), 'test'
        FROM shifts WHERE shift_id = $1
    """
    await service.db.execute(insert, first, volunteer_id)
    with pytest.raises(asyncpg.ExclusionViolationError):
        await service.db.execute(insert, second, volunteer_id)


async def test_kitchen_shifts_need_a_valid_food_hygiene_training(service: Volunteers) -> None:
    kitchen = await service.shift(DAY, "10:00", "14:00", role="kitchen")
    volunteer_id = (await service.volunteer())["volunteer_id"]
    await service.move(volunteer_id, "intake", "onboarding")

    async def gate() -> tuple[int, str]:
        response = await service.assign(kitchen, volunteer_id)
        return response.status_code, response.json().get("type", "").split("/")[-1]

    assert await gate() == (409, "qualification-missing")
    url = f"/volunteers/{volunteer_id}/qualifications"
    expired = {"qualification": "food_hygiene", "obtained_on": "2020-01-01"}
    expired["expires_on"] = str(dt.date.today() - dt.timedelta(days=1))
    await service.ok("POST", url, 201, json=expired)
    assert await gate() == (409, "qualification-missing"), "expired before the shift"
    other = {"qualification": "first_aid", "obtained_on": "2020-01-01"}
    await service.ok("POST", url, 201, json=other)
    assert await gate() == (409, "qualification-missing"), "another qualification does not count"
    valid = {"qualification": "food_hygiene", "obtained_on": "2021-01-01", "expires_on": str(DAY)}
    await service.ok("POST", url, 201, json=valid)
    late = {"qualification": "food_hygiene", "obtained_on": str(DAY + dt.timedelta(days=1))}
    obtained_later = await service.client.post(url, json=late, headers=service.headers)
    assert obtained_later.status_code == 422, "not obtained yet"
    assert await gate() == (201, ""), "valid up to and including the shift's day"
    view = await service.ok("GET", f"/volunteers/{volunteer_id}")
    assert sorted((q["qualification"], q["valid_today"]) for q in view["qualifications"]) == [
        ("first_aid", True),
        ("food_hygiene", False),
        ("food_hygiene", True),
    ]


async def test_the_requirements_of_a_role_are_data(service: Volunteers) -> None:
    roles = {r["role"]: r for r in await service.ok("GET", "/roles")}
    assert roles["kitchen"]["required_qualifications"] == ["food_hygiene"]
    assert roles["kitchen"]["nl"] == "Keuken" and roles["kitchen"]["en"] == "Kitchen"
    refused = await service.client.put(
        "/roles/homework_support/requirements",
        json={"qualifications": ["good_conduct_certificate"]},
        headers=service.headers,
    )
    assert refused.status_code == 403, "only administrators change requirements"
    await service.ok(
        "PUT",
        "/roles/homework_support/requirements",
        json={"qualifications": ["good_conduct_certificate"]},
        headers=ADMIN,
    )
    volunteer_id = await service.active_volunteer()
    homework = await service.shift(DAY, "16:00", "18:00", role="homework_support")
    refused_volunteer = await service.assign(homework, volunteer_id)
    assert refused_volunteer.status_code == 409
    assert "good_conduct_certificate" in refused_volunteer.json()["detail"]
    unknown = await service.client.put(
        "/roles/kitchen/requirements", json={"qualifications": ["juggling"]}, headers=ADMIN
    )
    assert unknown.status_code == 422
    assert unknown.json()["errors"][0]["field"] == "body.qualifications.0"


async def test_only_onboarding_and_active_volunteers_of_the_centre_take_shifts(
    service: Volunteers,
) -> None:
    shift_id = await service.shift(DAY, "09:00", "12:00")
    service.headers = CITY_COORDINATOR
    applicant = (await service.volunteer())["volunteer_id"]
    refused = await service.assign(shift_id, applicant)
    assert refused.status_code == 409
    assert refused.json()["type"].endswith("/volunteer-not-schedulable")
    elsewhere = await service.active_volunteer(centre_ids=[OTHER_CENTRE])
    refused = await service.assign(shift_id, elsewhere, headers=CITY_COORDINATOR)
    assert refused.status_code == 409
    assert refused.json()["type"].endswith("/volunteer-not-at-centre")
    missing = await service.assign(shift_id, "00000000-0000-4000-8000-000000000000")
    assert missing.status_code == 404


async def test_a_qualification_obtained_after_the_shift_does_not_count(service: Volunteers) -> None:
    past = dt.date.today() - dt.timedelta(days=10)
    kitchen = await service.shift(past, "10:00", "14:00", role="kitchen")
    volunteer_id = (await service.volunteer())["volunteer_id"]
    await service.move(volunteer_id, "intake", "onboarding", "active")
    training = {"qualification": "food_hygiene", "obtained_on": str(past + dt.timedelta(days=3))}
    await service.ok("POST", f"/volunteers/{volunteer_id}/qualifications", 201, json=training)
    refused = await service.assign(kitchen, volunteer_id)
    assert refused.status_code == 409
    assert refused.json()["type"].endswith("/qualification-missing")
