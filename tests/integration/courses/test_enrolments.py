"""Enrolment: capacity, a first-come-first-served waiting list that moves up on its own, no
double enrolment, completion, and races for the last seats."""

import asyncio
from typing import Any

import asyncpg
import httpx

from tests.integration.courses.conftest import COORDINATOR, Courses
from tests.support.broker import wait_for


async def _statuses(courses: Courses, activity_id: str) -> list[tuple[str, str, int | None]]:
    """(participant_id, status, waitlist position) in arrival order."""
    page = await courses.ok("GET", f"/enrolments?activity_id={activity_id}&limit=200")
    return [(e["participant_id"], e["status"], e["waitlist_position"]) for e in page["items"]]


async def test_seats_then_a_waiting_list_in_order_of_arrival(courses: Courses) -> None:
    activity = await courses.activity(capacity=2)
    people = [await courses.participant(f"P{i}") for i in range(5)]
    made = [await courses.enrol(activity["activity_id"], p) for p in people]
    assert [(e["status"], e["waitlist_position"]) for e in made] == [
        ("enrolled", None),
        ("enrolled", None),
        ("waitlisted", 1),
        ("waitlisted", 2),
        ("waitlisted", 3),
    ]
    view = await courses.ok("GET", f"/activities/{activity['activity_id']}")
    assert (view["seats_taken"], view["waitlisted"]) == (2, 3)

    events = await courses.wait_events("courses.enrolment_changed.v1", 5)
    assert [e.data["status"] for e in events] == ["enrolled"] * 2 + ["waitlisted"] * 3
    first = events[0].data
    assert set(first) == {
        "enrolment_id",
        "activity_id",
        "centre_id",
        "participant_key",
        "status",
        "changed_at",
        "age_band",
        "target_group",
        "neighbourhood",
    }
    assert (
        first["centre_id"],
        first["age_band"],
        first["target_group"],
        first["neighbourhood"],
    ) == (
        "sint-maartensdal",
        "26-64",
        "low_income",
        "Kessel-Lo",
    )
    keys = [e.data["participant_key"] for e in events]
    assert len(set(keys)) == 5 and not set(keys) & set(people)


async def test_cancelling_a_seat_promotes_the_first_one_waiting(courses: Courses) -> None:
    activity = await courses.activity(capacity=2)
    people = [await courses.participant(f"P{i}") for i in range(5)]
    made = [await courses.enrol(activity["activity_id"], p) for p in people]

    cancelled = await courses.ok("POST", f"/enrolments/{made[0]['enrolment_id']}/cancel")
    assert cancelled["cancelled"]["status"] == "cancelled"
    promoted = cancelled["promoted"]
    assert (promoted["enrolment_id"], promoted["status"]) == (made[2]["enrolment_id"], "enrolled")
    assert promoted["promoted_at"] is not None
    assert await _statuses(courses, activity["activity_id"]) == [
        (people[0], "cancelled", None),
        (people[1], "enrolled", None),
        (people[2], "enrolled", None),
        (people[3], "waitlisted", 1),
        (people[4], "waitlisted", 2),
    ]
    events = await courses.wait_events("courses.enrolment_changed.v1", 7)
    cancel_event, promote_event = events[5].data, events[6].data
    assert (cancel_event["enrolment_id"], cancel_event["status"]) == (
        made[0]["enrolment_id"],
        "cancelled",
    )
    assert (promote_event["enrolment_id"], promote_event["status"]) == (
        made[2]["enrolment_id"],
        "promoted",
    )
    assert promote_event["participant_key"] == events[2].data["participant_key"]
    assert promote_event["changed_at"] == cancel_event["changed_at"]


async def test_leaving_the_waiting_list_moves_the_others_up_without_a_promotion(
    courses: Courses,
) -> None:
    activity = await courses.activity(capacity=1)
    people = [await courses.participant(f"P{i}") for i in range(3)]
    made = [await courses.enrol(activity["activity_id"], p) for p in people]
    left = await courses.ok("POST", f"/enrolments/{made[1]['enrolment_id']}/cancel")
    assert left["promoted"] is None
    assert (await courses.ok("GET", f"/enrolments/{made[2]['enrolment_id']}"))[
        "waitlist_position"
    ] == 1
    await courses.settled()
    assert [e.data["status"] for e in courses.events("courses.enrolment_changed.v1")] == [
        "enrolled",
        "waitlisted",
        "waitlisted",
        "cancelled",
    ]


