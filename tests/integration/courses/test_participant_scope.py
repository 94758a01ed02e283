"""A participant of another centre cannot be pulled into a centre's offer by their id: enrolling,
referring or recording them needs a token that sees them (and would then show their contact data).
"""

from tests.integration.courses.conftest import PAST, Courses
from tests.support.tokens import bearer

CENTRE = "sint-maartensdal"
LOCAL = bearer("course_coordinator", [CENTRE], sub="course-coord-sm")


async def test_a_participant_of_another_centre_is_not_found_by_a_centres_coordinator(
    courses: Courses,
) -> None:
    elsewhere = await courses.participant("Elders", centre_id="mannenstraat", age_band="18-25")
    course = await courses.activity()
    drop_in = await courses.activity(mode="drop_in", capacity=None, kind="other")
    session = await courses.session(drop_in["activity_id"])

    attempts = {
        "enrol": await courses.post(
            f"/activities/{course['activity_id']}/enrolments",
            {"participant_id": elsewhere},
            headers=LOCAL,
        ),
        "refer": await courses.post(
            "/youth-referrals",
            {
                "participant_id": elsewhere,
                "centre_id": CENTRE,
                "date": PAST.isoformat(),
                "association": "Chiro",
            },
            headers=LOCAL,
        ),
        "attendance": await courses.post(
            f"/sessions/{session['session_id']}/attendance",
            {"entries": [{"participant_id": elsewhere}]},
            headers=LOCAL,
        ),
    }
    fields = {
        "enrol": "body.participant_id",
        "refer": "body.participant_id",
        "attendance": "body.entries.0.participant_id",
    }
    for name, response in attempts.items():
        assert response.status_code == 404, (name, response.text)
        assert response.json()["errors"][0]["field"] == fields[name]
        assert "Elders" not in response.text
    assert (
        await courses.client.get(f"/participants/{elsewhere}", headers=LOCAL)
    ).status_code == 404
    assert await courses.count("SELECT count(*) FROM enrolments") == 0
    assert await courses.count("SELECT count(*) FROM youth_referrals") == 0
    assert await courses.count("SELECT count(*) FROM attendance") == 0

    # A coordinator whose token covers both centres may bring them in.
    enrolled = await courses.post(
        f"/activities/{course['activity_id']}/enrolments", {"participant_id": elsewhere}
    )
    assert enrolled.status_code == 201, enrolled.text
