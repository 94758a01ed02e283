"""Partners and activities: drafts, publication, listing, roles and centre scope."""

from typing import Any

import pytest

from tests.integration.courses.conftest import COORDINATOR, Courses
from tests.support.tokens import bearer

MANNENSTRAAT_COORDINATOR = bearer("centre_coordinator", ["mannenstraat"], sub="centre-coord-1")
MANNENSTRAAT_COURSES = bearer("course_coordinator", ["mannenstraat"], sub="course-coord-2")


async def test_partners_come_from_the_reference_data(courses: Courses) -> None:
    partners = await courses.ok("GET", "/partners")
    assert [p["partner_id"] for p in partners] == [
        "open-school",
        "link-in-de-kabel",
        "diversiteitsdienst",
        "buren-voor-wijken",
    ]
    assert partners[1] == {
        "partner_id": "link-in-de-kabel",
        "nl": "Link in de Kabel",
        "en": "Link in de Kabel",
    }


async def test_publishing_a_draft_announces_the_activity(courses: Courses) -> None:
    draft = await courses.activity(publish=False, target_groups=["seniors", "seniors", "youth"])
    assert draft["status"] == "draft" and draft["published_at"] is None
    assert draft["target_groups"] == ["seniors", "youth"]
    assert courses.events() == []

    published = await courses.ok("POST", f"/activities/{draft['activity_id']}/publish")
    assert published["status"] == "published"
    (event,) = await courses.wait_events("courses.activity_published.v1", 1)
    assert event.data == {
        "activity_id": draft["activity_id"],
        "centre_id": "sint-maartensdal",
        "kind": "computer_course",
        "title": "Digitaal basis",
        "partner": "link-in-de-kabel",
        "target_groups": ["seniors", "youth"],
        "capacity": 4,
        "mode": "enrolment",
        "published_at": event.data["published_at"],
    }
    assert event.headers["ce-subject"] == draft["activity_id"]
    assert event.headers["ce-source"] == "/buurtwerk/courses"

    again = await courses.post(f"/activities/{draft['activity_id']}/publish")
    assert again.status_code == 409
    assert len(await courses.settled()) == 1


async def test_a_draft_changes_freely_a_published_one_keeps_its_kind(courses: Courses) -> None:
    draft = await courses.activity(publish=False)
    url = f"/activities/{draft['activity_id']}"
    changed = await courses.ok("PATCH", url, {"capacity": 6, "description": "Zes plaatsen"})
    assert (changed["capacity"], changed["description"], changed["title"]) == (
        6,
        "Zes plaatsen",
        "Digitaal basis",
    )
    cleared = await courses.client.patch(url, json={"title": None}, headers=COORDINATOR)
    assert cleared.status_code == 422
    assert cleared.json()["errors"][0]["field"] == "body.title"
    no_seats = await courses.client.patch(url, json={"capacity": None}, headers=COORDINATOR)
    assert no_seats.status_code == 422
    assert no_seats.json()["errors"][0]["field"] == "body.capacity"

    await courses.ok("POST", f"{url}/publish")
    for field, value in (("kind", "other"), ("mode", "drop_in")):
        refused = await courses.client.patch(url, json={field: value}, headers=COORDINATOR)
        assert refused.status_code == 409
        assert refused.json()["errors"][0]["field"] == f"body.{field}"
    assert (await courses.ok("GET", url))["kind"] == "computer_course"


@pytest.mark.parametrize(
    ("changes", "field", "reason"),
    [
        ({"capacity": None}, "body.capacity", "needs a capacity"),
        ({"capacity": 0}, "body.capacity", "greater than 0"),
        ({"kind": "karaoke"}, "body.kind", "Input should be"),
        ({"partner": "acme"}, "body.partner", "unknown partner 'acme'"),
        ({"centre_id": "atlantis"}, "body.centre_id", "unknown centre 'atlantis'"),
        ({"target_groups": ["pirates"]}, "body.target_groups.0", "unknown target group"),
        ({"title": "Bel Jan op 0470 12 34 56"}, "body.title", "phone number"),
        ({"title": "Info: jan@example.org"}, "body.title", "e-mail address"),
        ({"mode": "sometimes"}, "body.mode", "Input should be"),
    ],
)
async def test_bad_activities_are_refused_naming_the_field(
    courses: Courses, changes: dict[str, Any], field: str, reason: str
) -> None:
    body = {
        "centre_id": "sint-maartensdal",
        "kind": "computer_course",
        "title": "Digitaal basis",
        "mode": "enrolment",
        "capacity": 4,
        **changes,
    }
    response = await courses.post("/activities", body)
    assert response.status_code == 422, response.text
    errors = {e["field"]: e["reason"] for e in response.json()["errors"]}
    assert reason in errors[field]
    assert await courses.count("SELECT count(*) FROM activities") == 0


