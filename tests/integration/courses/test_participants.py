"""Participants: contact data kept here, a guardian's consent for minors, audited reads."""

import datetime as dt
import json
from typing import Any

import pytest

from courses.domain import clock
from tests.integration.courses.conftest import COORDINATOR, Courses
from tests.support.tokens import bearer

CONSENT = {"guardian_name": "Fatima El Amrani", "relationship": "parent", "given_on": "2026-03-02"}


def years_ago(years: int, days: int = 0) -> str:
    """The local date `years` ago (28 February for 29 February) minus `days`."""
    today = clock.today()
    try:
        then = today.replace(year=today.year - years)
    except ValueError:
        then = today.replace(year=today.year - years, day=28)
    return (then - dt.timedelta(days=days)).isoformat()


def minor(**fields: Any) -> dict[str, Any]:
    return {
        "centre_id": "wilsele-dorp",
        "given_name": "Yusuf",
        "family_name": "El Amrani",
        "birth_date": years_ago(13),
        "target_group": "youth",
        "neighbourhood": "Wilsele",
        **fields,
    }


async def test_a_minor_is_refused_without_a_guardians_consent(courses: Courses) -> None:
    for body in (minor(), minor(birth_date=None, age_band="12-17")):
        response = await courses.post("/participants", body)
        assert response.status_code == 422, response.text
        assert response.json()["errors"] == [
            {
                "field": "body.guardian_consent",
                "reason": "a minor's data is kept only with a parent's or guardian's consent",
            }
        ]
    # The day before their eighteenth birthday they are still a minor.
    almost = await courses.post("/participants", minor(birth_date=years_ago(18, days=-1)))
    assert almost.status_code == 422
    assert await courses.count("SELECT count(*) FROM participants") == 0


async def test_a_minors_consent_is_recorded_with_them(courses: Courses) -> None:
    created = await courses.ok("POST", "/participants", minor(guardian_consent=CONSENT))
    assert (created["minor"], created["age_band"]) == (True, "12-17")
    consent = created["guardian_consent"]
    assert (consent["guardian_name"], consent["relationship"], consent["given_on"]) == (
        "Fatima El Amrani",
        "parent",
        "2026-03-02",
    )
    row = await courses.db.fetchrow("SELECT * FROM guardian_consents")
    assert row is not None and str(row["participant_id"]) == created["participant_id"]
    assert row["recorded_by"] == "course-coord-1"


async def test_an_adult_is_registered_without_and_never_with_a_consent(courses: Courses) -> None:
    adult = {**minor(), "birth_date": years_ago(18), "given_name": "Adam"}
    assert (await courses.ok("POST", "/participants", adult))["minor"] is False
    with_consent = await courses.post(
        "/participants", {**adult, "given_name": "Eva", "guardian_consent": CONSENT}
    )
    assert with_consent.status_code == 422
    assert with_consent.json()["errors"][0]["field"] == "body.guardian_consent"


@pytest.mark.parametrize(
    ("changes", "field", "reason"),
    [
        ({"birth_date": None}, "body.birth_date", "give the birth date or an age band"),
        ({"age_band": "26-64"}, "body.age_band", "not both"),
        ({"birth_date": None, "age_band": "unknown"}, "body.age_band", "known age band"),
        ({"birth_date": "2999-01-01"}, "body.birth_date", "lies in the future"),
        ({"neighbourhood": "Kerkstraat 12"}, "body.neighbourhood", "unknown neighbourhood"),
        ({"email": "not-an-address"}, "body.email", "String should match pattern"),
        ({"phone": "call me"}, "body.phone", "String should match pattern"),
        ({"given_name": "  "}, "body.given_name", "at least 1 character"),
        ({"target_group": "vips"}, "body.target_group", "unknown target group"),
        ({"nickname": "Yus"}, "body.nickname", "Extra inputs are not permitted"),
    ],
)
async def test_bad_participants_are_refused_naming_the_field(
    courses: Courses, changes: dict[str, Any], field: str, reason: str
) -> None:
    body = {**minor(guardian_consent=CONSENT), **changes}
    response = await courses.post("/participants", body)
    assert response.status_code == 422, response.text
    errors = {e["field"]: e["reason"] for e in response.json()["errors"]}
    assert reason in errors[field], errors
    assert await courses.count("SELECT count(*) FROM participants") == 0


async def test_the_same_person_is_not_registered_twice(courses: Courses) -> None:
    first = await courses.ok("POST", "/participants", minor(guardian_consent=CONSENT))
    again = await courses.post(
        "/participants",
        minor(given_name="yusuf", family_name="EL AMRANI", guardian_consent=CONSENT),
    )
    assert again.status_code == 409
    assert first["participant_id"] in again.json()["detail"]


