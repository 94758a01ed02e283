"""Sessions scheduled, cancelled with a reason, held with attendance; attendance for enrolled
participants and for known or anonymous drop-ins in one model."""

import datetime as dt
from typing import Any

import pytest

from courses.domain import clock
from tests.integration.courses.conftest import PAST, Courses
from tests.support.tokens import bearer


async def drop_in_group(courses: Courses) -> dict[str, Any]:
    return await courses.activity(
        centre_id="mannenstraat",
        kind="conversation_group",
        title="Kom binnen / Combinne",
        partner="diversiteitsdienst",
        target_groups=["newcomers"],
        mode="drop_in",
        capacity=None,
    )


async def test_weekly_sessions_keep_their_local_time_across_summer_time(courses: Courses) -> None:
    activity = await courses.activity()
    scheduled = await courses.ok(
        "POST",
        f"/activities/{activity['activity_id']}/sessions",
        {"date": "2026-03-24", "start_time": "18:00", "end_time": "20:00", "weeks": 3},
    )
    sessions = scheduled["sessions"]
    assert [(s["date"], s["starts_at"], s["ends_at"]) for s in sessions] == [
        ("2026-03-24", "2026-03-24T17:00:00Z", "2026-03-24T19:00:00Z"),
        ("2026-03-31", "2026-03-31T16:00:00Z", "2026-03-31T18:00:00Z"),
        ("2026-04-07", "2026-04-07T16:00:00Z", "2026-04-07T18:00:00Z"),
    ]
    events = await courses.wait_events("courses.session_scheduled.v1", 3)
    assert [dt.datetime.fromisoformat(e.data["starts_at"]) for e in events] == [
        dt.datetime(2026, 3, 24, 18, tzinfo=clock.BRUSSELS),
        dt.datetime(2026, 3, 31, 18, tzinfo=clock.BRUSSELS),
        dt.datetime(2026, 4, 7, 18, tzinfo=clock.BRUSSELS),
    ]
    assert events[0].data["activity_id"] == activity["activity_id"]
    assert events[0].data["centre_id"] == "sint-maartensdal"
    listed = await courses.ok(
        "GET", f"/sessions?activity_id={activity['activity_id']}&from=2026-03-25&to=2026-03-31"
    )
    assert [s["date"] for s in listed["items"]] == ["2026-03-31"]


@pytest.mark.parametrize(
    ("body", "status", "field"),
    [
        (
            {"date": "2026-03-29", "start_time": "02:30", "end_time": "04:00"},
            422,
            "body.start_time",
        ),
        ({"date": "2026-03-10", "start_time": "15:00", "end_time": "14:00"}, 422, "body.end_time"),
        (
            {"date": "2026-03-10", "start_time": "13:30", "end_time": "15:00", "weeks": 53},
            422,
            "body.weeks",
        ),
        (
            {"date": "2026-03-03", "start_time": "13:30", "end_time": "15:00", "weeks": 2},
            409,
            "body.date",
        ),
    ],
)
async def test_bad_schedules_are_refused(
    courses: Courses, body: dict[str, Any], status: int, field: str
) -> None:
    activity = await courses.activity()
    await courses.session(activity["activity_id"], PAST, "13:30", "15:00")
    response = await courses.post(f"/activities/{activity['activity_id']}/sessions", body)
    assert response.status_code == status, response.text
    assert response.json()["errors"][0]["field"] == field
    assert await courses.count("SELECT count(*) FROM sessions") == 1


async def test_sessions_planned_in_a_draft_are_announced_when_it_is_published(
    courses: Courses,
) -> None:
    draft = await courses.activity(publish=False)
    planned = await courses.ok(
        "POST",
        f"/activities/{draft['activity_id']}/sessions",
        {"date": "2026-03-10", "start_time": "13:30", "end_time": "15:00", "weeks": 3},
    )
    first, second, third = (s["session_id"] for s in planned["sessions"])
    dropped = await courses.ok("POST", f"/sessions/{third}/cancel", {"reason": "Krokusvakantie"})
    assert dropped["status"] == "cancelled"
    for action, body in (("hold", None), ("attendance", {"entries": [{"count": 2}]})):
        refused = await courses.post(f"/sessions/{first}/{action}", body)
        assert refused.status_code == 409
        assert refused.json()["type"].endswith("/activity-not-published")
    await courses.settled()
    assert courses.events("courses.session_scheduled.v1") == []
    assert courses.events("courses.session_cancelled.v1") == []

    await courses.ok("POST", f"/activities/{draft['activity_id']}/publish")
    announced = await courses.wait_events("courses.session_scheduled.v1", 2)
    assert [e.data["session_id"] for e in announced] == [first, second]
    await courses.settled()
    assert courses.events("courses.session_cancelled.v1") == []
    assert (
        await courses.count(
            "SELECT (details->>'sessions_announced')::int FROM audit_log WHERE action = $1",
            "activity.publish",
        )
        == 2
    )


