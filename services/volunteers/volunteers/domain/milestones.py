"""Milestones (50, 100, 250, 500 hours; 1, 5, 10 years of service), each detected and announced
once per volunteer.

A milestone, once reached, stays reached: hours corrected below a threshold and back above it do
not announce it again (the `milestones` primary key and the event id derived from volunteer and
milestone both see to that).
"""

import datetime as dt
import uuid
from uuid import UUID

from buurtwerk_shared.contracts.events.volunteers import MilestoneReachedV1
from buurtwerk_shared.db.pool import Connection
from buurtwerk_shared.messaging.outbox import emit
from buurtwerk_shared.web.auth import Principal
from buurtwerk_shared.web.pagination import Page, PageParams
from buurtwerk_shared.web.writes import audit
from volunteers.api.schemas.hours import MilestoneView
from volunteers.domain.access import scope
from volunteers.domain.rules import hours_milestones, years_milestones

_MILESTONE_EVENTS = uuid.UUID("8c4f1f0e-5d1b-4f5e-9a59-6f7b1c0d2e31")

_MAIN_CENTRE = """
SELECT coalesce(
    (SELECT centre_id FROM shift_hours WHERE volunteer_id = $1
     GROUP BY centre_id ORDER BY sum(hours) DESC, centre_id LIMIT 1),
    (SELECT centre_ids[1] FROM volunteers WHERE volunteer_id = $1))
"""
_RECORD = """
INSERT INTO milestones (volunteer_id, milestone, reached_at, centre_id)
VALUES ($1, $2, $3, $4)
ON CONFLICT DO NOTHING
RETURNING true
"""
_IN_SERVICE_FOR_A_YEAR = """
SELECT volunteer_id, first_active_at FROM volunteers v
WHERE erased_at IS NULL AND status IN ('active', 'paused')
  AND first_active_at <= $1::timestamptz - interval '1 year'
  AND ($2::uuid IS NULL OR volunteer_id = $2)
  AND NOT EXISTS (SELECT 1 FROM milestones m
                  WHERE m.volunteer_id = v.volunteer_id AND m.milestone = 'years_10')
"""


def milestone_event_id(volunteer_id: UUID, milestone: str) -> UUID:
    """The one event id of a volunteer's milestone, whoever detects it and however often."""
    return uuid.uuid5(_MILESTONE_EVENTS, f"{volunteer_id}:{milestone}")


async def _record(
    conn: Connection, volunteer_id: UUID, milestone: str, reached_at: dt.datetime
) -> bool:
    centre_id = await conn.fetchval(_MAIN_CENTRE, volunteer_id)
    if not await conn.fetchval(_RECORD, volunteer_id, milestone, reached_at, centre_id):
        return False
    event = MilestoneReachedV1(
        volunteer_id=volunteer_id, centre_id=centre_id, milestone=milestone, reached_at=reached_at
    )
    await emit(conn, event, milestone_event_id(volunteer_id, milestone))
    return True


async def detect_hours_milestones(
    conn: Connection, volunteer_id: UUID, reached_at: dt.datetime
) -> list[str]:
    """Record and announce the hours milestones the volunteer's total now reaches for the first
    time (the caller holds the volunteer's lock, so totals are never raced)."""
    total = await conn.fetchval(
        "SELECT coalesce(sum(hours), 0) FROM shift_hours WHERE volunteer_id = $1", volunteer_id
    )
    return [m for m in hours_milestones(total) if await _record(conn, volunteer_id, m, reached_at)]


async def detect_years_milestones(
    conn: Connection, at: dt.datetime, volunteer_id: UUID | None = None
) -> int:
    """Record and announce the years-of-service milestones reached by `at` (from the first day
    active, for volunteers still active or paused); all volunteers unless one is named."""
    found = 0
    for row in await conn.fetch(_IN_SERVICE_FOR_A_YEAR, at, volunteer_id):
        for milestone, reached_at in years_milestones(row["first_active_at"], at):
            found += await _record(conn, row["volunteer_id"], milestone, reached_at)
    return found


async def list_milestones(
    conn: Connection,
    principal: Principal,
    page: PageParams,
    centre_id: str | None,
    since: dt.date | None,
) -> Page[MilestoneView]:
    """Milestones reached by the volunteers of the caller's centres (with their names), newest
    first; the read is audited."""
    where = """
        FROM milestones m JOIN volunteers v USING (volunteer_id)
        WHERE ($1::text[] IS NULL OR v.centre_ids && $1)
          AND ($2::text IS NULL OR m.centre_id = $2)
          AND ($3::date IS NULL
               OR m.reached_at >= $3::date::timestamp AT TIME ZONE 'Europe/Brussels')
    """
    args = (scope(principal), centre_id, since)
    total = await conn.fetchval(f"SELECT count(*) {where}", *args)
    rows = await conn.fetch(
        f"""
        SELECT m.volunteer_id, m.milestone, m.reached_at, m.centre_id, v.given_name, v.family_name
        {where}
        ORDER BY m.reached_at DESC, m.volunteer_id, m.milestone
        LIMIT $4 OFFSET $5
        """,
        *args,
        page.limit,
        page.offset,
    )
    items = [MilestoneView.model_validate(dict(r)) for r in rows]
    await audit(
        conn,
        principal,
        "milestone.list",
        "volunteer",
        None,
        {"centre_id": centre_id, "since": since, "returned": len(items)},
    )
    return Page(items=items, total=total, limit=page.limit, offset=page.offset)
