"""The changes real planning needs, at the API with their events and audit rows: a published
activity edited, its capacity raised (the waiting list moves up at once) or lowered to no fewer
than those enrolled; a held session's attendance corrected within 7 days; a no-show."""

import datetime as dt
import json
from typing import Any

import pytest

from courses.domain import clock
from tests.integration.courses.conftest import COORDINATOR, Courses

RECENT = clock.today() - dt.timedelta(days=2)


async def audit(courses: Courses, action: str) -> list[dict[str, Any]]:
    """The audit rows of an action, oldest first: the record and the details."""
    rows = await courses.db.fetch(
        "SELECT record_id, details FROM audit_log WHERE action = $1 ORDER BY id", action
    )
    return [{"record_id": r["record_id"], **json.loads(r["details"])} for r in rows]


async def test_raising_the_capacity_seats_those_waiting_at_once(courses: Courses) -> None:
    activity = await courses.activity(capacity=1)
    url = f"/activities/{activity['activity_id']}"
    people = [await courses.participant(f"P{i}") for i in range(3)]
    enrolments = [await courses.enrol(activity["activity_id"], p) for p in people]
    assert [e["status"] for e in enrolments] == ["enrolled", "waitlisted", "waitlisted"]

    raised = await courses.ok("PATCH", url, {"capacity": 2})
    assert (raised["capacity"], raised["seats_taken"], raised["waitlisted"]) == (2, 2, 1)
    promoted = await courses.ok("GET", f"/enrolments/{enrolments[1]['enrolment_id']}")
    assert promoted["status"] == "enrolled"
    still = await courses.ok("GET", f"/enrolments/{enrolments[2]['enrolment_id']}")
    assert (still["status"], still["waitlist_position"]) == ("waitlisted", 1)

    (changed,) = await courses.wait_events("courses.activity_changed.v1", 1)
    assert changed.data["capacity"] == 2
    assert changed.data["changed_fields"] == ["capacity"]
    statuses = [
        e.data["status"] for e in await courses.wait_events("courses.enrolment_changed.v1", 4)
    ]
    assert statuses == ["enrolled", "waitlisted", "waitlisted", "promoted"]
    (row,) = await audit(courses, "activity.change")
    assert (row["fields"], row["capacity"]) == (["capacity"], [1, 2])


async def test_the_capacity_is_lowered_to_no_fewer_than_those_enrolled(courses: Courses) -> None:
    activity = await courses.activity(capacity=4)
    url = f"/activities/{activity['activity_id']}"
    for name in ("A", "B"):
        await courses.enrol(activity["activity_id"], await courses.participant(name))
    too_low = await courses.client.patch(url, json={"capacity": 1}, headers=COORDINATOR)
    assert too_low.status_code == 409
    assert too_low.json()["errors"][0]["field"] == "body.capacity"
    assert "2 participants hold a seat" in too_low.json()["detail"]
    lowered = await courses.ok("PATCH", url, {"capacity": 2})
    assert (lowered["capacity"], lowered["seats_taken"]) == (2, 2)
    third = await courses.enrol(activity["activity_id"], await courses.participant("C"))
    assert third["status"] == "waitlisted"


async def test_a_published_activity_s_title_partner_and_groups_are_edited(
    courses: Courses,
) -> None:
    activity = await courses.activity()
    url = f"/activities/{activity['activity_id']}"
    edited = await courses.ok(
        "PATCH",
        url,
        {
            "title": "Digitaal basis: je smartphone",
            "description": "Vier lessen",
            "partner": "diversiteitsdienst",
            "target_groups": ["seniors", "newcomers"],
        },
    )
    assert (edited["title"], edited["partner"], edited["target_groups"]) == (
        "Digitaal basis: je smartphone",
        "diversiteitsdienst",
        ["seniors", "newcomers"],
    )
    (changed,) = await courses.wait_events("courses.activity_changed.v1", 1)
    assert changed.data["changed_fields"] == ["description", "partner", "target_groups", "title"]
    assert changed.data["target_groups"] == ["seniors", "newcomers"]
    # Saying again what it already says changes nothing and announces nothing.
    await courses.ok("PATCH", url, {"title": "Digitaal basis: je smartphone"})
    await courses.settled()
    assert len(courses.events("courses.activity_changed.v1")) == 1
    cleared = await courses.client.patch(url, json={"title": None}, headers=COORDINATOR)
    assert cleared.status_code == 422


async def held_course_session(courses: Courses, day: dt.date = RECENT) -> tuple[str, list[str]]:
    """A course with two seated participants, one present and one absent at a held session."""
    activity = await courses.activity(capacity=2)
    people = [await courses.participant(name) for name in ("Anna", "Bert")]
    for person in people:
        await courses.enrol(activity["activity_id"], person)
    session = await courses.session(activity["activity_id"], day)
    url = f"/sessions/{session['session_id']}"
    await courses.ok(
        "POST",
        f"{url}/attendance",
        {
            "entries": [
                {"participant_id": people[0]},
                {"participant_id": people[1], "present": False},
            ]
        },
    )
    await courses.ok("POST", f"{url}/hold")
    return session["session_id"], people


