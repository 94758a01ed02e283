"""The subject access export: everything the courses service holds about one participant, as
JSON, for their course coordinator or an administrator, audited as a read of personal data."""

from tests.integration.courses.conftest import COORDINATOR, PAST, Courses
from tests.support.tokens import bearer

CONSENT = {"guardian_name": "Hendrika Exportouder", "relationship": "guardian",
           "guardian_phone": "0499 55 44 33", "given_on": "2026-02-01"}  # fmt: skip


async def test_the_export_holds_everything_kept_about_the_participant(courses: Courses) -> None:
    minor = await courses.participant(
        "Exporteke",
        family_name="Inzage",
        email="exporteke@example.org",
        age_band="12-17",
        target_group="youth",
        guardian_consent=CONSENT,
    )
    await courses.ok(
        "POST",
        f"/participants/{minor}/guardian-consents",
        {**CONSENT, "guardian_name": "Tweede Ouder", "relationship": "parent"},
    )
    course = await courses.activity(kind="teen", title="Tienerclub", capacity=5)
    enrolment = await courses.enrol(course["activity_id"], minor)
    session = await courses.session(course["activity_id"])
    await courses.ok(
        "POST",
        f"/sessions/{session['session_id']}/attendance",
        {"entries": [{"participant_id": minor, "present": False}]},
    )
    referral = await courses.ok(
        "POST",
        "/youth-referrals",
        {"participant_id": minor, "centre_id": "sint-maartensdal", "date": str(PAST),
         "association": "Scouts Kessel-Lo"},
    )  # fmt: skip
    other = await courses.participant("Iemandanders")
    await courses.enrol(course["activity_id"], other)

    response = await courses.client.get(f"/participants/{minor}/export", headers=COORDINATOR)

    assert response.status_code == 200, response.text
    export = response.json()
    person = export["participant"]
    assert (person["given_name"], person["family_name"], person["email"]) == (
        "Exporteke", "Inzage", "exporteke@example.org",
    )  # fmt: skip
    assert (person["age_band"], person["target_group"], person["erased_at"]) == (
        "12-17", "youth", None,
    )  # fmt: skip
    assert [c["guardian_name"] for c in export["guardian_consents"]] == [
        "Hendrika Exportouder", "Tweede Ouder",
    ]  # fmt: skip
    enrolled = [(e["enrolment_id"], e["activity_title"], e["status"]) for e in export["enrolments"]]
    assert enrolled == [(enrolment["enrolment_id"], "Tienerclub", "enrolled")]
    assert [(a["session_id"], a["present"]) for a in export["attendance"]] == [
        (session["session_id"], False)
    ]
    assert [(r["referral_id"], r["association"]) for r in export["youth_referrals"]] == [
        (referral["referral_id"], "Scouts Kessel-Lo")
    ]
    actions = [entry["action"] for entry in export["audit_trail"]]
    for action in ("participant.register", "participant.guardian_consent", "enrolment.create",
                   "referral.create", "participant.export"):  # fmt: skip
        assert action in actions, action
    # The pseudonym exists but is not shown: it would link the person to the published events.
    assert export["pseudonym_issued"] is True
    keys = {str(e.data["participant_key"]) for e in await courses.settled()
            if e.data.get("participant_key")}  # fmt: skip
    assert keys and not [key for key in keys if key in response.text]
    assert "course-coord-1" not in response.text, "staff are named by role, not by id"
    assert other not in response.text and "Iemandanders" not in response.text
    assert (
        await courses.count(
            "SELECT count(*) FROM audit_log WHERE action = 'participant.export' AND record_id = $1",
            minor,
        )
        == 1
    )


async def test_a_participant_without_events_has_no_pseudonym_yet(courses: Courses) -> None:
    person = await courses.participant("Nieuweling")
    export = await courses.ok("GET", f"/participants/{person}/export")
    assert export["pseudonym_issued"] is False
    assert (export["enrolments"], export["attendance"], export["youth_referrals"]) == ([], [], [])
    assert await courses.count("SELECT count(*) FROM pseudonyms") == 0, "the export issues none"


async def test_after_erasure_the_export_shows_what_remains(courses: Courses) -> None:
    person = await courses.participant("Uitgewist", phone="0470 12 21 12")
    course = await courses.activity()
    await courses.enrol(course["activity_id"], person)
    await courses.ok("POST", f"/participants/{person}/erasure")

    response = await courses.client.get(f"/participants/{person}/export", headers=COORDINATOR)

    export = response.json()
    assert export["participant"]["given_name"] is None
    assert export["participant"]["erased_at"] is not None
    assert export["pseudonym_issued"] is False, "the pseudonym was forgotten"
    assert [e["status"] for e in export["enrolments"]] == ["cancelled"]
    assert "Uitgewist" not in response.text and "12 21 12" not in response.text


async def test_only_the_participants_coordinator_or_an_admin_may_export(courses: Courses) -> None:
    person = await courses.participant("Privé")
    url = f"/participants/{person}/export"
    for headers, status in (
        (bearer("centre_coordinator", ["sint-maartensdal"]), 403),
        (bearer("volunteer_coordinator", ["all"]), 403),
        (bearer("kitchen_staff", ["sint-maartensdal"]), 403),
        (bearer("course_coordinator", ["wilsele-dorp"]), 404),
        ({}, 401),
        (bearer("admin", ["all"]), 200),
        (bearer("course_coordinator", ["sint-maartensdal"]), 200),
    ):
        response = await courses.client.get(url, headers=headers)
        assert response.status_code == status, (headers, response.text)
    assert (
        await courses.count("SELECT count(*) FROM audit_log WHERE action = 'participant.export'")
        == 2
    )
