"""Shift reminders: some time before a shift (48 hours by default) every volunteer on it gets a
mail with an "I'll be there" and an "I can't come" link. A reminder is recorded once per
volunteer and shift (the primary key), and one sweep runs at a time, so a sweep that runs
again, or on two replicas, sends none twice; a volunteer who may not be mailed is recorded as
not mailed, for the coordinator."""

import datetime as dt
from dataclasses import dataclass
from uuid import UUID

import asyncpg

from buurtwerk_shared.db.pool import Connection
from volunteers.selfservice import links
from volunteers.selfservice.links import Purpose
from volunteers.selfservice.mailing import mail_volunteer
from volunteers.selfservice.texts import MAIL, Language, shift_label

_DUE = """
SELECT a.volunteer_id, s.shift_id, s.centre_id, s.role, s.starts_at, s.ends_at
FROM assignments a JOIN shifts s USING (shift_id) JOIN volunteers v USING (volunteer_id)
WHERE a.assigned AND s.cancelled_at IS NULL
  AND s.starts_at > $1 AND s.starts_at <= $1::timestamptz + $2::interval
  AND NOT EXISTS (SELECT 1 FROM shift_reminders r
                  WHERE r.shift_id = a.shift_id AND r.volunteer_id = a.volunteer_id)
ORDER BY s.starts_at, a.shift_id, a.volunteer_id
LIMIT $3
FOR KEY SHARE OF v SKIP LOCKED
"""
# One reminder sweep at a time across replicas, by an advisory lock; the volunteers' rows are
# taken before the shifts' (see `gaps.SWEEP_LOCK`), skipping one being changed right now.
SWEEP_LOCK = "SELECT pg_try_advisory_xact_lock(hashtext('volunteers.shift_reminders'))"
_RECORD = """
INSERT INTO shift_reminders (shift_id, volunteer_id, reminded_at, mailed) VALUES ($1, $2, $3, $4)
ON CONFLICT DO NOTHING
"""


@dataclass(frozen=True)
class ShiftLinks:
    """The two answers a reminder offers, as full URLs."""

    confirm: str
    decline: str


def link_url(base_url: str, token: str) -> str:
    """The URL a token is mailed as."""
    return f"{base_url.rstrip('/')}/l/{token}"


async def remind(
    conn: Connection, assignment: asyncpg.Record, base_url: str, at: dt.datetime
) -> bool:
    """Issue the two links and queue the reminder of one volunteer on one shift; whether mailed."""
    shift_id: UUID = assignment["shift_id"]
    volunteer_id: UUID = assignment["volunteer_id"]
    expires = assignment["ends_at"]
    urls = ShiftLinks(
        confirm=link_url(
            base_url,
            await links.issue(conn, Purpose.SHIFT_CONFIRM, volunteer_id, shift_id, at, expires),
        ),
        decline=link_url(
            base_url,
            await links.issue(conn, Purpose.SHIFT_DECLINE, volunteer_id, shift_id, at, expires),
        ),
    )
    shift = dict(assignment)

    def compose(language: Language, name: str) -> tuple[str, str]:
        texts, label = MAIL[language], shift_label(language, shift)
        return (
            texts["reminder_subject"].format(label=label),
            texts["reminder_body"].format(
                name=name, label=label, confirm=urls.confirm, decline=urls.decline
            ),
        )

    mailed = await mail_volunteer(conn, volunteer_id, "shift_reminder", compose, at)
    await conn.execute(_RECORD, shift_id, volunteer_id, at, mailed)
    return mailed


async def send_reminders(
    conn: Connection, at: dt.datetime, lead: dt.timedelta, base_url: str, limit: int = 200
) -> int:
    """Remind every volunteer on a shift starting within `lead` of `at` who was not reminded
    yet, up to `limit` (in the caller's transaction); how many were reminded."""
    if not await conn.fetchval(SWEEP_LOCK):
        return 0  # another replica is sweeping
    due = await conn.fetch(_DUE, at, lead, limit)
    for assignment in due:
        await remind(conn, assignment, base_url, at)
    return len(due)
