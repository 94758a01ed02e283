"""Reading a volunteer as the coordinator sees them."""

from uuid import UUID

import asyncpg

from buurtwerk_shared.db.pool import Connection
from buurtwerk_shared.web.problems import not_found
from volunteers.api.schemas.volunteers import (
    ConsentView,
    QualificationView,
    VolunteerSummary,
    VolunteerView,
)
from volunteers.domain.clock import local_date, now

_CURRENT_CONSENTS = """
SELECT DISTINCT ON (purpose) purpose, given, given_at, recorded_at
FROM consents WHERE volunteer_id = $1
ORDER BY purpose, given_at DESC, consent_id DESC
"""
_QUALIFICATIONS = """
SELECT record_id, qualification, obtained_on, expires_on,
       obtained_on <= $2 AND (expires_on IS NULL OR expires_on >= $2) AS valid_today
FROM volunteer_qualifications WHERE volunteer_id = $1
ORDER BY qualification, obtained_on DESC
"""


def summary(row: asyncpg.Record) -> VolunteerSummary:
    """A volunteer row as a listing item."""
    return VolunteerSummary(
        volunteer_id=row["volunteer_id"],
        status=row["status"],
        given_name=row["given_name"],
        family_name=row["family_name"],
        centre_ids=row["centre_ids"],
        languages=row["languages"],
        skills=row["skills"],
        buren_voor_wijken_member_since=row["bvw_member_since"],
        erased=row["erased_at"] is not None,
    )


async def volunteer_view(conn: Connection, volunteer_id: UUID) -> VolunteerView:
    """Everything kept about one volunteer (the caller checks the centre scope)."""
    row = await conn.fetchrow("SELECT * FROM volunteers WHERE volunteer_id = $1", volunteer_id)
    if row is None:
        raise not_found(f"volunteer {volunteer_id}", field="path.volunteer_id")
    consents = await conn.fetch(_CURRENT_CONSENTS, volunteer_id)
    qualifications = await conn.fetch(_QUALIFICATIONS, volunteer_id, local_date(now()))
    group_ids = await conn.fetch(
        "SELECT group_id FROM group_members WHERE volunteer_id = $1 ORDER BY joined_at",
        volunteer_id,
    )
    total = await conn.fetchval(
        "SELECT coalesce(sum(hours), 0) FROM shift_hours WHERE volunteer_id = $1", volunteer_id
    )
    milestones = await conn.fetch(
        "SELECT milestone FROM milestones WHERE volunteer_id = $1 ORDER BY reached_at",
        volunteer_id,
    )
    return VolunteerView(
        **summary(row).model_dump(),
        email=row["email"],
        phone=row["phone"],
        address=row["address"],
        status_changed_at=row["status_changed_at"],
        first_active_at=row["first_active_at"],
        group_ids=[g["group_id"] for g in group_ids],
        consents=[ConsentView.model_validate(dict(c)) for c in consents],
        qualifications=[QualificationView.model_validate(dict(q)) for q in qualifications],
        total_hours=float(total),
        milestones=[m["milestone"] for m in milestones],
        created_at=row["created_at"],
        erased_at=row["erased_at"],
    )
