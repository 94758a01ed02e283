"""Erasure on request: a participant's personal data is gone from every table, their pseudonym
forgotten, their seat given to the next one waiting, the figures still add up, and it is audited."""

import datetime as dt
import json

from courses.domain import clock
from tests.integration.courses.conftest import COORDINATOR, PAST, Courses
from tests.support.databases import tables_holding
from tests.support.tokens import bearer

MINOR = {
    "centre_id": "sint-maartensdal",
    "given_name": "Wieneke",
    "family_name": "Wisvanger",
    "phone": "0470 31 41 59",
    "email": "wieneke.wisvanger@example.org",
    "birth_date": "2013-05-17",
    "target_group": "youth",
    "neighbourhood": "Heverlee",
    "guardian_consent": {
        "guardian_name": "Gijsbrecht Wisvanger",
        "relationship": "parent",
        "guardian_phone": "0499 27 18 28",
        "given_on": "2026-01-15",
    },
}
# The neighbourhood is a coarse attribute that events carry: the row forgets it (below), the
# published events keep it.
TRACES = ["Wieneke", "Wisvanger", "Gijsbrecht", "470 31 41 59", "0499 27 18 28",
          "wieneke.wisvanger", "2013-05-17"]  # fmt: skip
SOON = clock.today() + dt.timedelta(days=7)


async def test_erasure_leaves_no_personal_data_and_keeps_the_figures(courses: Courses) -> None:
    registered = await courses.client.post(
        "/participants",
        json=MINOR,
        headers={**COORDINATOR, "Idempotency-Key": "intake-wieneke"},
    )
    assert registered.status_code == 201, registered.text
    wieneke = registered.json()["participant_id"]
    waiting = await courses.participant("Wachtende")
    course = await courses.activity(kind="teen", title="Tienerclub", capacity=1)
    held = await courses.session(course["activity_id"])
    # A session to come: the freed seat is worth giving to the one waiting.
    await courses.session(course["activity_id"], day=SOON)
    seat = await courses.enrol(course["activity_id"], wieneke)
    queued = await courses.enrol(course["activity_id"], waiting)
    await courses.ok(
        "POST",
        f"/sessions/{held['session_id']}/attendance",
        {"entries": [{"participant_id": wieneke}]},
    )
    await courses.ok("POST", f"/sessions/{held['session_id']}/hold")
    referral = await courses.ok(
        "POST",
        "/youth-referrals",
        {"participant_id": wieneke, "centre_id": "sint-maartensdal", "date": str(PAST),
         "association": "Chiro Heverlee"},
    )  # fmt: skip
    assert await tables_holding(courses.db, TRACES), "the test data is really there before"
    before = await courses.settled()
    key = next(
        e.data["participant_key"] for e in before if e.type == "courses.enrolment_changed.v1"
    )
    assert await courses.count("SELECT count(*) FROM pseudonyms WHERE key = $1", key) == 1

    erased = await courses.ok("POST", f"/participants/{wieneke}/erasure")

    assert erased["cancelled_enrolment_ids"] == [seat["enrolment_id"]]
    assert (erased["enrolments"], erased["attendances"], erased["youth_referrals"]) == (1, 1, 1)
    assert await tables_holding(courses.db, TRACES) == {}
    assert await courses.count("SELECT count(*) FROM pseudonyms WHERE key = $1", key) == 0
    # The seat goes to the one waiting, announced; the erased participant's last event is their
    # cancellation, under the pseudonym the statistics already hold.
    events = await courses.settled()
    changes = [
        (e.data["enrolment_id"], e.data["status"])
        for e in events[len(before) :]
        if e.type == "courses.enrolment_changed.v1"
    ]
    assert changes == [(seat["enrolment_id"], "cancelled"), (queued["enrolment_id"], "promoted")]
    assert events[len(before)].data["participant_key"] == key
    # The figures stay: the session held, its attendance, the referral and its outcome.
    session = await courses.ok("GET", f"/sessions/{held['session_id']}")
    assert session["attendees"] == 1
    attendance = await courses.ok("GET", f"/sessions/{held['session_id']}/attendance")
    assert [(a["participant_id"], a["present"]) for a in attendance["items"]] == [(wieneke, True)]
    outcome = await courses.ok(
        "POST", f"/youth-referrals/{referral['referral_id']}/outcome",
        {"outcome": "joined", "date": str(PAST)},
    )  # fmt: skip
    assert outcome["outcome"] == "joined", "a referral's outcome names nobody"
    view = await courses.ok("GET", f"/participants/{wieneke}")
    assert (view["given_name"], view["family_name"], view["phone"], view["email"]) == (None,) * 4
    assert (view["birth_date"], view["neighbourhood"], view["guardian_consent"]) == (None,) * 3
    assert (view["age_band"], view["target_group"]) == ("12-17", "youth")
    assert view["erased_at"] is not None
    listed = await courses.ok("GET", "/participants")
    assert wieneke not in [p["participant_id"] for p in listed["items"]]

    audited = await courses.db.fetch(
        "SELECT actor, role, details FROM audit_log "
        "WHERE action = 'participant.erase' AND record_id = $1",
        wieneke,
    )
    assert [(r["actor"], r["role"], json.loads(r["details"])) for r in audited] == [
        ("course-coord-1", "course_coordinator", {"reason": "request", "cancelled_enrolments": 1})
    ]


async def test_nothing_new_is_recorded_for_an_erased_participant(courses: Courses) -> None:
    person = await courses.participant("Verdwenen")
    course = await courses.activity()
    group = await courses.activity(kind="conversation_group", mode="drop_in", capacity=None)
    drop_in = await courses.session(group["activity_id"])
    await courses.ok("POST", f"/participants/{person}/erasure")
    consent = MINOR["guardian_consent"]
    for method, url, body in (
        ("POST", f"/participants/{person}/erasure", None),
        ("PATCH", f"/participants/{person}", {"phone": "0470 00 00 01"}),
        ("POST", f"/participants/{person}/guardian-consents", consent),
        ("POST", f"/activities/{course['activity_id']}/enrolments", {"participant_id": person}),
        ("POST", f"/sessions/{drop_in['session_id']}/attendance",
         {"entries": [{"participant_id": person}]}),
        ("POST", "/youth-referrals", {"participant_id": person, "centre_id": "sint-maartensdal",
                                      "date": str(PAST), "association": "KSA"}),
    ):  # fmt: skip
        response = await courses.client.request(method, url, json=body, headers=COORDINATOR)
        assert response.status_code == 409, (url, response.text)
        assert response.json()["type"].endswith("/erased")


async def test_only_the_participants_coordinator_or_an_admin_may_erase(courses: Courses) -> None:
    person = await courses.participant("Beschermd")
    url = f"/participants/{person}/erasure"
    for headers, status in (
        (bearer("centre_coordinator", ["sint-maartensdal"]), 403),
        (bearer("volunteer_coordinator", ["all"]), 403),
        (bearer("analyst", ["all"]), 403),
        (bearer("course_coordinator", ["wilsele-dorp"]), 404),
        ({}, 401),
    ):
        response = await courses.client.post(url, headers=headers)
        assert response.status_code == status, (headers, response.text)
    assert (await courses.ok("GET", f"/participants/{person}"))["erased_at"] is None
    erased = await courses.client.post(url, headers=bearer("admin", ["all"]))
    assert erased.status_code == 200, erased.text
    malformed = await courses.client.post("/participants/nope/erasure", headers=COORDINATOR)
    assert malformed.status_code == 422
    assert malformed.json()["errors"][0]["field"] == "path.participant_id"
