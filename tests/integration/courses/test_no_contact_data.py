"""No contact data in any event or log: a participant's name, phone, e-mail, birth date, their
guardian's name and phone, and even their internal id stay inside the courses service."""

import logging

import pytest

from tests.integration.courses.conftest import PAST, Courses

ADULT = {
    "centre_id": "sint-maartensdal",
    "given_name": "Zsófia",
    "family_name": "Vanderkerckhove-Quist",
    "phone": "+32 470 55 66 77",
    "email": "zsofia.quist@example.org",
    "birth_date": "1961-07-23",
    "target_group": "newcomers",
    "neighbourhood": "Heverlee",
}
MINOR = {
    "centre_id": "sint-maartensdal",
    "given_name": "Quirijn",
    "family_name": "Vanderkerckhove-Quist",
    "birth_date": "2013-02-11",
    "target_group": "youth",
    "neighbourhood": "Heverlee",
    "guardian_consent": {
        "guardian_name": "Bartholomeus Quist",
        "relationship": "parent",
        "guardian_phone": "0499 12 12 12",
        "given_on": "2026-02-01",
    },
}
SECRETS = [
    "Zsófia",
    "Zs\\u00f3fia",
    "Vanderkerckhove",
    "Quist",
    "Quirijn",
    "Bartholomeus",
    "470 55 66 77",
    "470556677",
    "0499 12 12 12",
    "499121212",
    "zsofia",
    "example.org",
    "1961-07-23",
    "2013-02-11",
]


async def test_no_contact_data_in_any_event_or_log(
    courses: Courses, caplog: pytest.LogCaptureFixture, capsys: pytest.CaptureFixture[str]
) -> None:
    caplog.set_level(logging.DEBUG)
    adult = (await courses.ok("POST", "/participants", ADULT))["participant_id"]
    minor = (await courses.ok("POST", "/participants", MINOR))["participant_id"]
    others = [await courses.participant(f"Other{i}") for i in range(2)]
    duplicate = await courses.post("/participants", ADULT)
    assert duplicate.status_code == 409
    await courses.ok("PATCH", f"/participants/{adult}", {"phone": "+32 470 55 66 78"})
    await courses.ok("GET", f"/participants/{adult}")
    await courses.ok("POST", "/participants/search", {"name": "Zsóf"})

    course = await courses.activity(capacity=1)
    seat = await courses.enrol(course["activity_id"], adult)
    await courses.enrol(course["activity_id"], others[0])
    await courses.ok("POST", f"/enrolments/{seat['enrolment_id']}/cancel")
    teen = await courses.activity(kind="teen", title="Tienerclub", capacity=5)
    teen_seat = await courses.enrol(teen["activity_id"], minor)
    session = await courses.session(teen["activity_id"])
    await courses.ok(
        "POST",
        f"/sessions/{session['session_id']}/attendance",
        {"entries": [{"participant_id": minor}]},
    )
    await courses.ok("POST", f"/sessions/{session['session_id']}/hold")
    await courses.ok("POST", f"/enrolments/{teen_seat['enrolment_id']}/complete")

    group = await courses.activity(kind="conversation_group", mode="drop_in", capacity=None)
    drop_in = await courses.session(group["activity_id"])
    await courses.ok(
        "POST",
        f"/sessions/{drop_in['session_id']}/attendance",
        {"entries": [{"participant_id": adult}, {"participant_id": others[1]}, {"count": 3}]},
    )
    referral = await courses.ok(
        "POST",
        "/youth-referrals",
        {
            "participant_id": minor,
            "centre_id": "sint-maartensdal",
            "date": str(PAST),
            "association": "KSA Heverlee",
        },
    )
    await courses.ok(
        "POST",
        f"/youth-referrals/{referral['referral_id']}/outcome",
        {"outcome": "joined", "date": str(PAST)},
    )
    await courses.ok("PUT", f"/desk-contacts/sint-maartensdal/{PAST}/housing", {"count": 3})
    await courses.ok("PUT", f"/computer-corner-visits/sint-maartensdal/{PAST}", {"visits": 7})

    events = await courses.settled()
    assert {e.type for e in events} == {
        "courses.activity_published.v1",
        "courses.enrolment_changed.v1",
        "courses.session_scheduled.v1",
        "courses.attendance_recorded.v1",
        "courses.session_held.v1",
        "courses.youth_referral_recorded.v1",
        "courses.youth_referral_outcome_recorded.v1",
        "courses.desk_contacts_recorded.v1",
        "courses.computer_corner_visits_recorded.v1",
    }
    ids = [adult, minor, *others]
    published = [e.body.decode() + repr(e.headers) for e in events]
    stored_events = [row["data"] for row in await courses.db.fetch("SELECT data FROM outbox")]
    audit_rows = [str(dict(row)) for row in await courses.db.fetch("SELECT * FROM audit_log")]
    service_logs = [
        record.getMessage()
        for record in caplog.records
        if not record.name.startswith(("httpx", "httpcore"))  # the test's own client
    ]
    stdout = [
        line for line in capsys.readouterr().out.splitlines() if '"logger": "httpx"' not in line
    ]
    for secret in [*SECRETS, "470 55 66 78"]:
        for where, texts in (
            ("published events", published),
            ("the outbox", stored_events),
            ("the audit log", audit_rows),
            ("the logs", service_logs + stdout),
        ):
            leaked = [t for t in texts if secret.lower() in t.lower()]
            assert leaked == [], f"{secret!r} appears in {where}: {leaked[:1]}"
    for participant_id in ids:
        assert not [p for p in published if participant_id in p], "internal ids stay inside"
    keys = {e.data.get("participant_key") for e in events} - {None}
    assert len(keys) == 4, "each person is one stable pseudonym"
    # The audit log still says who did what to which participant record.
    assert any(adult in row for row in audit_rows)
