"""Gaps filled by volunteers: a shift starting within the gap window (48 hours by default) that
still needs people is offered by mail to volunteers who could take it: active, of the shift's
centre, holding the qualifications the role needs that day, on no other shift at that time, who
consented to e-mail, did not decline this shift and were not invited to it yet. Those contacted
least recently come first, a few at a time (`invitation_batch`); a next round follows after
`invitation_wave_minutes` while the place is still open. The first to click gets the place
(`answers.take`)."""

import datetime as dt
from uuid import UUID

import asyncpg

from buurtwerk_shared.db.pool import Connection
from volunteers.selfservice import links
from volunteers.selfservice.links import Purpose
from volunteers.selfservice.mailing import REACHABLE_CONDITION, mail_volunteer
from volunteers.selfservice.reminders import link_url
from volunteers.selfservice.texts import MAIL, Language, shift_label

_OPEN_SHIFTS = """
SELECT s.*
FROM shifts s
WHERE s.starts_at > $1 AND s.starts_at <= $1::timestamptz + $2::interval
  AND s.cancelled_at IS NULL
  AND (SELECT count(*) FROM assignments a WHERE a.shift_id = s.shift_id AND a.assigned) < s.needed
  AND NOT EXISTS (SELECT 1 FROM gap_invitations g
                  WHERE g.shift_id = s.shift_id AND g.invited_at > $1::timestamptz - $3::interval)
ORDER BY s.starts_at, s.shift_id
LIMIT 50
"""
# One gap sweep at a time across replicas, by an advisory lock. Row locks follow the order of
# every assignment (the volunteer, then the shift): the candidates' rows are taken first, in the
# candidates query, skipping a volunteer being changed right now (invited at the next round),
# and only then the shift's (the key share of the inserts). The other way round, a coordinator
# assigning one of the candidates at that moment deadlocked with the sweep.
SWEEP_LOCK = "SELECT pg_try_advisory_xact_lock(hashtext('volunteers.gap_invitations'))"
_CANDIDATES = f"""
SELECT v.volunteer_id
FROM volunteers v LEFT JOIN volunteer_mail m USING (volunteer_id)
WHERE v.status = 'active' AND $2 = ANY(v.centre_ids) AND {REACHABLE_CONDITION}
  AND NOT EXISTS (
      SELECT 1 FROM role_requirements r
      WHERE r.role = $3 AND NOT EXISTS (
          SELECT 1 FROM volunteer_qualifications q
          WHERE q.volunteer_id = v.volunteer_id AND q.qualification = r.qualification
            AND q.obtained_on <= $4 AND (q.expires_on IS NULL OR q.expires_on >= $4)))
  AND NOT EXISTS (
      SELECT 1 FROM assignments a
      WHERE a.volunteer_id = v.volunteer_id
        AND (a.shift_id = $1 OR (a.assigned AND tstzrange(a.starts_at, a.ends_at)
                                                && tstzrange($5, $6))))
  AND NOT EXISTS (SELECT 1 FROM gap_invitations g
                  WHERE g.shift_id = $1 AND g.volunteer_id = v.volunteer_id)
ORDER BY m.last_contacted_at NULLS FIRST, v.volunteer_id
LIMIT $7
FOR KEY SHARE OF v SKIP LOCKED
"""


async def invite(
    conn: Connection, shift: asyncpg.Record, base_url: str, at: dt.datetime, batch: int
) -> list[UUID]:
    """Invite the next `batch` candidates to a shift's open place; who was invited."""
    candidates = await conn.fetch(
        _CANDIDATES,
        shift["shift_id"],
        shift["centre_id"],
        shift["role"],
        shift["date"],
        shift["starts_at"],
        shift["ends_at"],
        batch,
    )
    label_of = dict(shift)
    invited: list[UUID] = []
    for candidate in candidates:
        volunteer_id: UUID = candidate["volunteer_id"]
        # A decline and the sweep may invite for one shift at once: each volunteer once.
        new = await conn.fetchval(
            "INSERT INTO gap_invitations (shift_id, volunteer_id, invited_at) VALUES ($1, $2, $3) "
            "ON CONFLICT DO NOTHING RETURNING true",
            shift["shift_id"],
            volunteer_id,
            at,
        )
        if not new:
            continue
        token = await links.issue(
            conn, Purpose.GAP_TAKE, volunteer_id, shift["shift_id"], at, shift["ends_at"]
        )
        url = link_url(base_url, token)

        def compose(language: Language, name: str, url: str = url) -> tuple[str, str]:
            texts, label = MAIL[language], shift_label(language, label_of)
            return (
                texts["invitation_subject"].format(label=label),
                texts["invitation_body"].format(name=name, label=label, take=url),
            )

        # The candidates may all be mailed (consent, address, no bounce: `_CANDIDATES`).
        await mail_volunteer(conn, volunteer_id, "gap_invitation", compose, at)
        invited.append(volunteer_id)
    return invited


async def invite_for_gaps(
    conn: Connection,
    at: dt.datetime,
    window: dt.timedelta,
    wave: dt.timedelta,
    base_url: str,
    batch: int,
) -> int:
    """One round of invitations for every open place within `window` of `at` whose last round
    is more than `wave` ago (in the caller's transaction); how many volunteers were invited."""
    if not await conn.fetchval(SWEEP_LOCK):
        return 0  # another replica is sweeping
    total = 0
    for shift in await conn.fetch(_OPEN_SHIFTS, at, window, wave):
        total += len(await invite(conn, shift, base_url, at, batch))
    return total
