"""Day tallies: computer-corner visits and welcome-desk contacts per category. A later value for
the same centre and day (and category) replaces the earlier one; the event carries the total."""

import asyncio
import datetime as dt

import pytest

from courses.domain import clock
from tests.integration.courses.conftest import PAST, Courses
from tests.support.tokens import bearer

DESK = bearer("centre_coordinator", ["mannenstraat"], sub="desk-1")


async def test_a_later_visit_total_replaces_the_earlier_one(courses: Courses) -> None:
    url = f"/computer-corner-visits/sint-maartensdal/{PAST}"
    first = await courses.ok("PUT", url, {"visits": 6})
    assert (first["centre_id"], first["date"], first["visits"]) == (
        "sint-maartensdal",
        "2026-03-10",
        6,
    )
    assert (await courses.ok("PUT", url, {"visits": 9}))["visits"] == 9
    assert (await courses.ok("PUT", url, {"visits": 9}))["visits"] == 9
    assert (await courses.ok("POST", f"{url}/add", {"visits": 2}))["visits"] == 11
    assert (await courses.ok("POST", f"{url}/add"))["visits"] == 12
    await courses.settled()
    events = courses.events("courses.computer_corner_visits_recorded.v1")
    assert [e.data for e in events] == [
        {"centre_id": "sint-maartensdal", "date": "2026-03-10", "visits": total}
        for total in (6, 9, 11, 12)
    ]
    assert events[0].headers["ce-subject"] == "sint-maartensdal"
    listed = await courses.ok("GET", "/computer-corner-visits?centre_id=sint-maartensdal")
    assert [(v["date"], v["visits"]) for v in listed["items"]] == [("2026-03-10", 12)]


async def test_concurrent_clicks_at_the_door_all_count(courses: Courses) -> None:
    url = f"/computer-corner-visits/sint-maartensdal/{PAST}/add"
    responses = await asyncio.gather(*(courses.post(url, {"visits": 1}) for _ in range(10)))
    assert sorted(r.json()["visits"] for r in responses) == list(range(1, 11))
    await courses.settled()
    totals = [e.data["visits"] for e in courses.events()]
    # Each event carries the total its click produced, published in commit order.
    assert totals == list(range(1, 11))


async def test_desk_contacts_are_day_totals_per_category(courses: Courses) -> None:
    base = f"/desk-contacts/mannenstraat/{PAST}"
    await courses.ok("PUT", f"{base}/housing", {"count": 5}, headers=DESK)
    await courses.ok("PUT", f"{base}/money", {"count": 2}, headers=DESK)
    await courses.ok("PUT", f"{base}/housing", {"count": 4}, headers=DESK)
    added = await courses.ok("POST", f"{base}/language/add", {"count": 1}, headers=DESK)
    assert (added["category"], added["count"]) == ("language", 1)
    await courses.settled()
    assert [
        (e.data["category"], e.data["count"])
        for e in courses.events("courses.desk_contacts_recorded.v1")
    ] == [("housing", 5), ("money", 2), ("housing", 4), ("language", 1)]
    listed = await courses.ok("GET", "/desk-contacts?centre_id=mannenstraat", headers=DESK)
    assert {(c["category"], c["count"]) for c in listed["items"]} == {
        ("housing", 4),
        ("money", 2),
        ("language", 1),
    }
    housing = await courses.ok(
        "GET", "/desk-contacts?category=housing&from=2026-03-10&to=2026-03-10", headers=DESK
    )
    assert housing["total"] == 1


@pytest.mark.parametrize(
    ("url", "body", "field"),
    [
        ("/computer-corner-visits/atlantis/2026-03-10", {"visits": 1}, "path.centre_id"),
        ("/computer-corner-visits/mannenstraat/2026-13-40", {"visits": 1}, "path.date"),
        ("/computer-corner-visits/mannenstraat/FUTURE", {"visits": 1}, "path.date"),
        ("/computer-corner-visits/mannenstraat/2026-03-10", {"visits": -1}, "body.visits"),
        ("/desk-contacts/mannenstraat/2026-03-10/gossip", {"count": 1}, "path.category"),
        ("/desk-contacts/mannenstraat/2026-03-10/health", {"count": "many"}, "body.count"),
    ],
)
async def test_bad_tallies_are_refused_naming_the_field(
    courses: Courses, url: str, body: dict[str, object], field: str
) -> None:
    url = url.replace("FUTURE", (clock.today() + dt.timedelta(days=1)).isoformat())
    response = await courses.client.put(url, json=body, headers=DESK)
    assert response.status_code == 422, response.text
    assert field in {e["field"] for e in response.json()["errors"]}
    await courses.settled()
    assert courses.events() == []


@pytest.mark.parametrize(
    ("headers", "status"),
    [
        (DESK, 200),
        (bearer("course_coordinator", ["mannenstraat"]), 200),
        (bearer("centre_coordinator", ["sint-maartensdal"]), 403),
        (bearer("kitchen_staff", ["mannenstraat"]), 403),
        (bearer("volunteer_coordinator", ["all"]), 403),
    ],
)
async def test_who_keeps_a_centres_tallies(
    courses: Courses, headers: dict[str, str], status: int
) -> None:
    response = await courses.client.put(
        f"/desk-contacts/mannenstraat/{PAST}/administration", json={"count": 3}, headers=headers
    )
    assert response.status_code == status, response.text
