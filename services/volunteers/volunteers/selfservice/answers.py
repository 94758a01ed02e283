"""What a link does when its button is pressed (a POST): confirm, decline, or take a place.

Each action runs in one transaction with the link's row locked, so a link is used once even when
pressed twice at once. Declining and taking lock the volunteer's row and then the shift's, like
every assignment (`volunteers.domain.assignments`): of two volunteers taking the last place at
the same moment, the second waits for the first and finds the shift full.
"""

import datetime as dt
from dataclasses import dataclass
from typing import Literal

import asyncpg

from buurtwerk_shared.db.pool import Connection
from buurtwerk_shared.web.problems import Problem
from volunteers.api.schemas.shifts import NewAssignment
from volunteers.domain.assignments import assign, shift_for_update, withdraw
from volunteers.selfservice import links
from volunteers.selfservice.context import LinkContext
from volunteers.selfservice.gaps import invite
from volunteers.selfservice.links import Purpose

Outcome = Literal[
    "shift_confirm_done",
    "shift_decline_done",
    "gap_take_done",
    "already_filled",
    "not_possible",
    "no_longer_on_shift",
    "started",
    "cancelled",
]
# Why the shared assignment rules refused a place, as the page says it.
_REASONS = {
    "double-booked": "double_booked",
    "qualification-missing": "qualification",
    "volunteer-not-schedulable": "not_schedulable",
    "volunteer-not-at-centre": "not_schedulable",
    "erased": "not_schedulable",
}


@dataclass(frozen=True)
class Answer:
    """The outcome of a press, and the page text's key for the reason if it was not possible."""

    outcome: Outcome
    reason: str | None = None


@dataclass(frozen=True)
class GapPolicy:
    """When a freed place is offered to others at once, and to how many."""

    window: dt.timedelta
    batch: int
    base_url: str


async def _is_assigned(conn: Connection, link: asyncpg.Record) -> bool:
    return bool(
        await conn.fetchval(
            "SELECT assigned FROM assignments WHERE shift_id = $1 AND volunteer_id = $2",
            link["shift_id"],
            link["volunteer_id"],
        )
    )


async def _record_reply(
    conn: Connection, link: asyncpg.Record, answer: str, at: dt.datetime
) -> None:
    await conn.execute(
        "UPDATE shift_reminders SET answer = $3, answered_at = $4 "
        "WHERE shift_id = $1 AND volunteer_id = $2",
        link["shift_id"],
        link["volunteer_id"],
        answer,
        at,
    )


async def confirm(conn: Connection, link: asyncpg.Record, at: dt.datetime) -> Answer:
    """ "I'll be there": recorded on the reminder."""
    shift = await conn.fetchrow("SELECT * FROM shifts WHERE shift_id = $1", link["shift_id"])
    assert shift is not None
    if shift["starts_at"] <= at:
        return Answer("started")
    if not await _is_assigned(conn, link):
        return Answer("no_longer_on_shift")
    await _record_reply(conn, link, "confirmed", at)
    await links.mark_used(conn, link, at)
    ctx = LinkContext(conn, link["volunteer_id"], shift["centre_id"])
    await ctx.audit("shift.confirm", "shift", shift["shift_id"], {"via": "link"})
    return Answer("shift_confirm_done")


async def decline(
    conn: Connection, link: asyncpg.Record, at: dt.datetime, gaps: GapPolicy
) -> Answer:
    """ "I can't come": the place is freed (a gap the coordinator sees) and, when the shift is
    near, offered to other volunteers at once."""
    await conn.execute(
        "SELECT 1 FROM volunteers WHERE volunteer_id = $1 FOR UPDATE", link["volunteer_id"]
    )
    shift = await shift_for_update(conn, link["shift_id"])
    if shift["starts_at"] <= at:
        return Answer("started")
    if not await _is_assigned(conn, link):
        return Answer("no_longer_on_shift")
    ctx = LinkContext(conn, link["volunteer_id"], shift["centre_id"])
    await withdraw(ctx, shift, link["volunteer_id"])
    await _record_reply(conn, link, "declined", at)
    await links.mark_used(conn, link, at)
    await ctx.audit(
        "shift.decline", "shift", shift["shift_id"], {"volunteer_id": link["volunteer_id"]}
    )
    if shift["starts_at"] <= at + gaps.window:
        await invite(conn, shift, gaps.base_url, at, gaps.batch)
    return Answer("shift_decline_done")


async def take(conn: Connection, link: asyncpg.Record, at: dt.datetime) -> Answer:
    """ "I'll take it": the place, if still open and the volunteer may take it."""
    shift = await conn.fetchrow("SELECT * FROM shifts WHERE shift_id = $1", link["shift_id"])
    assert shift is not None
    if shift["starts_at"] <= at:
        return Answer("started")
    ctx = LinkContext(conn, link["volunteer_id"], shift["centre_id"])
    answer: Answer
    try:
        async with conn.transaction():  # a savepoint: a refusal leaves nothing half-written
            await assign(
                ctx,
                shift["shift_id"],
                NewAssignment(volunteer_id=link["volunteer_id"], via="sign_up"),
            )
    except Problem as problem:
        if problem.code == "shift-full":
            answer = Answer("already_filled")
        elif problem.code == "already-assigned":
            answer = Answer("gap_take_done")
        else:
            answer = Answer("not_possible", _REASONS.get(problem.code or "", "not_schedulable"))
    else:
        answer = Answer("gap_take_done")
        await links.mark_used(conn, link, at)
        # Taken just now: no reminder asking to confirm it.
        await conn.execute(
            "INSERT INTO shift_reminders (shift_id, volunteer_id, reminded_at, mailed, answer, "
            "answered_at) VALUES ($1, $2, $3, false, 'confirmed', $3) ON CONFLICT DO NOTHING",
            shift["shift_id"],
            link["volunteer_id"],
            at,
        )
    stored = {"gap_take_done": "taken", "already_filled": "already_filled"}.get(
        answer.outcome, "not_possible"
    )
    await conn.execute(
        "UPDATE gap_invitations SET answer = $3, answered_at = $4 "
        "WHERE shift_id = $1 AND volunteer_id = $2",
        shift["shift_id"],
        link["volunteer_id"],
        stored,
        at,
    )
    await ctx.audit("shift.gap_answer", "shift", shift["shift_id"], {"answer": stored})
    return answer


async def act(conn: Connection, link: asyncpg.Record, at: dt.datetime, gaps: GapPolicy) -> Answer:
    """Do what the link is for (nothing on a cancelled shift)."""
    cancelled = await conn.fetchval(
        "SELECT cancelled_at IS NOT NULL FROM shifts WHERE shift_id = $1", link["shift_id"]
    )
    if cancelled:
        return Answer("cancelled")
    purpose = Purpose(link["purpose"])
    if purpose is Purpose.SHIFT_CONFIRM:
        return await confirm(conn, link, at)
    if purpose is Purpose.SHIFT_DECLINE:
        return await decline(conn, link, at, gaps)
    return await take(conn, link, at)