async def test_a_drop_in_group_needs_no_capacity(courses: Courses) -> None:
    group = await courses.activity(
        centre_id="mannenstraat",
        kind="conversation_group",
        title="Kom binnen / Combinne",
        partner="diversiteitsdienst",
        mode="drop_in",
        capacity=None,
    )
    assert (group["mode"], group["capacity"], group["status"]) == ("drop_in", None, "published")
    (event,) = await courses.wait_events("courses.activity_published.v1", 1)
    assert event.data["mode"] == "drop_in"
    assert "capacity" not in event.data, "an optional field without a value is left out"


async def test_listing_is_filtered_paginated_and_scoped_to_the_callers_centres(
    courses: Courses,
) -> None:
    for title in ("Computer 1", "Computer 2", "Computer 3"):
        await courses.activity(title=title)
    await courses.activity(publish=False, title="Computer concept")
    await courses.activity(
        centre_id="mannenstraat",
        kind="language_lesson",
        title="Nederlands 1",
        partner="open-school",
        target_groups=["newcomers"],
    )

    page = await courses.ok("GET", "/activities?centre_id=sint-maartensdal&limit=2")
    assert (page["total"], page["limit"], page["offset"], len(page["items"])) == (4, 2, 0, 2)
    assert [a["title"] for a in page["items"]] == ["Computer concept", "Computer 3"]
    rest = await courses.ok("GET", "/activities?centre_id=sint-maartensdal&limit=2&offset=2")
    assert [a["title"] for a in rest["items"]] == ["Computer 2", "Computer 1"]

    drafts = await courses.ok("GET", "/activities?status=draft")
    assert [a["title"] for a in drafts["items"]] == ["Computer concept"]
    newcomers = await courses.ok("GET", "/activities?target_group=newcomers&partner=open-school")
    assert [a["title"] for a in newcomers["items"]] == ["Nederlands 1"]

    own = await courses.ok("GET", "/activities", headers=MANNENSTRAAT_COORDINATOR)
    assert [a["centre_id"] for a in own["items"]] == ["mannenstraat"]
    other = await courses.client.get(
        "/activities?centre_id=sint-maartensdal", headers=MANNENSTRAAT_COORDINATOR
    )
    assert other.status_code == 403
    bad = await courses.client.get("/activities?kind=karaoke", headers=MANNENSTRAAT_COORDINATOR)
    assert bad.status_code == 422 and bad.json()["errors"][0]["field"] == "query.kind"


@pytest.mark.parametrize(
    ("headers", "status"),
    [
        ({}, 401),
        (bearer("centre_coordinator", ["sint-maartensdal"]), 403),
        (bearer("kitchen_staff", ["sint-maartensdal"]), 403),
        (bearer("analyst", ["all"]), 403),
        (MANNENSTRAAT_COURSES, 403),
        (bearer("course_coordinator", ["sint-maartensdal"]), 201),
        (bearer("admin", ["all"]), 201),
    ],
)
async def test_course_coordinators_of_the_centre_create_activities(
    courses: Courses, headers: dict[str, str], status: int
) -> None:
    body = {
        "centre_id": "sint-maartensdal",
        "kind": "teen",
        "title": "Tienerwerking",
        "mode": "drop_in",
    }
    response = await courses.client.post("/activities", json=body, headers=headers)
    assert response.status_code == status, response.text


async def test_another_centres_activity_is_out_of_reach(courses: Courses) -> None:
    activity = await courses.activity(publish=False)
    url = f"/activities/{activity['activity_id']}"
    assert (await courses.client.get(url, headers=MANNENSTRAAT_COURSES)).status_code == 403
    publish = await courses.client.post(f"{url}/publish", headers=MANNENSTRAAT_COURSES)
    assert publish.status_code == 403
    missing = await courses.client.get(
        "/activities/00000000-0000-4000-8000-000000000000", headers=MANNENSTRAAT_COURSES
    )
    assert missing.status_code == 404
    assert missing.json()["errors"][0]["field"] == "path.activity_id"
