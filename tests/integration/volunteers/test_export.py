"""The subject access export: everything the service holds about one volunteer, as JSON, for
their coordinator or an administrator, audited as a read of personal data."""

import datetime as dt
import json

from tests.integration.volunteers.conftest import (
    ADMIN,
    CENTRE,
    NOTIFIER,
    OTHER_COORDINATOR,
    Volunteers,
)
from tests.support.tokens import bearer


async def test_the_export_holds_everything_kept_about_the_volunteer(service: Volunteers) -> None:
    group = await service.ok(
        "POST",
        "/groups",
        201,
        json={"name": "Klas 5B", "kind": "school_class", "centre_ids": [CENTRE]},
    )
    volunteer_id = (
        await service.volunteer(
            given_name="Griet",
            family_name="Exportmans",
            address="Naamsestraat 1, 3000 Leuven",
            group_ids=[group["group_id"]],
            consents=[{"purpose": "reminders_sms", "given": True}],
        )
    )["volunteer_id"]
    await service.ok(
        "POST",
        f"/volunteers/{volunteer_id}/consents",
        json={"purpose": "reminders_sms", "given": False},
    )
    await service.move(volunteer_id, "intake", "onboarding", "active")
    await service.ok(
        "POST",
        f"/volunteers/{volunteer_id}/qualifications",
        201,
        json={"qualification": "food_hygiene", "obtained_on": "2024-01-10"},
    )
    past = dt.date.today() - dt.timedelta(days=10)
    worked = await service.shift(past, "10:00", "14:00", role="kitchen")
    assert (await service.assign(worked, volunteer_id)).status_code == 201
    await service.ok(
        "POST",
        f"/shifts/{worked}/completions",
        201,
        json={"volunteers": [{"volunteer_id": volunteer_id}]},
    )
    await service.ok("PUT", f"/shifts/{worked}/completions/{volunteer_id}", json={"hours": 3.5})
    upcoming = await service.shift(dt.date.today() + dt.timedelta(days=3), "09:00", "12:00")
    assert (await service.assign(upcoming, volunteer_id)).status_code == 201
    await service.ok(
        "POST",
        f"/volunteers/{volunteer_id}/allowances",
        201,
        json={"date": "2025-06-01", "amount_cents": 1200},
    )
    await service.ok(
        "POST",
        "/appreciations",
        201,
        json={"centre_id": CENTRE, "kind": "thank_you", "title": "Kaartje", "date": str(past),
              "volunteer_ids": [volunteer_id]},
    )  # fmt: skip
    # Someone else's data is not in this volunteer's export.
    other = await service.active_volunteer(given_name="Anderepersoon")

    response = await service.client.get(
        f"/volunteers/{volunteer_id}/export", headers=service.headers
    )

    assert response.status_code == 200, response.text
    export = response.json()
    person = export["volunteer"]
    assert (person["given_name"], person["family_name"], person["address"]) == (
        "Griet", "Exportmans", "Naamsestraat 1, 3000 Leuven",
    )  # fmt: skip
    assert (person["status"], person["erased_at"]) == ("active", None)
    assert [(c["purpose"], c["given"]) for c in export["consents"]] == [
        ("reminders_sms", True),
        ("reminders_sms", False),
    ], "the whole consent history, withdrawal included"
    assert [s["status"] for s in export["status_history"]] == [
        "applied", "intake", "onboarding", "active",
    ]  # fmt: skip
    assert [(g["group_id"], g["name"]) for g in export["groups"]] == [
        (group["group_id"], "Klas 5B")
    ]
    assert [q["qualification"] for q in export["qualifications"]] == ["food_hygiene"]
    assert [(s["shift_id"], s["assigned"], s["hours"]) for s in export["shifts"]] == [
        (worked, True, 3.5),
        (upcoming, True, None),
    ]
    assert [(c["previous_hours"], c["hours"]) for c in export["hours_corrections"]] == [(4.0, 3.5)]
    assert [a["amount_cents"] for a in export["allowances"]] == [1200]
    assert [a["title"] for a in export["appreciations"]] == ["Kaartje"]
    actions = [entry["action"] for entry in export["audit_trail"]]
    for action in ("volunteer.create", "volunteer.consent", "shift.assign", "shift.complete",
                   "hours.correct", "allowance.record", "volunteer.export"):  # fmt: skip
        assert action in actions, action
    assert {entry["role"] for entry in export["audit_trail"]} == {"volunteer_coordinator"}
    text = response.text
    assert "coord-vol-1" not in text, "staff are named by role, not by id"
    assert other not in text and "Anderepersoon" not in text

    audited = await service.db.fetch(
        "SELECT actor FROM audit_log WHERE action = 'volunteer.export' AND record_id = $1",
        volunteer_id,
    )
    assert [row["actor"] for row in audited] == ["coord-vol-1"]


async def test_after_erasure_the_export_shows_what_remains(service: Volunteers) -> None:
    volunteer_id = await service.active_volunteer(given_name="Weggewist")
    await service.ok("POST", f"/volunteers/{volunteer_id}/erasure")

    export = await service.ok("GET", f"/volunteers/{volunteer_id}/export")

    person = export["volunteer"]
    assert (person["given_name"], person["email"], person["phone"]) == (None, None, None)
    assert person["erased_at"] is not None
    assert (export["consents"], export["qualifications"]) == ([], [])
    assert [s["status"] for s in export["status_history"]][-1] == "left"
    assert "Weggewist" not in json.dumps(export)


async def test_only_the_volunteers_coordinator_or_an_admin_may_export(
    service: Volunteers,
) -> None:
    volunteer_id = (await service.volunteer())["volunteer_id"]
    url = f"/volunteers/{volunteer_id}/export"
    for headers, status in (
        (OTHER_COORDINATOR, 404),
        (NOTIFIER, 403),
        (bearer("course_coordinator", ["all"]), 403),
        (bearer("analyst", ["all"]), 403),
        ({}, 401),
        (ADMIN, 200),
    ):
        response = await service.client.get(url, headers=headers)
        assert response.status_code == status, (headers, response.text)
    missing = await service.client.get(
        "/volunteers/00000000-0000-4000-8000-000000000000/export", headers=service.headers
    )
    assert missing.status_code == 404
    assert missing.json()["errors"][0]["field"] == "path.volunteer_id"
    malformed = await service.client.get("/volunteers/not-a-uuid/export", headers=service.headers)
    assert malformed.status_code == 422
    assert malformed.json()["errors"][0]["field"] == "path.volunteer_id"
    # Refused callers leave no trace of a read; the admin's read is audited.
    assert (
        await service.count("SELECT count(*) FROM audit_log WHERE action = 'volunteer.export'") == 1
    )