async def test_a_session_is_cancelled_with_its_reason(courses: Courses) -> None:
    activity = await courses.activity()
    session = await courses.session(activity["activity_id"])
    url = f"/sessions/{session['session_id']}"
    no_reason = await courses.post(f"{url}/cancel", {})
    assert no_reason.status_code == 422
    assert no_reason.json()["errors"][0]["field"] == "body.reason"
    cancelled = await courses.ok("POST", f"{url}/cancel", {"reason": "Lesgever ziek"})
    assert (cancelled["status"], cancelled["cancel_reason"]) == ("cancelled", "Lesgever ziek")
    (event,) = await courses.wait_events("courses.session_cancelled.v1", 1)
    assert event.data == {
        "session_id": session["session_id"],
        "activity_id": activity["activity_id"],
        "centre_id": "sint-maartensdal",
        "starts_at": event.data["starts_at"],
        "reason": "Lesgever ziek",
    }
    assert dt.datetime.fromisoformat(event.data["starts_at"]) == dt.datetime.fromisoformat(
        session["starts_at"]
    )
    for action, body in (("cancel", {"reason": "again"}), ("hold", None)):
        assert (await courses.post(f"{url}/{action}", body)).status_code == 409
    attendance = await courses.post(f"{url}/attendance", {"entries": [{"count": 2}]})
    assert attendance.status_code == 409


async def test_enrolled_participants_attend_and_the_held_session_counts_those_present(
    courses: Courses,
) -> None:
    activity = await courses.activity(capacity=2)
    seated = [await courses.participant(f"S{i}") for i in range(2)]
    waiting = await courses.participant("W")
    for person in (*seated, waiting):
        await courses.enrol(activity["activity_id"], person)
    session = await courses.session(activity["activity_id"])
    url = f"/sessions/{session['session_id']}"

    not_seated = await courses.post(f"{url}/attendance", {"entries": [{"participant_id": waiting}]})
    assert not_seated.status_code == 409
    assert not_seated.json()["errors"][0]["field"] == "body.entries.0.participant_id"
    anonymous = await courses.post(f"{url}/attendance", {"entries": [{"count": 3}]})
    assert anonymous.status_code == 422
    assert anonymous.json()["errors"][0]["field"] == "body.entries.0.participant_id"

    recorded = await courses.ok(
        "POST",
        f"{url}/attendance",
        {
            "entries": [
                {"participant_id": seated[0]},
                {"participant_id": seated[1], "present": False},
            ]
        },
    )
    assert [(e["participant_id"], e["present"], e["count"]) for e in recorded["entries"]] == [
        (seated[0], True, 1),
        (seated[1], False, 1),
    ]
    twice = await courses.post(f"{url}/attendance", {"entries": [{"participant_id": seated[0]}]})
    assert twice.status_code == 409

    held = await courses.ok("POST", f"{url}/hold")
    assert (held["status"], held["attendees"]) == ("held", 1)
    attendance = await courses.wait_events("courses.attendance_recorded.v1", 2)
    assert [(e.data["present"], e.data["count"], e.data["date"]) for e in attendance] == [
        (True, 1, PAST.isoformat()),
        (False, 1, PAST.isoformat()),
    ]
    assert all(e.data["participant_key"] and e.data["age_band"] == "26-64" for e in attendance)
    assert attendance[0].data["target_group"] == "low_income"
    (event,) = await courses.wait_events("courses.session_held.v1", 1)
    assert (event.data["session_id"], event.data["attendees"]) == (session["session_id"], 1)
    late = await courses.post(f"{url}/attendance", {"entries": [{"participant_id": seated[1]}]})
    assert late.status_code == 409
    listed = await courses.ok("GET", f"{url}/attendance")
    assert listed["total"] == 2