async def test_no_double_enrolment(courses: Courses) -> None:
    activity = await courses.activity(capacity=1)
    seated, waiting = await courses.participant("A"), await courses.participant("B")
    await courses.enrol(activity["activity_id"], seated)
    waitlisted = await courses.enrol(activity["activity_id"], waiting)
    for participant_id in (seated, waiting):
        again = await courses.post(
            f"/activities/{activity['activity_id']}/enrolments", {"participant_id": participant_id}
        )
        assert again.status_code == 409, again.text
        assert again.json()["errors"][0]["field"] == "body.participant_id"
    # After cancelling, enrolling again is a new request at the end of the queue.
    await courses.ok("POST", f"/enrolments/{waitlisted['enrolment_id']}/cancel")
    back = await courses.enrol(activity["activity_id"], waiting)
    assert (back["status"], back["waitlist_position"]) == ("waitlisted", 1)
    assert await courses.count("SELECT count(*) FROM enrolments") == 3


async def test_completion_keeps_the_seat_and_closes_the_enrolment(courses: Courses) -> None:
    activity = await courses.activity(capacity=1)
    first, second = await courses.participant("A"), await courses.participant("B")
    seat = await courses.enrol(activity["activity_id"], first)
    wait = await courses.enrol(activity["activity_id"], second)

    done = await courses.ok("POST", f"/enrolments/{seat['enrolment_id']}/complete")
    assert done["status"] == "completed"
    assert (await courses.ok("GET", f"/enrolments/{wait['enrolment_id']}"))["status"] == (
        "waitlisted"
    )
    for action in ("complete", "cancel"):
        refused = await courses.post(f"/enrolments/{seat['enrolment_id']}/{action}")
        assert refused.status_code == 409, refused.text
    waiting_completes = await courses.post(f"/enrolments/{wait['enrolment_id']}/complete")
    assert waiting_completes.status_code == 409
    again = await courses.post(
        f"/activities/{activity['activity_id']}/enrolments", {"participant_id": first}
    )
    assert again.status_code == 409
    events = await courses.wait_events("courses.enrolment_changed.v1", 3)
    assert events[2].data["status"] == "completed"


async def test_enrolment_needs_a_published_activity_with_enrolment(courses: Courses) -> None:
    person = await courses.participant()
    draft = await courses.activity(publish=False)
    group = await courses.activity(kind="conversation_group", mode="drop_in", capacity=None)
    for activity, code in ((draft, "activity-not-published"), (group, "drop-in-activity")):
        response = await courses.post(
            f"/activities/{activity['activity_id']}/enrolments", {"participant_id": person}
        )
        assert response.status_code == 409
        assert response.json()["type"].endswith(code)
    unknown = await courses.post(
        f"/activities/{group['activity_id']}/enrolments",
        {"participant_id": "00000000-0000-4000-8000-000000000000"},
    )
    assert unknown.status_code == 409  # the drop-in refusal comes first
    missing = await courses.post(
        f"/activities/{(await courses.activity())['activity_id']}/enrolments",
        {"participant_id": "00000000-0000-4000-8000-000000000000"},
    )
    assert missing.status_code == 404
    assert missing.json()["errors"][0]["field"] == "body.participant_id"


async def test_a_retried_enrolment_with_its_key_enrols_once(courses: Courses) -> None:
    activity = await courses.activity()
    person = await courses.participant()
    url = f"/activities/{activity['activity_id']}/enrolments"
    headers = {**COORDINATOR, "Idempotency-Key": "desk-42-enrol-1"}
    first = await courses.client.post(url, json={"participant_id": person}, headers=headers)
    again = await courses.client.post(url, json={"participant_id": person}, headers=headers)
    assert first.status_code == again.status_code == 201
    assert first.json() == again.json()
    assert await courses.count("SELECT count(*) FROM enrolments") == 1


