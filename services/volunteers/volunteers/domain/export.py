"""The subject access export: everything this service holds about one volunteer, as JSON.

The export is a read of personal data and is audited as such, before it is put together, so the
export lists itself in its audit trail.
"""

from typing import TypeVar
from uuid import UUID

from pydantic import BaseModel

from buurtwerk_shared.db.pool import Connection
from buurtwerk_shared.subject_access import audit_trail
from buurtwerk_shared.web.auth import Principal
from buurtwerk_shared.web.problems import not_found
from buurtwerk_shared.web.writes import audit
from volunteers.api.schemas.export import (
    AllowanceRecord,
    AppreciationRecord,
    ConsentRecord,
    GroupMembership,
    HoursCorrectionRecord,
    MilestoneRecord,
    PersonalData,
    QualificationRecord,
    ShiftRecord,
    StatusStep,
    VolunteerExport,
)
from volunteers.domain.access import ensure_sees_volunteer
from volunteers.domain.clock import now

Record = TypeVar("Record", bound=BaseModel)

_CONSENTS = """
SELECT purpose, given, given_at, recorded_at FROM consents
WHERE volunteer_id = $1 ORDER BY given_at, consent_id
"""
_STATUS = """
SELECT previous_status, status, changed_at, group_id FROM status_changes
WHERE volunteer_id = $1 ORDER BY changed_at, change_id
"""
_GROUPS = """
SELECT g.group_id, g.name, g.kind, m.joined_at
FROM group_members m JOIN volunteer_groups g USING (group_id)
WHERE m.volunteer_id = $1 ORDER BY m.joined_at
"""
_QUALIFICATIONS = """
SELECT record_id, qualification, obtained_on, expires_on, recorded_at
FROM volunteer_qualifications WHERE volunteer_id = $1 ORDER BY obtained_on, record_id
"""
# Assignments, and hours recorded without one (a completion may name a volunteer directly).
_SHIFTS = """
SELECT s.shift_id, s.centre_id, s.role, s.date, s.starts_at, s.ends_at,
       coalesce(a.assigned, false) AS assigned, coalesce(a.via, 'coordinator') AS via,
       coalesce(a.changed_at, h.recorded_at) AS changed_at, h.hours::float AS hours
FROM shifts s
LEFT JOIN assignments a ON a.shift_id = s.shift_id AND a.volunteer_id = $1
LEFT JOIN shift_hours h ON h.shift_id = s.shift_id AND h.volunteer_id = $1
WHERE s.shift_id IN (SELECT shift_id FROM assignments WHERE volunteer_id = $1
                     UNION SELECT shift_id FROM shift_hours WHERE volunteer_id = $1)
ORDER BY s.starts_at, s.shift_id
"""
_CORRECTIONS = """
SELECT shift_id, previous_hours::float AS previous_hours, hours::float AS hours, corrected_at
FROM hours_corrections WHERE volunteer_id = $1 ORDER BY corrected_at, correction_id
"""
_MILESTONES = """
SELECT milestone, reached_at, centre_id FROM milestones
WHERE volunteer_id = $1 ORDER BY reached_at, milestone
"""
_APPRECIATIONS = """
SELECT a.appreciation_id, a.centre_id, a.kind, a.title, a.date
FROM appreciation_recipients r JOIN appreciations a USING (appreciation_id)
WHERE r.volunteer_id = $1 ORDER BY a.date, a.appreciation_id
"""
_ALLOWANCES = """
SELECT allowance_id, date, amount_cents, recorded_at FROM allowances
WHERE volunteer_id = $1 ORDER BY date, recorded_at
"""


async def export_volunteer(
    conn: Connection, principal: Principal, volunteer_id: UUID
) -> VolunteerExport:
    """Everything kept about a volunteer of the caller's centres; the read is audited."""
    row = await conn.fetchrow("SELECT * FROM volunteers WHERE volunteer_id = $1", volunteer_id)
    if row is None:
        raise not_found(f"volunteer {volunteer_id}", field="path.volunteer_id")
    ensure_sees_volunteer(principal, row)
    await audit(conn, principal, "volunteer.export", "volunteer", volunteer_id)

    async def records(model: type[Record], sql: str) -> list[Record]:
        return [model.model_validate(dict(r)) for r in await conn.fetch(sql, volunteer_id)]

    return VolunteerExport(
        exported_at=now(),
        volunteer=PersonalData.model_validate(
            {**dict(row), "buren_voor_wijken_member_since": row["bvw_member_since"]}
        ),
        consents=await records(ConsentRecord, _CONSENTS),
        status_history=await records(StatusStep, _STATUS),
        groups=await records(GroupMembership, _GROUPS),
        qualifications=await records(QualificationRecord, _QUALIFICATIONS),
        shifts=await records(ShiftRecord, _SHIFTS),
        hours_corrections=await records(HoursCorrectionRecord, _CORRECTIONS),
        milestones=await records(MilestoneRecord, _MILESTONES),
        appreciations=await records(AppreciationRecord, _APPRECIATIONS),
        allowances=await records(AllowanceRecord, _ALLOWANCES),
        audit_trail=await audit_trail(conn, [volunteer_id]),
    )