async def test_a_drop_in_group_records_known_and_anonymous_visitors(courses: Courses) -> None:
    group = await drop_in_group(courses)
    known = await courses.participant("Amal", centre_id="mannenstraat", target_group="newcomers")
    session = await courses.session(group["activity_id"])
    url = f"/sessions/{session['session_id']}"
    recorded = await courses.ok(
        "POST",
        f"{url}/attendance",
        {
            "entries": [
                {"participant_id": known},
                {"count": 4, "age_band": "26-64", "target_group": "newcomers"},
                {"count": 2},
            ]
        },
    )
    assert [(e["participant_id"], e["count"]) for e in recorded["entries"]] == [
        (known, 1),
        (None, 4),
        (None, 2),
    ]
    held = await courses.ok("POST", f"{url}/hold")
    assert held["attendees"] == 7
    events = await courses.wait_events("courses.attendance_recorded.v1", 3)
    anonymous = [e.data for e in events if "participant_key" not in e.data]
    assert [(a["count"], a["age_band"], a.get("target_group")) for a in anonymous] == [
        (4, "26-64", "newcomers"),
        (2, "unknown", None),
    ]
    assert events[0].data["target_group"] == "newcomers"


@pytest.mark.parametrize(
    ("entries", "field", "reason"),
    [
        ([{"count": 2, "present": False}], "body.entries.0.present", "came"),
        ([{"participant_id": "KNOWN", "present": False}], "body.entries.0.present", "not those"),
        ([{"participant_id": "KNOWN", "count": 2}], "body.entries.0.count", "counts once"),
        ([{"participant_id": "KNOWN", "age_band": "65+"}], "body.entries.0.age_band", "their data"),
        (
            [{"participant_id": "KNOWN"}, {"participant_id": "KNOWN"}],
            "body.entries",
            "more than once",
        ),
        ([{"count": 0}], "body.entries.0.count", "greater than 0"),
        ([], "body.entries", "at least 1 item"),
        (
            [{"count": 1}, {"participant_id": "00000000-0000-4000-8000-000000000000"}],
            "body.entries.1.participant_id",
            "does not exist",
        ),
    ],
)
async def test_bad_attendance_is_refused_whole(
    courses: Courses, entries: list[dict[str, Any]], field: str, reason: str
) -> None:
    group = await drop_in_group(courses)
    known = await courses.participant("Amal")
    session = await courses.session(group["activity_id"])
    body = {
        "entries": [
            {**e, "participant_id": known} if e.get("participant_id") == "KNOWN" else e
            for e in entries
        ]
    }
    response = await courses.post(f"/sessions/{session['session_id']}/attendance", body)
    assert response.status_code in (404, 422), response.text
    errors = {e["field"]: e["reason"] for e in response.json()["errors"]}
    assert reason in errors[field], errors
    assert await courses.count("SELECT count(*) FROM attendance") == 0
    assert (
        await courses.count("SELECT count(*) FROM outbox WHERE event_type LIKE '%attendance%'") == 0
    )


async def test_a_session_to_come_is_neither_attended_nor_held(courses: Courses) -> None:
    group = await drop_in_group(courses)
    session = await courses.session(group["activity_id"], clock.today() + dt.timedelta(days=2))
    url = f"/sessions/{session['session_id']}"
    assert (await courses.post(f"{url}/attendance", {"entries": [{"count": 1}]})).status_code == 409
    assert (await courses.post(f"{url}/hold")).status_code == 409
    cancelled = await courses.ok("POST", f"{url}/cancel", {"reason": "Zaal niet vrij"})
    assert cancelled["status"] == "cancelled"


async def test_sessions_are_read_by_the_centres_coordinator_and_managed_by_courses(
    courses: Courses,
) -> None:
    group = await drop_in_group(courses)
    session = await courses.session(group["activity_id"])
    own = bearer("centre_coordinator", ["mannenstraat"])
    other = bearer("centre_coordinator", ["sint-maartensdal"])
    url = f"/sessions/{session['session_id']}"
    assert (await courses.client.get(url, headers=own)).status_code == 200
    assert (await courses.client.get(url, headers=other)).status_code == 403
    mine = await courses.ok("GET", "/sessions?status=scheduled", headers=own)
    assert mine["total"] == 1
    assert (await courses.ok("GET", "/sessions", headers=other))["total"] == 0
    hold = await courses.client.post(f"{url}/hold", headers=own)
    assert hold.status_code == 403
