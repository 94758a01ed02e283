"""Reads of volunteers' personal data (contact data, names) leave an audit row: who read what."""

import datetime as dt
import json
from typing import Any

from tests.integration.volunteers.conftest import COORDINATOR, OTHER_COORDINATOR, Volunteers
from volunteers.domain.clock import now


async def audit_rows(service: Volunteers) -> list[dict[str, Any]]:
    rows = await service.db.fetch(
        "SELECT actor, role, action, record_type, record_id, details FROM audit_log "
        "WHERE action LIKE '%.read' OR action LIKE '%.list' ORDER BY id"
    )
    return [{**row, "details": json.loads(row["details"])} for row in rows]


async def test_reading_a_volunteer_or_listing_them_is_audited_without_the_name_searched(
    service: Volunteers,
) -> None:
    volunteer = await service.volunteer(given_name="Yasmina", family_name="Bouzid")
    volunteer_id = volunteer["volunteer_id"]
    read = await service.ok("GET", f"/volunteers/{volunteer_id}")
    assert read["email"] == volunteer["email"]
    found = await service.ok("POST", "/volunteers/search", json={"name": "Bouzid"})
    assert [v["volunteer_id"] for v in found["items"]] == [volunteer_id]

    assert await audit_rows(service) == [
        {
            "actor": "coord-vol-1",
            "role": "volunteer_coordinator",
            "action": "volunteer.read",
            "record_type": "volunteer",
            "record_id": volunteer_id,
            "details": {},
        },
        {
            "actor": "coord-vol-1",
            "role": "volunteer_coordinator",
            "action": "volunteer.list",
            "record_type": "volunteer",
            "record_id": None,
            "details": {
                "status": None,
                "centre_id": None,
                "group_id": None,
                "by_name": True,
                "returned": 1,
            },
        },
    ]
    assert "Bouzid" not in str(await audit_rows(service))


async def test_a_refused_read_shows_nothing_and_a_shift_roster_read_is_audited(
    service: Volunteers,
) -> None:
    volunteer_id = await service.active_volunteer()
    refused = await service.client.get(f"/volunteers/{volunteer_id}", headers=OTHER_COORDINATOR)
    assert refused.status_code == 404, "as if the volunteer did not exist"
    assert await audit_rows(service) == []

    tomorrow = (now() + dt.timedelta(days=1)).date()
    shift_id = await service.shift(tomorrow, "09:00", "12:00")
    assert (await service.assign(shift_id, volunteer_id)).status_code == 201
    roster = await service.ok("GET", f"/shifts/{shift_id}", headers=COORDINATOR)
    assert [entry["volunteer_id"] for entry in roster["roster"]] == [volunteer_id]
    await service.ok("GET", "/milestones")
    assert [(row["action"], row["record_id"]) for row in await audit_rows(service)] == [
        ("shift.read", shift_id),
        ("milestone.list", None),
    ]