async def test_becoming_a_minor_by_correction_needs_a_consent(courses: Courses) -> None:
    person = await courses.participant("Lina", age_band="18-25")
    url = f"/participants/{person}"
    refused = await courses.client.patch(url, json={"age_band": "12-17"}, headers=COORDINATOR)
    assert refused.status_code == 422
    assert refused.json()["errors"][0]["field"] == "body.guardian_consent"
    assert (await courses.ok("GET", url))["age_band"] == "18-25"
    not_a_minor = await courses.post(f"{url}/guardian-consents", CONSENT)
    assert not_a_minor.status_code == 422

    corrected = await courses.ok(
        "PATCH", url, {"birth_date": years_ago(16), "guardian_consent": CONSENT}
    )
    assert (corrected["minor"], corrected["age_band"]) == (True, "12-17")
    assert corrected["guardian_consent"]["guardian_name"] == "Fatima El Amrani"
    renewed = await courses.ok(
        "POST", f"{url}/guardian-consents", {**CONSENT, "relationship": "guardian"}
    )
    assert renewed["guardian_consent"]["relationship"] == "guardian"
    assert await courses.count("SELECT count(*) FROM guardian_consents") == 2


async def test_changing_contact_data_is_audited_without_the_values(courses: Courses) -> None:
    person = await courses.participant("Maria", phone="016 11 22 33")
    changed = await courses.ok(
        "PATCH", f"/participants/{person}", {"phone": "0470 99 88 77", "neighbourhood": "Heverlee"}
    )
    assert (changed["phone"], changed["neighbourhood"]) == ("0470 99 88 77", "Heverlee")
    details = await courses.db.fetchval(
        "SELECT details FROM audit_log WHERE action = 'participant.update'"
    )
    assert json.loads(details) == {"fields": ["neighbourhood", "phone"], "guardian_consent": False}
    birth = await courses.ok("PATCH", f"/participants/{person}", {"birth_date": "1950-01-01"})
    assert (birth["birth_date"], birth["age_band"]) == ("1950-01-01", "65+")
    bad = await courses.client.patch(
        f"/participants/{person}", json={"neighbourhood": "Elders"}, headers=COORDINATOR
    )
    assert bad.status_code == 422 and bad.json()["errors"][0]["field"] == "body.neighbourhood"


async def test_reading_contact_data_is_audited(courses: Courses) -> None:
    person = await courses.participant("Maria", phone="016 11 22 33", email="maria@example.org")
    read = await courses.ok("GET", f"/participants/{person}")
    assert (read["phone"], read["email"]) == ("016 11 22 33", "maria@example.org")
    await courses.ok("GET", "/participants?centre_id=sint-maartensdal")
    await courses.ok("POST", "/participants/search", {"name": "mari"})
    rows = await courses.db.fetch(
        "SELECT action, actor, record_id, details FROM audit_log "
        "WHERE action LIKE 'participant.%' AND action <> 'participant.register' ORDER BY id"
    )
    assert [(r["action"], r["actor"]) for r in rows] == [
        ("participant.read", "course-coord-1"),
        ("participant.list", "course-coord-1"),
        ("participant.list", "course-coord-1"),
    ]
    assert rows[0]["record_id"] == person
    assert json.loads(rows[2]["details"])["by_name"] is True
    assert "mari" not in rows[2]["details"].lower()


async def test_search_and_listing_see_the_callers_centres_only(courses: Courses) -> None:
    maria = await courses.participant("Maria", family_name="Peeters")
    await courses.participant("Marc", family_name="Janssens", centre_id="mannenstraat")
    await courses.participant("Anna", family_name="Maes")
    found = await courses.ok("POST", "/participants/search", {"name": "MAR"})
    assert [p["given_name"] for p in found["items"]] == ["Marc", "Maria"]

    local = bearer("course_coordinator", ["mannenstraat"], sub="course-coord-2")
    scoped = await courses.ok("POST", "/participants/search", {"name": "mar"}, headers=local)
    assert [p["given_name"] for p in scoped["items"]] == ["Marc"]
    hidden = await courses.client.get(f"/participants/{maria}", headers=local)
    assert hidden.status_code == 404

    # Taking part in Mannenstraat's offer makes Maria visible to Mannenstraat's staff.
    activity = await courses.activity(centre_id="mannenstraat")
    await courses.enrol(activity["activity_id"], maria)
    scoped = await courses.ok("POST", "/participants/search", {"name": "mar"}, headers=local)
    assert [p["given_name"] for p in scoped["items"]] == ["Marc", "Maria"]
    assert (await courses.client.get(f"/participants/{maria}", headers=local)).status_code == 200

    listed = await courses.ok("GET", "/participants?centre_id=sint-maartensdal&limit=1")
    assert (listed["total"], [p["family_name"] for p in listed["items"]]) == (2, ["Maes"])
    assert "phone" not in listed["items"][0]
    centre_staff = bearer("centre_coordinator", ["all"])
    assert (await courses.client.get("/participants", headers=centre_staff)).status_code == 403
