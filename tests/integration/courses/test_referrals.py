"""Youth referrals to associations, and their later outcome."""

import datetime as dt

from courses.domain import clock
from tests.integration.courses.conftest import Courses

CONSENT = {"guardian_name": "Sara Janssens", "relationship": "parent", "given_on": "2026-01-05"}


async def young(courses: Courses, name: str = "Noah", band: str = "12-17") -> str:
    return await courses.participant(
        name,
        centre_id="wilsele-dorp",
        age_band=band,
        target_group="youth",
        guardian_consent=CONSENT,
    )


async def test_a_referral_and_its_outcome_are_announced(courses: Courses) -> None:
    noah = await young(courses)
    referral = await courses.ok(
        "POST",
        "/youth-referrals",
        {
            "participant_id": noah,
            "centre_id": "wilsele-dorp",
            "date": "2026-03-04",
            "association": "Chiro Wilsele",
        },
    )
    assert (referral["age_band"], referral["outcome"]) == ("12-17", None)
    (recorded,) = await courses.wait_events("courses.youth_referral_recorded.v1", 1)
    assert recorded.data == {
        "referral_id": referral["referral_id"],
        "centre_id": "wilsele-dorp",
        "date": "2026-03-04",
        "association": "Chiro Wilsele",
        "participant_key": recorded.data["participant_key"],
        "age_band": "12-17",
    }
    assert recorded.data["participant_key"] != noah

    url = f"/youth-referrals/{referral['referral_id']}/outcome"
    unknown = await courses.ok("POST", url, {"outcome": "unknown", "date": "2026-03-20"})
    assert unknown["outcome"] == "unknown"
    joined = await courses.ok("POST", url, {"outcome": "joined", "date": "2026-04-15"})
    assert (joined["outcome"], joined["outcome_date"]) == ("joined", "2026-04-15")
    await courses.ok("POST", url, {"outcome": "joined", "date": "2026-04-15"})
    await courses.settled()
    outcomes = courses.events("courses.youth_referral_outcome_recorded.v1")
    assert [e.data for e in outcomes] == [
        {
            "referral_id": referral["referral_id"],
            "centre_id": "wilsele-dorp",
            "date": day,
            "outcome": outcome,
        }
        for outcome, day in (("unknown", "2026-03-20"), ("joined", "2026-04-15"))
    ]
    pending = await courses.ok("GET", "/youth-referrals?pending=true")
    assert pending["total"] == 0
    listed = await courses.ok("GET", "/youth-referrals?centre_id=wilsele-dorp&outcome=joined")
    assert [r["referral_id"] for r in listed["items"]] == [referral["referral_id"]]


async def test_referrals_are_for_young_people(courses: Courses) -> None:
    adult = await courses.participant("Oma", centre_id="wilsele-dorp", age_band="65+")
    toddler = await courses.participant(
        "Baby", centre_id="wilsele-dorp", age_band="3-5", guardian_consent=CONSENT
    )
    for person in (adult, toddler):
        response = await courses.post(
            "/youth-referrals",
            {
                "participant_id": person,
                "centre_id": "wilsele-dorp",
                "date": "2026-03-04",
                "association": "Jeugdhuis",
            },
        )
        assert response.status_code == 422
        assert response.json()["errors"][0]["field"] == "body.participant_id"
    assert await courses.count("SELECT count(*) FROM youth_referrals") == 0


async def test_bad_referrals_and_outcomes_are_refused(courses: Courses) -> None:
    noah = await young(courses)
    body = {
        "participant_id": noah,
        "centre_id": "wilsele-dorp",
        "date": "2026-03-04",
        "association": "Chiro Wilsele",
    }
    tomorrow = (clock.today() + dt.timedelta(days=1)).isoformat()
    for changes, field in (
        ({"date": tomorrow}, "body.date"),
        ({"association": "bel leider Tom: 0499 11 22 33"}, "body.association"),
        ({"centre_id": "nowhere"}, "body.centre_id"),
    ):
        response = await courses.post("/youth-referrals", {**body, **changes})
        assert response.status_code == 422, response.text
        assert response.json()["errors"][0]["field"] == field
    referral = await courses.ok("POST", "/youth-referrals", body)
    url = f"/youth-referrals/{referral['referral_id']}/outcome"
    for outcome, field in (
        ({"outcome": "joined", "date": "2026-03-01"}, "body.date"),
        ({"outcome": "maybe", "date": "2026-03-05"}, "body.outcome"),
    ):
        response = await courses.post(url, outcome)
        assert response.status_code == 422, response.text
        assert response.json()["errors"][0]["field"] == field
    assert (await courses.ok("GET", f"/youth-referrals/{referral['referral_id']}"))[
        "outcome"
    ] is None
