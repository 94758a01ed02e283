"""A shift not yet started can be cancelled or need another number of volunteers: the volunteers
on it are named in `volunteers.shift_changed.v1`, the change is audited, a cancelled shift leaves
the gaps and takes no one, and a shift that started no longer changes."""

import datetime as dt
from typing import Any

from tests.integration.volunteers.conftest import OTHER_COORDINATOR, Volunteers
from volunteers.domain.clock import BRUSSELS


def in_days(days: int) -> dt.date:
    """A Brussels date `days` from today."""
    return dt.datetime.now(BRUSSELS).date() + dt.timedelta(days=days)


async def audit_rows(service: Volunteers, shift_id: str) -> list[tuple[str, str]]:
    """The writes audited on the shift: (action, details)."""
    rows = await service.db.fetch(
        "SELECT action, details::text AS details FROM audit_log "
        "WHERE record_id = $1 AND action IN ('shift.cancel', 'shift.change') ORDER BY at",
        shift_id,
    )
    return [(r["action"], r["details"]) for r in rows]


async def test_a_cancelled_shift_tells_its_volunteers_and_leaves_the_gaps(
    service: Volunteers,
) -> None:
    shift_id = await service.shift(in_days(3), "10:00", "13:00", needed=3)
    first, second = await service.active_volunteer(), await service.active_volunteer()
    for volunteer_id in (first, second):
        assert (await service.assign(shift_id, volunteer_id)).status_code == 201
    short = await service.ok("GET", "/shifts/understaffed", params={"days": 7})
    assert [s["shift_id"] for s in short["items"]] == [shift_id]

    cancelled = await service.ok("POST", f"/shifts/{shift_id}/cancellation")

    assert cancelled["cancelled_at"] is not None
    assert cancelled["missing"] == 0 and cancelled["assigned"] == 0
    short = await service.ok("GET", "/shifts/understaffed", params={"days": 7})
    assert short["items"] == []
    listed = await service.ok("GET", "/shifts", params={"understaffed": "false"})
    assert [s["shift_id"] for s in listed["items"]] == [shift_id]
    (event,) = await service.events("volunteers.shift_changed.v1")
    assert event["shift_id"] == shift_id
    assert event["change"] == "cancelled"
    assert sorted(event["volunteer_ids"]) == sorted([first, second])
    assert event["needed"] == event["previous_needed"] == 3
    # Off the shift, so free for another at that time; each withdrawal is announced as usual.
    withdrawals = [
        e
        for e in await service.events("volunteers.shift_assignment_changed.v1")
        if not e["assigned"]
    ]
    assert sorted(e["volunteer_id"] for e in withdrawals) == sorted([first, second])
    elsewhere = await service.shift(in_days(3), "11:00", "12:00", needed=1)
    assert (await service.assign(elsewhere, first)).status_code == 201
    assert await audit_rows(service, shift_id) == [("shift.cancel", '{"volunteers": 2}')]

    # A cancelled shift takes no one and is not cancelled twice.
    refused = await service.assign(shift_id, second)
    assert refused.status_code == 409 and refused.json()["type"].endswith("/shift-cancelled")
    again = await service.client.post(f"/shifts/{shift_id}/cancellation", headers=service.headers)
    assert again.status_code == 409 and again.json()["type"].endswith("/shift-cancelled")
    assert len(await service.events("volunteers.shift_changed.v1")) == 1


async def test_the_number_needed_changes_but_never_below_those_on_the_shift(
    service: Volunteers,
) -> None:
    shift_id = await service.shift(in_days(2), "14:00", "16:00", needed=1)
    volunteer_id = await service.active_volunteer()
    assert (await service.assign(shift_id, volunteer_id)).status_code == 201

    raised: dict[str, Any] = await service.ok("PATCH", f"/shifts/{shift_id}", json={"needed": 3})

    assert (raised["needed"], raised["assigned"], raised["missing"]) == (3, 1, 2)
    (event,) = await service.events("volunteers.shift_changed.v1")
    assert (event["change"], event["needed"], event["previous_needed"]) == ("needed", 3, 1)
    assert event["volunteer_ids"] == [volunteer_id]

    too_low = await service.client.patch(
        f"/shifts/{shift_id}", json={"needed": 0}, headers=service.headers
    )
    assert too_low.status_code == 422 and "body.needed" in too_low.text
    lowered = await service.ok("PATCH", f"/shifts/{shift_id}", json={"needed": 1})
    assert lowered["missing"] == 0
    second = await service.active_volunteer()
    full = await service.assign(shift_id, second)
    assert full.status_code == 409
    # Raising and lowering again: the second is on it, so 1 is now too few.
    await service.ok("PATCH", f"/shifts/{shift_id}", json={"needed": 2})
    assert (await service.assign(shift_id, second)).status_code == 201
    below = await service.client.patch(
        f"/shifts/{shift_id}", json={"needed": 1}, headers=service.headers
    )
    assert below.status_code == 409
    assert below.json()["type"].endswith("/below-assigned")
    assert below.json()["errors"][0]["field"] == "body.needed"
    # The same number again changes nothing and announces nothing.
    await service.ok("PATCH", f"/shifts/{shift_id}", json={"needed": 2})
    changes = await service.events("volunteers.shift_changed.v1")
    assert [(e["needed"], e["previous_needed"]) for e in changes] == [(3, 1), (1, 3), (2, 1)]
    assert [action for action, _ in await audit_rows(service, shift_id)] == ["shift.change"] * 3


async def test_a_shift_that_started_or_of_another_centre_does_not_change(
    service: Volunteers,
) -> None:
    today = dt.datetime.now(BRUSSELS).date()
    started = await service.shift(today - dt.timedelta(days=1), "09:00", "10:00", needed=1)
    for method, path, body in (
        ("POST", f"/shifts/{started}/cancellation", None),
        ("PATCH", f"/shifts/{started}", {"needed": 2}),
    ):
        response = await service.client.request(method, path, json=body, headers=service.headers)
        assert response.status_code == 409, response.text
        assert response.json()["type"].endswith("/shift-started")
    upcoming = await service.shift(in_days(1), "09:00", "10:00", needed=1)
    foreign = await service.client.post(
        f"/shifts/{upcoming}/cancellation", headers=OTHER_COORDINATOR
    )
    assert foreign.status_code == 403
    missing = await service.client.patch(
        "/shifts/00000000-0000-4000-8000-000000000000", json={"needed": 2}, headers=service.headers
    )
    assert missing.status_code == 404
    assert await service.events("volunteers.shift_changed.v1") == []
