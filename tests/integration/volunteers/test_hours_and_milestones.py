"""Hours of completed shifts, corrections as events, and milestones announced exactly once."""

import asyncio
import datetime as dt
from typing import Any

import asyncpg
import pytest

from tests.integration.volunteers.conftest import CENTRE, Volunteers
from tests.support.apps import in_process, platform_settings
from tests.support.broker import BrokerNamespace, wait_for
from tests.support.databases import DatabaseFactory
from tests.support.tokens import bearer
from volunteers.domain.clock import now
from volunteers.domain.milestones import detect_years_milestones
from volunteers.service import definition
from volunteers.settings import VolunteersSettings

PAST = dt.date.today() - dt.timedelta(days=60)


async def worked(service: Volunteers, volunteer_id: str, day: dt.date, hours: float) -> str:
    """A past shift the volunteer was on, completed with `hours`."""
    shift_id = await service.shift(day, "08:00", "20:00")
    assert (await service.assign(shift_id, volunteer_id)).status_code == 201
    await complete(service, shift_id, volunteer_id, hours)
    return shift_id


async def complete(service: Volunteers, shift_id: str, volunteer_id: str, hours: float) -> Any:
    body = {"volunteers": [{"volunteer_id": volunteer_id, "hours": hours}]}
    return await service.ok("POST", f"/shifts/{shift_id}/completions", 201, json=body)


async def correct(service: Volunteers, shift_id: str, volunteer_id: str, hours: float) -> Any:
    return await service.ok(
        "PUT", f"/shifts/{shift_id}/completions/{volunteer_id}", json={"hours": hours}
    )


async def test_a_completed_shift_records_its_length_for_each_volunteer(
    service: Volunteers,
) -> None:
    first, second = [await service.active_volunteer() for _ in range(2)]
    # The autumn change day: 01:00 to 04:00 on the clock is four real hours.
    shift_id = await service.shift(dt.date(2026, 10, 25), "01:00", "04:00", needed=2)
    for volunteer_id in (first, second):
        assert (await service.assign(shift_id, volunteer_id)).status_code == 201
    body = {"volunteers": [{"volunteer_id": first}, {"volunteer_id": second, "hours": 2.5}]}
    completed = await service.ok("POST", f"/shifts/{shift_id}/completions", 201, json=body)
    assert [(r["volunteer_id"], r["hours"]) for r in completed["recorded"]] == [
        (first, 4.0),
        (second, 2.5),
    ]
    events = await service.events("volunteers.shift_completed.v1")
    assert events == [
        {"shift_id": shift_id, "volunteer_id": first, "centre_id": CENTRE,
         "role": "welcome_desk", "date": "2026-10-25", "hours": 4.0},
        {"shift_id": shift_id, "volunteer_id": second, "centre_id": CENTRE,
         "role": "welcome_desk", "date": "2026-10-25", "hours": 2.5},
    ]  # fmt: skip
    again = await service.client.post(
        f"/shifts/{shift_id}/completions",
        json={"volunteers": [{"volunteer_id": first}]},
        headers=service.headers,
    )
    assert again.status_code == 409 and again.json()["type"].endswith("/already-completed")
    assert again.json()["errors"][0]["field"] == "body.volunteers.0.volunteer_id"


async def test_hours_are_recorded_only_for_volunteers_on_a_shift_that_is_over(
    service: Volunteers,
) -> None:
    volunteer_id, stranger = [await service.active_volunteer() for _ in range(2)]
    upcoming = await service.shift(dt.date.today() + dt.timedelta(days=3), "09:00", "12:00")
    assert (await service.assign(upcoming, volunteer_id)).status_code == 201
    early = await service.client.post(
        f"/shifts/{upcoming}/completions",
        json={"volunteers": [{"volunteer_id": volunteer_id}]},
        headers=service.headers,
    )
    assert early.status_code == 409 and early.json()["type"].endswith("/shift-not-over")
    past = await service.shift(PAST, "09:00", "12:00")
    assert (await service.assign(past, volunteer_id)).status_code == 201
    outsider = await service.client.post(
        f"/shifts/{past}/completions",
        json={"volunteers": [{"volunteer_id": volunteer_id}, {"volunteer_id": stranger}]},
        headers=service.headers,
    )
    assert outsider.status_code == 409
    assert outsider.json()["errors"][0]["field"] == "body.volunteers.1.volunteer_id"
    assert await service.count("SELECT count(*) FROM shift_hours") == 0, "all or none"
    too_many = await service.client.post(
        f"/shifts/{past}/completions",
        json={"volunteers": [{"volunteer_id": volunteer_id, "hours": 25}]},
        headers=service.headers,
    )
    assert too_many.status_code == 422
    assert too_many.json()["errors"][0]["field"] == "body.volunteers.0.hours"


async def test_a_correction_is_an_event_with_the_corrected_total(service: Volunteers) -> None:
    volunteer_id = await service.active_volunteer()
    shift_id = await worked(service, volunteer_id, PAST, 3)
    corrected = await correct(service, shift_id, volunteer_id, 2.25)
    assert corrected["hours"] == 2.25
    unchanged = await correct(service, shift_id, volunteer_id, 2.25)
    assert unchanged["hours"] == 2.25
    [event] = await service.events("volunteers.hours_corrected.v1")
    assert event["hours"] == 2.25 and event["date"] == str(PAST)
    assert (await service.ok("GET", f"/volunteers/{volunteer_id}"))["total_hours"] == 2.25
    row = await service.db.fetchrow("SELECT previous_hours, hours FROM hours_corrections")
    assert row is not None and (float(row[0]), float(row[1])) == (3.0, 2.25)
    missing = await service.client.put(
        f"/shifts/{shift_id}/completions/00000000-0000-4000-8000-000000000000",
        json={"hours": 1},
        headers=service.headers,
    )
    assert missing.status_code == 404


