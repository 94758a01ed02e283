"""A guardian withdraws their consent: it is recorded with its date, and a minor left without a
consent that stands is erased at once (a minor's data is kept only with one)."""

import json

from courses.domain import clock
from tests.integration.courses.conftest import COORDINATOR, Courses
from tests.integration.courses.test_participants import CONSENT, minor, years_ago
from tests.support.databases import tables_holding

SECOND = {"guardian_name": "Jozefien Voogd", "relationship": "guardian", "given_on": "2026-03-05"}


async def test_withdrawing_the_last_consent_erases_the_minor(courses: Courses) -> None:
    created = await courses.ok("POST", "/participants", minor(guardian_consent=CONSENT))
    person = created["participant_id"]
    first = created["guardian_consent"]["consent_id"]
    with_second = await courses.ok("POST", f"/participants/{person}/guardian-consents", SECOND)
    second = with_second["guardian_consent"]["consent_id"]
    course = await courses.activity(kind="teen", title="Tienerclub")
    await courses.enrol(course["activity_id"], person)

    one = await courses.ok(
        "POST",
        f"/participants/{person}/guardian-consents/{first}/withdrawal",
        {"withdrawn_on": "2026-03-20"},
    )

    assert one["consent"]["withdrawn_on"] == "2026-03-20"
    assert one["participant_erased"] is False, "the other guardian's consent still stands"
    view = await courses.ok("GET", f"/participants/{person}")
    assert (view["given_name"], view["guardian_consent"]["consent_id"]) == ("Yusuf", second)

    last = await courses.ok(
        "POST", f"/participants/{person}/guardian-consents/{second}/withdrawal", {}
    )

    assert last["consent"]["withdrawn_on"] == clock.today().isoformat()
    assert last["participant_erased"] is True
    view = await courses.ok("GET", f"/participants/{person}")
    assert (view["given_name"], view["erased_at"] is not None) == (None, True)
    assert await tables_holding(courses.db, ["Yusuf", "Fatima", "Jozefien"]) == {}
    (cancelled,) = [
        e for e in await courses.settled()
        if e.type == "courses.enrolment_changed.v1" and e.data["status"] == "cancelled"
    ]  # fmt: skip
    assert cancelled.data["activity_id"] == course["activity_id"]
    audited = await courses.db.fetch(
        "SELECT action, details FROM audit_log WHERE record_id = $1 "
        "AND action IN ('participant.guardian_consent_withdrawn', 'participant.erase') ORDER BY id",
        person,
    )
    assert [(r["action"], json.loads(r["details"]).get("reason")) for r in audited] == [
        ("participant.guardian_consent_withdrawn", None),
        ("participant.guardian_consent_withdrawn", None),
        ("participant.erase", "guardian_consent_withdrawn"),
    ]


async def test_an_adult_who_had_a_guardians_consent_is_not_erased(courses: Courses) -> None:
    created = await courses.ok("POST", "/participants", minor(guardian_consent=CONSENT))
    person = created["participant_id"]
    # A corrected birth date: the participant turns out to be of age.
    await courses.ok("PATCH", f"/participants/{person}", {"birth_date": years_ago(19)})

    withdrawn = await courses.ok(
        "POST",
        f"/participants/{person}/guardian-consents/{created['guardian_consent']['consent_id']}"
        "/withdrawal",
        {},
    )

    assert withdrawn["participant_erased"] is False
    assert (await courses.ok("GET", f"/participants/{person}"))["given_name"] == "Yusuf"


async def test_bad_withdrawals_are_refused_naming_the_field(courses: Courses) -> None:
    created = await courses.ok("POST", "/participants", minor(guardian_consent=CONSENT))
    person = created["participant_id"]
    consent = created["guardian_consent"]["consent_id"]
    other = await courses.ok(
        "POST", "/participants", minor(given_name="Amal", guardian_consent=CONSENT)
    )
    url = f"/participants/{person}/guardian-consents"
    for path, body, status, field in (
        (f"{url}/{other['guardian_consent']['consent_id']}/withdrawal", {}, 404, "path.consent_id"),
        (f"{url}/00000000-0000-4000-8000-000000000000/withdrawal", {}, 404, "path.consent_id"),
        (f"{url}/{consent}/withdrawal", {"withdrawn_on": "2026-03-01"}, 422, "body.withdrawn_on"),
        (f"{url}/{consent}/withdrawal", {"withdrawn_on": "2999-01-01"}, 422, "body.withdrawn_on"),
        (f"{url}/{consent}/withdrawal", {"reason": "x"}, 422, "body.reason"),
        (f"{url}/not-a-uuid/withdrawal", {}, 422, "path.consent_id"),
    ):
        response = await courses.client.post(path, json=body, headers=COORDINATOR)
        assert response.status_code == status, (path, body, response.text)
        assert response.json()["errors"][0]["field"] == field, response.text
    # A second consent keeps the minor on file, so the first can be withdrawn, but only once.
    await courses.ok("POST", url, {**CONSENT, "guardian_name": "Tweede"})
    await courses.ok("POST", f"{url}/{consent}/withdrawal", {})
    again = await courses.client.post(f"{url}/{consent}/withdrawal", json={}, headers=COORDINATOR)
    assert again.status_code == 409
    assert again.json()["type"].endswith("/consent-withdrawn")
