"""Erasure on request: the personal data is gone from every table, the statistics still add up."""

import datetime as dt
import json

from tests.integration.volunteers.conftest import Volunteers
from tests.support.databases import tables_holding

PERSONAL = {
    "given_name": "Zwanethild",
    "family_name": "Erasmustest",
    "email": "zwanethild.erasmustest@example.org",
    "phone": "+32 470 98 76 54",
    "address": "Kapeldreef 99, 3001 Heverlee",
    "languages": ["nl", "ti"],
    "skills": ["origami-vouwen"],
    "buren_voor_wijken_member_since": "2024-03-01",
}
TRACES = ["Zwanethild", "Erasmustest", "zwanethild.erasmustest", "470 98 76 54", "Kapeldreef",
          "origami-vouwen", "2024-03-01"]  # fmt: skip


async def test_erasure_leaves_no_personal_data_and_keeps_the_statistics(
    service: Volunteers,
) -> None:
    group = await service.ok(
        "POST",
        "/groups",
        201,
        json={"name": "Buurtploeg Heverlee", "kind": "neighbourhood_group",
              "centre_ids": ["mannenstraat"]},
    )  # fmt: skip
    created = await service.ok(
        "POST",
        "/volunteers",
        201,
        json={**PERSONAL, "centre_ids": ["mannenstraat"], "group_ids": [group["group_id"]],
              "consents": [{"purpose": "reminders_sms", "given": True},
                           {"purpose": "photos", "given": True}]},
        headers={**service.headers, "Idempotency-Key": "intake-form-0042"},
    )  # fmt: skip
    volunteer_id = created["volunteer_id"]
    await service.move(volunteer_id, "intake", "onboarding", "active")
    await service.ok(
        "POST", f"/volunteers/{volunteer_id}/qualifications", 201,
        json={"qualification": "food_hygiene", "obtained_on": "2024-01-10"},
    )  # fmt: skip
    await service.ok(
        "PATCH", f"/volunteers/{volunteer_id}", json={"skills": ["origami-vouwen", "koken"]},
        headers={**service.headers, "Idempotency-Key": "patch-0042"},
    )  # fmt: skip
    past = dt.date.today() - dt.timedelta(days=20)
    shift_id = await service.shift(past, "10:00", "14:00", role="kitchen")
    assert (await service.assign(shift_id, volunteer_id)).status_code == 201
    await service.ok(
        "POST", f"/shifts/{shift_id}/completions", 201,
        json={"volunteers": [{"volunteer_id": volunteer_id}]},
    )  # fmt: skip
    upcoming = await service.shift(dt.date.today() + dt.timedelta(days=4), "10:00", "14:00")
    assert (await service.assign(upcoming, volunteer_id)).status_code == 201
    await service.ok(
        "POST", f"/volunteers/{volunteer_id}/allowances", 201,
        json={"date": "2024-06-01", "amount_cents": 1500},
    )  # fmt: skip
    await service.ok(
        "POST", "/appreciations", 201,
        json={"centre_id": "mannenstraat", "kind": "gift", "title": "Bloemen",
              "date": str(past), "volunteer_ids": [volunteer_id]},
    )  # fmt: skip
    assert await tables_holding(service.db, TRACES), "the test data is really there before"
    hours_before = await service.count("SELECT sum(hours) FROM shift_hours")

    erased = await service.ok("POST", f"/volunteers/{volunteer_id}/erasure")

    assert erased["status"] == "left" and erased["total_hours"] == 4.0
    assert await tables_holding(service.db, TRACES) == {}
    view = await service.ok("GET", f"/volunteers/{volunteer_id}")
    assert view["erased"] is True
    assert (view["given_name"], view["email"], view["phone"], view["address"]) == (None,) * 4
    assert (view["languages"], view["skills"], view["consents"], view["qualifications"]) == (
        [], [], [], [],
    )  # fmt: skip
    assert view["buren_voor_wijken_member_since"] is None
    # The statistics still add up: hours, history, group membership, allowances, appreciation.
    assert view["total_hours"] == 4.0
    assert await service.count("SELECT sum(hours) FROM shift_hours") == hours_before
    history = await service.ok("GET", f"/volunteers/{volunteer_id}/status-history")
    assert [h["status"] for h in history] == [
        "applied", "intake", "onboarding", "active", "left",
    ]  # fmt: skip
    assert view["group_ids"] == [group["group_id"]]
    statement = await service.ok(
        "GET", f"/volunteers/{volunteer_id}/allowances/statement", params={"year": 2024}
    )
    assert (statement["total_cents"], statement["given_name"]) == (1500, None)
    past_shift = await service.ok("GET", f"/shifts/{shift_id}")
    assert past_shift["roster"] == [
        {"volunteer_id": volunteer_id, "given_name": None, "family_name": None,
         "via": "coordinator", "hours": 4.0}
    ]  # fmt: skip
    assert (await service.ok("GET", f"/shifts/{upcoming}"))["roster"] == []

    erasures = await service.events("volunteers.volunteer_erased.v1")
    assert [e["volunteer_id"] for e in erasures] == [volunteer_id]
    statuses = await service.events("volunteers.volunteer_status_changed.v1")
    assert (statuses[-1]["previous_status"], statuses[-1]["status"]) == ("active", "left")
    withdrawn = await service.events("volunteers.shift_assignment_changed.v1")
    assert (withdrawn[-1]["shift_id"], withdrawn[-1]["assigned"]) == (upcoming, False)
    audited = await service.db.fetch(
        "SELECT actor, role, details FROM audit_log "
        "WHERE action = 'volunteer.erase' AND record_id = $1",
        volunteer_id,
    )
    assert [(row["actor"], row["role"], json.loads(row["details"])) for row in audited] == [
        ("coord-vol-1", "volunteer_coordinator", {"reason": "request", "status_before": "active"})
    ]


async def test_an_erased_volunteer_cannot_be_changed_or_scheduled(service: Volunteers) -> None:
    volunteer_id = await service.active_volunteer()
    await service.ok("POST", f"/volunteers/{volunteer_id}/erasure")
    shift_id = await service.shift(dt.date.today() + dt.timedelta(days=2), "09:00", "12:00")
    for method, url, body in (
        ("PATCH", f"/volunteers/{volunteer_id}", {"given_name": "Terug"}),
        ("POST", f"/volunteers/{volunteer_id}/status", {"status": "applied"}),
        ("POST", f"/volunteers/{volunteer_id}/erasure", None),
        ("POST", f"/shifts/{shift_id}/assignments", {"volunteer_id": volunteer_id}),
        ("POST", f"/volunteers/{volunteer_id}/consents", {"purpose": "photos", "given": True}),
    ):
        response = await service.client.request(method, url, json=body, headers=service.headers)
        assert response.status_code == 409, (url, response.text)
        assert response.json()["type"].endswith("/erased")