async def test_concurrent_enrolments_for_the_last_seats(courses: Courses) -> None:
    """Twelve people at once for four seats: exactly four get one, the rest wait in the order
    they got through, with no gap or duplicate in the waiting list."""
    activity = await courses.activity(capacity=4)
    people = [await courses.participant(f"Racer{i}") for i in range(12)]
    responses = await asyncio.gather(
        *(
            courses.post(
                f"/activities/{activity['activity_id']}/enrolments", {"participant_id": person}
            )
            for person in people
        )
    )
    assert [r.status_code for r in responses] == [201] * 12
    rows = await courses.db.fetch(
        "SELECT participant_id::text, status, arrival FROM enrolments WHERE activity_id = $1 "
        "ORDER BY arrival",
        activity["activity_id"],
    )
    assert [row["status"] for row in rows] == ["enrolled"] * 4 + ["waitlisted"] * 8
    statuses = await _statuses(courses, activity["activity_id"])
    assert [s[2] for s in statuses] == [None] * 4 + list(range(1, 9))
    by_person = {r.json()["participant_id"]: r.json() for r in responses}
    assert [by_person[row["participant_id"]]["waitlist_position"] for row in rows[4:]] == list(
        range(1, 9)
    )
    events = await courses.wait_events("courses.enrolment_changed.v1", 12)
    assert sorted(e.data["status"] for e in events) == ["enrolled"] * 4 + ["waitlisted"] * 8


async def _waiting_on_locks(database_url: str) -> int:
    conn = await asyncpg.connect(database_url)
    try:
        waiting: int = await conn.fetchval(
            "SELECT count(*) FROM pg_stat_activity "
            "WHERE datname = current_database() AND wait_event_type = 'Lock'"
        )
        return waiting
    finally:
        await conn.close()


async def test_the_waiting_list_keeps_the_order_in_which_requests_arrived(
    courses: Courses,
) -> None:
    """Hold the activity while six requests arrive one after the other; once released they are
    served in that order: the first two get the seats, the others wait in arrival order."""
    activity = await courses.activity(capacity=2)
    people = [await courses.participant(f"Queue{i}") for i in range(6)]
    tasks: list[asyncio.Task[httpx.Response]] = []
    async with courses.db.transaction():
        await courses.db.execute(
            "SELECT 1 FROM activities WHERE activity_id = $1 FOR UPDATE", activity["activity_id"]
        )
        for arrived, person in enumerate(people, start=1):
            tasks.append(
                asyncio.create_task(
                    courses.post(
                        f"/activities/{activity['activity_id']}/enrolments",
                        {"participant_id": person},
                    )
                )
            )

            async def queued(n: int = arrived) -> bool:
                return await _waiting_on_locks(courses.database_url) == n

            await wait_for(queued)
    responses = [await task for task in tasks]
    outcome = [(r.json()["status"], r.json()["waitlist_position"]) for r in responses]
    assert outcome == [
        ("enrolled", None),
        ("enrolled", None),
        ("waitlisted", 1),
        ("waitlisted", 2),
        ("waitlisted", 3),
        ("waitlisted", 4),
    ]


async def test_concurrent_cancellations_promote_the_first_ones_waiting(courses: Courses) -> None:
    activity = await courses.activity(capacity=4)
    people = [await courses.participant(f"C{i}") for i in range(8)]
    made = [await courses.enrol(activity["activity_id"], p) for p in people]
    cancels = await asyncio.gather(
        *(courses.post(f"/enrolments/{e['enrolment_id']}/cancel") for e in made[:3])
    )
    assert [c.status_code for c in cancels] == [200] * 3
    promoted = sorted(c.json()["promoted"]["participant_id"] for c in cancels)
    assert promoted == sorted(people[4:7])
    assert await _statuses(courses, activity["activity_id"]) == [
        *((p, "cancelled", None) for p in people[:3]),
        *((p, "enrolled", None) for p in people[3:7]),
        (people[7], "waitlisted", 1),
    ]
    events = await courses.wait_events("courses.enrolment_changed.v1", 14)
    assert sorted(e.data["status"] for e in events[8:]) == ["cancelled"] * 3 + ["promoted"] * 3


async def test_a_waiting_list_only_for_the_activitys_own_coordinators(courses: Courses) -> None:
    from tests.support.tokens import bearer

    activity = await courses.activity()
    person = await courses.participant()
    made: dict[str, Any] = await courses.enrol(activity["activity_id"], person)
    other = bearer("course_coordinator", ["mannenstraat"])
    centre = bearer("centre_coordinator", ["sint-maartensdal"])
    assert (
        await courses.client.get(f"/enrolments/{made['enrolment_id']}", headers=other)
    ).status_code == 403
    assert (await courses.client.get("/enrolments", headers=centre)).status_code == 403
    cancel = await courses.client.post(f"/enrolments/{made['enrolment_id']}/cancel", headers=other)
    assert cancel.status_code == 403
    listing = await courses.ok("GET", "/enrolments?centre_id=mannenstraat", headers=other)
    assert listing["total"] == 0