async def test_a_milestone_is_announced_once_even_when_hours_go_down_and_up_around_it(
    service: Volunteers,
) -> None:
    volunteer_id = await service.active_volunteer()
    for offset in range(4):
        await worked(service, volunteer_id, PAST + dt.timedelta(days=offset), 12)  # 48 hours
    last = await service.shift(PAST + dt.timedelta(days=10), "08:00", "20:00")
    assert (await service.assign(last, volunteer_id)).status_code == 201
    completed = await complete(service, last, volunteer_id, 3)  # 51 hours
    assert completed["milestones_reached"] == [
        {"volunteer_id": volunteer_id, "milestone": "hours_50"}
    ]

    await correct(service, last, volunteer_id, 1)  # 49 hours: below the threshold again
    await correct(service, last, volunteer_id, 4)  # 52 hours: above it again
    await correct(service, last, volunteer_id, 0.5)
    await correct(service, last, volunteer_id, 6)

    milestones = await service.events("volunteers.milestone_reached.v1")
    assert len(milestones) == 1
    assert milestones[0]["volunteer_id"] == volunteer_id
    assert milestones[0]["milestone"] == "hours_50"
    assert milestones[0]["centre_id"] == CENTRE
    assert len(await service.events("volunteers.hours_corrected.v1")) == 4
    view = await service.ok("GET", f"/volunteers/{volunteer_id}")
    assert view["milestones"] == ["hours_50"] and view["total_hours"] == 54
    listed = await service.ok("GET", "/milestones")
    assert [(m["volunteer_id"], m["milestone"]) for m in listed["items"]] == [
        (volunteer_id, "hours_50")
    ]
    assert listed["items"][0]["given_name"] == view["given_name"]


async def test_years_of_service_are_announced_once(service: Volunteers) -> None:
    volunteer_id = (await service.volunteer(applied_at="2020-01-10T10:00:00+01:00"))["volunteer_id"]
    for status, day in (("intake", "2020-01-20"), ("onboarding", "2020-02-01")):
        await service.ok(
            "POST",
            f"/volunteers/{volunteer_id}/status",
            json={"status": status, "changed_at": f"{day}T10:00:00+01:00"},
        )
    await service.ok(
        "POST",
        f"/volunteers/{volunteer_id}/status",
        json={"status": "active", "changed_at": "2020-02-29T10:00:00+01:00"},
    )
    events = await service.events("volunteers.milestone_reached.v1")
    assert [(e["milestone"], e["reached_at"]) for e in events] == [
        ("years_1", "2021-02-28T10:00:00+01:00"),
        ("years_5", "2025-02-28T10:00:00+01:00"),
    ]
    await service.move(volunteer_id, "paused")
    await service.move(volunteer_id, "active")
    async with service.db.transaction():
        ten_years_on = dt.datetime(2030, 3, 1, tzinfo=dt.UTC)
        assert await detect_years_milestones(service.db, ten_years_on) == 1
        assert await detect_years_milestones(service.db, ten_years_on) == 0
    milestones = await service.events("volunteers.milestone_reached.v1")
    assert [e["milestone"] for e in milestones] == ["years_1", "years_5", "years_10"]
    assert milestones[2]["reached_at"] == "2030-02-28T10:00:00+01:00"


async def test_the_service_sweeps_for_anniversaries_by_itself(
    databases: DatabaseFactory, namespace: BrokerNamespace
) -> None:
    url = await databases.create(definition().migrations)
    settings = VolunteersSettings(
        database_url=url, platform=platform_settings(namespace), milestone_sweep_seconds=0.2
    )
    headers = bearer("volunteer_coordinator", ["all"])
    async with in_process(definition(settings)) as client:
        created = await client.post(
            "/volunteers",
            json={"given_name": "A", "family_name": "B", "centre_ids": [CENTRE]},
            headers=headers,
        )
        volunteer_id = created.json()["volunteer_id"]
        for status in ("intake", "onboarding", "active"):
            moved = await client.post(
                f"/volunteers/{volunteer_id}/status", json={"status": status}, headers=headers
            )
            assert moved.status_code == 200
        db = await asyncpg.connect(url)
        try:
            # A year passes: the first day active moves back rather than the clock forward.
            await db.execute(
                "UPDATE volunteers SET first_active_at = $1", now() - dt.timedelta(days=366)
            )

            async def announced() -> bool:
                found: int = await db.fetchval(
                    "SELECT count(*) FROM outbox "
                    "WHERE event_type = 'volunteers.milestone_reached.v1'"
                )
                return found == 1

            await wait_for(announced, within=10)
            await asyncio.sleep(0.5)  # a few more sweeps
            assert await announced()
        finally:
            await db.close()


@pytest.mark.parametrize("hours", [-1, 24.5, "many", 1.234])
async def test_bad_hours_are_refused_naming_the_field(service: Volunteers, hours: object) -> None:
    volunteer_id = await service.active_volunteer()
    shift_id = await worked(service, volunteer_id, PAST, 3)
    refused = await service.client.put(
        f"/shifts/{shift_id}/completions/{volunteer_id}",
        json={"hours": hours},
        headers=service.headers,
    )
    assert refused.status_code == 422
    assert refused.json()["errors"][0]["field"] == "body.hours"
