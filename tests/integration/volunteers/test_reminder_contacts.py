"""The notifier reads only the contact of volunteers on duty who consented, each lookup audited."""

import datetime as dt
import json
from typing import Any

import httpx

from tests.integration.volunteers.conftest import NOTIFIER, Volunteers
from tests.support.tokens import bearer
from volunteers.domain.clock import BRUSSELS


async def on_duty_now(service: Volunteers, volunteer_id: str) -> str:
    """A shift today around the current local time, with the volunteer on it."""
    current = dt.datetime.now(BRUSSELS)
    start = max(current - dt.timedelta(hours=1), current.replace(hour=0, minute=0, second=0))
    end = min(current + dt.timedelta(hours=1), current.replace(hour=23, minute=59, second=59))
    shift_id = await service.shift(
        current.date(), start.strftime("%H:%M:%S"), end.strftime("%H:%M:%S")
    )
    assert (await service.assign(shift_id, volunteer_id)).status_code == 201
    return shift_id


async def lookup(service: Volunteers, volunteer_id: str, **kwargs: Any) -> httpx.Response:
    kwargs.setdefault("headers", NOTIFIER)
    return await service.client.get(f"/volunteers/{volunteer_id}/reminder-contact", **kwargs)


async def audited(service: Volunteers) -> list[dict[str, Any]]:
    rows = await service.db.fetch(
        "SELECT actor, record_id, details FROM audit_log "
        "WHERE action = 'volunteer.reminder_contact.read' ORDER BY id"
    )
    return [{**dict(r), "details": json.loads(r["details"])} for r in rows]


async def test_a_volunteer_on_duty_who_consented_to_sms_gives_their_phone_only(
    service: Volunteers,
) -> None:
    volunteer_id = await service.active_volunteer(
        phone="+32 470 11 22 33",
        email="on-duty@example.org",
        consents=[
            {"purpose": "reminders_sms", "given": True},
            {"purpose": "photos", "given": True},
        ],
    )
    shift_id = await on_duty_now(service, volunteer_id)

    response = await lookup(service, volunteer_id)

    assert response.status_code == 200, response.text
    contact = response.json()
    assert (contact["sms"], contact["email"]) == ("+32 470 11 22 33", None)
    assert contact["shift_id"] == shift_id
    assert set(contact) == {
        "volunteer_id", "shift_id", "centre_id", "role", "starts_at", "ends_at", "sms", "email"
    }  # fmt: skip
    [row] = await audited(service)
    assert row["actor"] == "sms-gateway" and row["record_id"] == volunteer_id
    assert row["details"] == {"granted": True, "shift_id": shift_id, "channels": ["sms"]}


async def test_no_contact_without_consent_or_when_not_on_duty_and_every_lookup_is_audited(
    service: Volunteers,
) -> None:
    no_consent = await service.active_volunteer()
    await on_duty_now(service, no_consent)
    off_duty = await service.active_volunteer(
        consents=[{"purpose": "reminders_sms", "given": True}]
    )
    later = await service.shift(dt.date.today() + dt.timedelta(days=3), "09:00", "12:00")
    assert (await service.assign(later, off_duty)).status_code == 201
    withdrawn = await service.active_volunteer(
        consents=[{"purpose": "reminders_email", "given": True}]
    )
    await on_duty_now(service, withdrawn)
    assert (await lookup(service, withdrawn)).json()["email"].endswith("@example.org")
    await service.ok(
        "POST",
        f"/volunteers/{withdrawn}/consents",
        json={"purpose": "reminders_email", "given": False},
    )

    for volunteer_id in (no_consent, off_duty, withdrawn):
        refused = await lookup(service, volunteer_id)
        assert refused.status_code == 404, refused.text
        assert "phone" not in refused.text and "@" not in refused.text

    rows = await audited(service)
    assert [(r["record_id"], r["details"]["granted"]) for r in rows] == [
        (withdrawn, True),
        (no_consent, False),
        (off_duty, False),
        (withdrawn, False),
    ]


async def test_the_notifier_sees_only_its_centres_and_nothing_else(service: Volunteers) -> None:
    volunteer_id = await service.active_volunteer(
        consents=[{"purpose": "reminders_sms", "given": True}]
    )
    await on_duty_now(service, volunteer_id)
    elsewhere = bearer("notifier", ["sint-maartensdal"], sub="other-gateway")
    assert (await lookup(service, volunteer_id, headers=elsewhere)).status_code == 404
    assert (await lookup(service, volunteer_id)).status_code == 200
    for url in (f"/volunteers/{volunteer_id}", "/volunteers", "/shifts", "/milestones"):
        assert (await service.client.get(url, headers=NOTIFIER)).status_code == 403, url
    by_coordinator = await lookup(service, volunteer_id, headers=service.headers)
    assert by_coordinator.status_code == 403
    assert len(await audited(service)) == 2
