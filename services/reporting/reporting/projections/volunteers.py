"""Projection of the volunteers events: completed shifts and hours, the status history,
milestones and appreciation moments. Erasure keeps ids and hours, so it changes nothing here."""

from buurtwerk_shared.contracts.events.volunteers import (
    AppreciationRecordedV1,
    HoursCorrectedV1,
    MilestoneReachedV1,
    ShiftCompletedV1,
    VolunteerStatusChangedV1,
)
from buurtwerk_shared.db.pool import Connection
from reporting.indicators.periods import local_date
from reporting.projections.batch import Batch, columns
from reporting.projections.marks import Marks

SHIFT_INDICATORS = ("volunteers.active", "volunteers.hours")
STATUS_INDICATORS = ("volunteers.new", "volunteers.onboarding_conversion")

# A correction that arrived first is not overwritten by the completion it corrects.
_COMPLETED = """
INSERT INTO volunteer_shifts (shift_id, volunteer_id, centre_id, role, date, hours)
SELECT * FROM unnest($1::uuid[], $2::uuid[], $3::text[], $4::text[], $5::date[], $6::float8[])
ON CONFLICT (shift_id, volunteer_id) DO NOTHING
"""
_CORRECTED = """
INSERT INTO volunteer_shifts (shift_id, volunteer_id, centre_id, role, date, hours, corrected_at)
VALUES ($1, $2, $3, $4, $5, $6, $7)
ON CONFLICT (shift_id, volunteer_id) DO UPDATE
SET hours = excluded.hours, corrected_at = excluded.corrected_at
WHERE volunteer_shifts.corrected_at IS NULL
   OR volunteer_shifts.corrected_at <= excluded.corrected_at
"""
_STATUS = """
INSERT INTO volunteer_status_changes (volunteer_id, changed_at, status, centre_ids, date)
VALUES ($1, $2, $3, $4, $5)
ON CONFLICT DO NOTHING
"""
# Whose first activation or application outcome a status change may move.
_STATUS_DATES = """
SELECT DISTINCT date FROM volunteer_status_changes
WHERE volunteer_id = ANY($1::uuid[]) AND status IN ('applied', 'active')
"""
_MILESTONE = """
INSERT INTO volunteer_milestones (volunteer_id, milestone, centre_id, reached_at, date)
VALUES ($1, $2, $3, $4, $5)
ON CONFLICT DO NOTHING
"""
_APPRECIATION = """
INSERT INTO volunteer_appreciations (appreciation_id, centre_id, kind, date, volunteer_count)
VALUES ($1, $2, $3, $4, $5)
ON CONFLICT (appreciation_id) DO NOTHING
"""


async def apply(conn: Connection, batch: Batch, marks: Marks | None) -> None:
    """Apply the volunteers events of a batch, one statement per event type."""
    completed = batch.of(ShiftCompletedV1)
    corrected = batch.of(HoursCorrectedV1)
    statuses = batch.of(VolunteerStatusChangedV1)
    milestones = batch.of(MilestoneReachedV1)
    appreciations = batch.of(AppreciationRecordedV1)
    if completed:
        await conn.execute(
            _COMPLETED,
            *columns(
                [
                    (s.shift_id, s.volunteer_id, s.centre_id, s.role, s.date, s.hours)
                    for s in completed
                ]
            ),
        )
    if corrected:
        await conn.executemany(
            _CORRECTED,
            [
                (c.shift_id, c.volunteer_id, c.centre_id, c.role, c.date, c.hours, c.corrected_at)
                for c in corrected
            ],
        )
    if statuses:
        await conn.executemany(
            _STATUS,
            [
                (
                    s.volunteer_id,
                    s.changed_at,
                    s.status,
                    list(s.centre_ids),
                    local_date(s.changed_at),
                )
                for s in statuses
            ],
        )
    if milestones:
        await conn.executemany(
            _MILESTONE,
            [
                (m.volunteer_id, m.milestone, m.centre_id, m.reached_at, local_date(m.reached_at))
                for m in milestones
            ],
        )
    if appreciations:
        await conn.executemany(
            _APPRECIATION,
            [
                (a.appreciation_id, a.centre_id, a.kind, a.date, a.volunteer_count)
                for a in appreciations
            ],
        )
    if marks is None:
        return
    marks.dates(SHIFT_INDICATORS, {s.date for s in completed} | {c.date for c in corrected})
    if statuses:
        rows = await conn.fetch(_STATUS_DATES, list({s.volunteer_id for s in statuses}))
        marks.dates(STATUS_INDICATORS, {row["date"] for row in rows})
    marks.dates(
        ("volunteers.milestones",),
        {local_date(m.reached_at) for m in milestones} | {a.date for a in appreciations},
    )
