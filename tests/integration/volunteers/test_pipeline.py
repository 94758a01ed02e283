"""The pipeline: only the catalogue's transitions, each dated, attributed and announced."""

import datetime as dt
from itertools import product

from buurtwerk_shared.contracts.events.volunteers import ALLOWED_TRANSITIONS
from tests.integration.volunteers.conftest import CENTRE, OTHER_COORDINATOR, PATH_TO, Volunteers

STATUSES = list(PATH_TO)
FORBIDDEN = [
    (current, target)
    for current, target in product(STATUSES, STATUSES)
    if target not in ALLOWED_TRANSITIONS[current]  # type: ignore[index]
]


async def test_an_applicant_starts_as_applied_and_is_announced(service: Volunteers) -> None:
    created = await service.volunteer(applied_at="2026-09-01T10:00:00+02:00", group_ids=[])
    assert created["status"] == "applied"
    [event] = await service.events("volunteers.volunteer_status_changed.v1")
    assert dt.datetime.fromisoformat(event.pop("changed_at")) == dt.datetime(
        2026, 9, 1, 8, tzinfo=dt.UTC
    )
    assert event == {
        "volunteer_id": created["volunteer_id"],
        "status": "applied",
        "previous_status": None,
        "centre_ids": [CENTRE],
        "group_ids": [],
    }


async def test_every_allowed_transition_is_dated_attributed_and_announced(
    service: Volunteers,
) -> None:
    volunteer_id = (await service.volunteer())["volunteer_id"]
    walk = ["intake", "onboarding", "active", "paused", "active", "left", "applied", "left"]
    moments = []
    for status in walk:
        changed_at = dt.datetime.now(dt.UTC)
        moments.append(changed_at)
        view = await service.ok(
            "POST",
            f"/volunteers/{volunteer_id}/status",
            json={"status": status, "changed_at": changed_at.isoformat()},
        )
        assert view["status"] == status
    history = await service.ok("GET", f"/volunteers/{volunteer_id}/status-history")
    assert [(h["previous_status"], h["status"]) for h in history] == list(
        zip([None, "applied", *walk], ["applied", *walk], strict=False)
    )
    assert {h["changed_by"] for h in history} == {"coord-vol-1"}
    events = await service.events("volunteers.volunteer_status_changed.v1")
    assert [(e["previous_status"], e["status"]) for e in events] == [
        (h["previous_status"], h["status"]) for h in history
    ]
    assert [dt.datetime.fromisoformat(e["changed_at"]) for e in events[1:]] == moments
    view = await service.ok("GET", f"/volunteers/{volunteer_id}")
    assert view["first_active_at"] is not None


async def test_each_allowed_transition_is_accepted(service: Volunteers) -> None:
    allowed = [(a, b) for a, targets in ALLOWED_TRANSITIONS.items() for b in sorted(targets)]
    assert len(allowed) == 11
    for current, target in allowed:
        volunteer_id = (await service.volunteer())["volunteer_id"]
        await service.move(volunteer_id, *PATH_TO[current])
        view = await service.move(volunteer_id, target)
        assert view["status"] == target, (current, target)
    events = await service.events("volunteers.volunteer_status_changed.v1")
    moves = {(e["previous_status"], e["status"]) for e in events}
    assert set(allowed) <= moves


async def test_every_forbidden_transition_is_refused_and_changes_nothing(
    service: Volunteers,
) -> None:
    assert len(FORBIDDEN) == 25  # 36 pairs, 11 allowed by the catalogue
    for current, target in FORBIDDEN:
        volunteer_id = (await service.volunteer())["volunteer_id"]
        await service.move(volunteer_id, *PATH_TO[current])
        changes = await service.count("SELECT count(*) FROM status_changes")
        outbox = await service.count("SELECT count(*) FROM outbox")

        refused = await service.client.post(
            f"/volunteers/{volunteer_id}/status",
            json={"status": target},
            headers=service.headers,
        )

        assert refused.status_code == 409, (current, target, refused.text)
        problem = refused.json()
        assert problem["type"].endswith("/transition-not-allowed")
        assert problem["errors"][0]["field"] == "body.status"
        assert f"from '{current}'" in problem["detail"]
        view = await service.ok("GET", f"/volunteers/{volunteer_id}")
        assert view["status"] == current, (current, target)
        assert await service.count("SELECT count(*) FROM status_changes") == changes
        assert await service.count("SELECT count(*) FROM outbox") == outbox


async def test_a_change_cannot_be_dated_before_the_last_one_or_in_the_future(
    service: Volunteers,
) -> None:
    created = await service.volunteer(applied_at="2026-09-01T10:00:00+02:00")
    url = f"/volunteers/{created['volunteer_id']}/status"
    earlier = await service.client.post(
        url,
        json={"status": "intake", "changed_at": "2026-08-31T10:00:00+02:00"},
        headers=service.headers,
    )
    assert earlier.status_code == 422
    assert earlier.json()["errors"][0]["field"] == "body.changed_at"
    future = (dt.datetime.now(dt.UTC) + dt.timedelta(days=1)).isoformat()
    later = await service.client.post(
        url, json={"status": "intake", "changed_at": future}, headers=service.headers
    )
    assert later.status_code == 422
    assert later.json()["errors"][0]["field"] == "body.changed_at"
    assert (await service.ok("GET", url.removesuffix("/status")))["status"] == "applied"


async def test_pausing_takes_the_volunteer_off_the_shifts_still_to_come(
    service: Volunteers,
) -> None:
    volunteer_id = await service.active_volunteer()
    tomorrow = dt.date.today() + dt.timedelta(days=2)
    past_day = dt.date.today() - dt.timedelta(days=7)
    upcoming = await service.shift(tomorrow, "09:00", "12:00")
    past = await service.shift(past_day, "09:00", "12:00")
    for shift_id in (upcoming, past):
        assert (await service.assign(shift_id, volunteer_id)).status_code == 201

    await service.move(volunteer_id, "paused")

    upcoming_view = await service.ok("GET", f"/shifts/{upcoming}")
    past_view = await service.ok("GET", f"/shifts/{past}")
    assert upcoming_view["roster"] == []
    assert [r["volunteer_id"] for r in past_view["roster"]] == [volunteer_id]
    changes = await service.events("volunteers.shift_assignment_changed.v1")
    assert [(c["shift_id"], c["assigned"]) for c in changes] == [
        (upcoming, True),
        (past, True),
        (upcoming, False),
    ]
    refused = await service.assign(upcoming, volunteer_id)
    assert refused.status_code == 409
    assert refused.json()["type"].endswith("/volunteer-not-schedulable")


async def test_a_coordinator_only_moves_volunteers_of_their_centres(service: Volunteers) -> None:
    volunteer_id = (await service.volunteer())["volunteer_id"]
    refused = await service.client.post(
        f"/volunteers/{volunteer_id}/status", json={"status": "intake"}, headers=OTHER_COORDINATOR
    )
    assert refused.status_code == 404
    assert (await service.ok("GET", f"/volunteers/{volunteer_id}"))["status"] == "applied"
