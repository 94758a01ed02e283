"""Reads of the reminder state: the open reminders of a kitchen, and the on-time figures behind
the indicator `haccp.checks_on_time_ratio`."""

import datetime as dt
from uuid import UUID

from pydantic import BaseModel

from buurtwerk_shared.db.pool import Connection

# Missed required checks stay on the list this long, so that someone follows them up.
MISSED_SHOWN_FOR = dt.timedelta(days=7)


class OpenReminder(BaseModel):
    """A due occurrence not closed by a record yet."""

    reminder_id: UUID
    check_id: UUID
    label: str
    kind: str
    level: str
    kitchen_id: str
    centre_id: str
    due_at: dt.datetime
    grace_until: dt.datetime
    overdue: bool
    overdue_since: dt.datetime | None
    missed: bool
    process_id: UUID | None
    on_duty_volunteer_ids: list[UUID]


async def open_reminders(conn: Connection, kitchen_id: str, at: dt.datetime) -> list[OpenReminder]:
    """The kitchen's announced reminders that no record closed: those whose window still runs
    (until the next occurrence), and required ones missed in the last week. Oldest first."""
    rows = await conn.fetch(
        """
        SELECT reminder_id, check_id, label, kind, level, kitchen_id, centre_id, due_at,
               grace_until, overdue_at IS NOT NULL AS overdue,
               CASE WHEN overdue_at IS NOT NULL THEN grace_until END AS overdue_since,
               coalesce(window_end <= $2, false) AS missed, process_id,
               coalesce(on_duty_volunteer_ids, '{}') AS on_duty_volunteer_ids
        FROM reminder_occurrences
        WHERE kitchen_id = $1 AND closed_at IS NULL AND announce AND reminded_at IS NOT NULL
          AND due_at <= $2 AND due_at > $2 - $3::interval
          AND (window_end IS NULL OR window_end > $2 OR level = 'required')
        ORDER BY due_at, label
        """,
        kitchen_id,
        at,
        MISSED_SHOWN_FOR,
    )
    return [OpenReminder.model_validate(dict(row)) for row in rows]


async def checks_on_time(
    conn: Connection,
    centre_id: str | None,
    first: dt.date,
    end: dt.date,
    *,
    at: dt.datetime | None = None,
) -> tuple[int, int]:
    """(closed within grace, due) over the due occurrences of required checks whose local due
    date lies in [first, end), for a centre or the whole city (`centre_id` None).

    An occurrence counts once it is settled: closed, or its grace time over (at `at`, default
    now); one still within its grace time is not counted yet.
    """
    row = await conn.fetchrow(
        """
        SELECT count(*) FILTER (WHERE on_time) AS on_time, count(*) AS due
        FROM reminder_occurrences
        WHERE level = 'required'
          AND ($1::text IS NULL OR centre_id = $1)
          AND due_at >= ($2::date::timestamp AT TIME ZONE 'Europe/Brussels')
          AND due_at < ($3::date::timestamp AT TIME ZONE 'Europe/Brussels')
          AND (closed_at IS NOT NULL OR grace_until <= coalesce($4, now()))
        """,
        centre_id,
        first,
        end,
        at,
    )
    assert row is not None
    return row["on_time"], row["due"]