async def test_a_held_session_s_attendance_is_corrected_and_published_again(
    courses: Courses,
) -> None:
    session_id, (anna, bert) = await held_course_session(courses)
    first = await courses.wait_events("courses.attendance_recorded.v1", 2)
    corrected = await courses.ok(
        "POST",
        f"/sessions/{session_id}/attendance/correction",
        {
            "participants": [
                {"participant_id": anna, "present": False, "no_show": True},
                {"participant_id": bert, "present": True},
            ]
        },
    )
    assert corrected["session"]["attendees"] == 1
    by_person = {e["participant_id"]: e for e in corrected["entries"]}
    assert (by_person[anna]["present"], by_person[anna]["no_show"]) == (False, True)
    assert by_person[bert]["present"] is True
    assert all(e["corrected_at"] for e in corrected["entries"])

    again = (await courses.wait_events("courses.attendance_recorded.v1", 4))[2:]
    # The same entries, published again: they replace the first ones wherever counted.
    assert {e.data["attendance_id"] for e in again} == {e.data["attendance_id"] for e in first}
    assert {(e.data["present"], e.data["no_show"]) for e in again} == {(False, True), (True, False)}
    (event,) = await courses.wait_events("courses.attendance_corrected.v1", 1)
    assert (event.data["attendees_before"], event.data["attendees"]) == (1, 1)
    (row,) = await audit(courses, "attendance.correct")
    assert (row["record_id"], row["entries"], row["attendees"]) == (session_id, 2, [1, 1])


async def test_anonymous_drop_ins_are_corrected_as_a_new_total(courses: Courses) -> None:
    group = await courses.activity(
        centre_id="mannenstraat",
        kind="conversation_group",
        title="Kom binnen",
        target_groups=["newcomers"],
        mode="drop_in",
        capacity=None,
    )
    session = await courses.session(group["activity_id"], RECENT)
    url = f"/sessions/{session['session_id']}"
    await courses.ok("POST", f"{url}/attendance", {"entries": [{"count": 3}]})
    await courses.ok("POST", f"{url}/attendance", {"entries": [{"count": 2}]})
    await courses.ok("POST", f"{url}/hold")

    fewer = await courses.ok("POST", f"{url}/attendance/correction", {"anonymous": 2})
    assert fewer["session"]["attendees"] == 2
    assert sorted((e["count"], e["present"]) for e in fewer["entries"]) == [(2, False), (2, True)]
    more = await courses.ok("POST", f"{url}/attendance/correction", {"anonymous": 6})
    assert more["session"]["attendees"] == 6
    events = await courses.wait_events("courses.attendance_corrected.v1", 2)
    assert [(e.data["attendees_before"], e.data["attendees"]) for e in events] == [(5, 2), (2, 6)]
    present = await courses.count(
        "SELECT sum(count) FROM attendance WHERE session_id = $1 AND present",
        session["session_id"],
    )
    assert present == 6


@pytest.mark.parametrize(
    ("body", "status", "field"),
    [
        ({"anonymous": 3}, 422, "body.anonymous"),
        (
            {"participants": [{"participant_id": "ANNA", "present": True, "no_show": True}]},
            422,
            "body.participants.0.no_show",
        ),
    ],
)
async def test_bad_corrections_are_refused_whole(
    courses: Courses, body: dict[str, Any], status: int, field: str
) -> None:
    session_id, (anna, _) = await held_course_session(courses)
    for entry in body.get("participants", []):
        entry["participant_id"] = anna
    response = await courses.post(f"/sessions/{session_id}/attendance/correction", body)
    assert response.status_code == status, response.text
    assert response.json()["errors"][0]["field"] == field
    assert (
        await courses.count("SELECT count(*) FROM attendance WHERE corrected_at IS NOT NULL") == 0
    )


async def test_attendance_is_corrected_only_within_7_days_of_a_held_session(
    courses: Courses,
) -> None:
    old_id, (anna, _) = await held_course_session(courses, clock.today() - dt.timedelta(days=8))
    body = {"participants": [{"participant_id": anna, "present": False}]}
    late = await courses.post(f"/sessions/{old_id}/attendance/correction", body)
    assert late.status_code == 409
    assert late.json()["type"].endswith("/correction-window-closed")

    activity = await courses.activity()
    scheduled = await courses.session(activity["activity_id"], RECENT)
    not_held = await courses.post(
        f"/sessions/{scheduled['session_id']}/attendance/correction", {"participants": []}
    )
    assert not_held.status_code == 409
    assert not_held.json()["type"].endswith("/session-not-held")
