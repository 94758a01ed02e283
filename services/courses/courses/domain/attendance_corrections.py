"""Correcting the attendance of a held session, within 7 days of its date.

A corrected entry keeps its `attendance_id` and is published again
(`courses.attendance_recorded.v1`), replacing the earlier one wherever it is counted; a
participant left out of the register is added as a new entry. Anonymous drop-ins are corrected
as a new total: more adds an entry, fewer takes from the latest entries, and an entry taken
whole stays as not present. The session's new number of attendees is announced
(`courses.attendance_corrected.v1`)."""

import datetime as dt
from uuid import UUID, uuid4

import asyncpg

from buurtwerk_shared.contracts.events.courses import AttendanceCorrectedV1, AttendanceRecordedV1
from buurtwerk_shared.pseudonyms import Pseudonymizer
from buurtwerk_shared.web.problems import conflict, unprocessable
from buurtwerk_shared.web.writes import WriteContext
from courses.api.schemas.sessions import (
    CorrectAttendance,
    CorrectedAttendance,
    ParticipantCorrection,
)
from courses.domain import clock
from courses.domain.attendance import INSERT, attendance_view, check_no_show, known_participant
from courses.domain.participants import find_participant, public_attributes
from courses.domain.sessions import get_session, load_session

# How long after a session its attendance may still be corrected.
CORRECTION_DAYS = 7

_UPDATE = """
UPDATE attendance SET present = $2, no_show = $3, count = $4, corrected_at = $5, corrected_by = $6
WHERE attendance_id = $1
RETURNING *
"""


async def correct_attendance(
    ctx: WriteContext, session_id: UUID, request: CorrectAttendance, pseudonyms: Pseudonymizer
) -> CorrectedAttendance:
    """Correct a held session's attendance (all changes or none)."""
    session = await load_session(ctx.conn, ctx.principal, session_id, lock=True)
    if session["status"] != "held":
        raise conflict(
            f"the session is {session['status']}: only a held session's attendance is corrected",
            code="session-not-held",
        )
    day = clock.local_date(session["starts_at"])
    if (clock.today() - day).days > CORRECTION_DAYS:
        raise conflict(
            f"the session was on {day}: attendance is corrected within {CORRECTION_DAYS} days",
            code="correction-window-closed",
        )
    mode = await ctx.conn.fetchval(
        "SELECT mode FROM activities WHERE activity_id = $1", session["activity_id"]
    )
    named = [c.participant_id for c in request.participants]
    if len(named) != len(set(named)):
        raise unprocessable("a participant appears more than once", field="body.participants")
    if request.anonymous is not None and mode == "enrolment":
        raise unprocessable(
            "an activity with enrolment has no anonymous drop-ins", field="body.anonymous"
        )
    now = clock.now()
    changed: list[asyncpg.Record] = []
    for index, correction in enumerate(request.participants):
        row = await _correct_participant(
            ctx, pseudonyms, session, mode, correction, f"body.participants.{index}", now
        )
        if row is not None:
            changed.append(row)
    if request.anonymous is not None:
        changed += await _correct_anonymous(ctx, session, request.anonymous, now)
    before = session["attendees"] or 0
    if changed:
        after: int = await ctx.conn.fetchval(
            "SELECT coalesce(sum(count), 0) FROM attendance WHERE session_id = $1 AND present",
            session_id,
        )
        await ctx.conn.execute(
            "UPDATE sessions SET attendees = $2, changed_at = $3 WHERE session_id = $1",
            session_id,
            after,
            now,
        )
        for row in changed:
            await _announce(ctx, pseudonyms, session, day, row)
        await ctx.emit(
            AttendanceCorrectedV1(
                session_id=session_id,
                activity_id=session["activity_id"],
                centre_id=session["centre_id"],
                starts_at=session["starts_at"],
                attendees_before=before,
                attendees=after,
                corrected_at=now,
            )
        )
        await ctx.audit(
            "attendance.correct",
            "session",
            session_id,
            {"entries": len(changed), "attendees": [before, after]},
        )
    rows = await ctx.conn.fetch(
        "SELECT * FROM attendance WHERE session_id = $1 ORDER BY recorded_at, attendance_id",
        session_id,
    )
    return CorrectedAttendance(
        session=await get_session(ctx.conn, ctx.principal, session_id),
        entries=[attendance_view(row) for row in rows],
    )


async def _correct_participant(
    ctx: WriteContext,
    pseudonyms: Pseudonymizer,
    session: asyncpg.Record,
    mode: str,
    correction: ParticipantCorrection,
    field: str,
    now: dt.datetime,
) -> asyncpg.Record | None:
    """The participant's entry changed or added; None if it already said so."""
    check_no_show(correction.no_show, correction.present, mode, field)
    existing = await ctx.conn.fetchrow(
        "SELECT * FROM attendance WHERE session_id = $1 AND participant_id = $2",
        session["session_id"],
        correction.participant_id,
    )
    if existing is not None:
        if (existing["present"], existing["no_show"]) == (correction.present, correction.no_show):
            return None
        return await ctx.conn.fetchrow(
            _UPDATE,
            existing["attendance_id"],
            correction.present,
            correction.no_show,
            existing["count"],
            now,
            ctx.principal.sub,
        )
    if mode == "drop_in" and not correction.present:
        raise unprocessable(
            "a drop-in activity records those who came, not those who did not",
            field=f"{field}.present",
        )
    public = await known_participant(
        ctx, pseudonyms, session, mode, correction.participant_id, field
    )
    return await ctx.conn.fetchrow(
        INSERT,
        uuid4(),
        session["session_id"],
        correction.participant_id,
        1,
        correction.present,
        public.age_band,
        public.target_group,
        ctx.principal.sub,
        correction.no_show,
        now,
    )


async def _correct_anonymous(
    ctx: WriteContext, session: asyncpg.Record, total: int, now: dt.datetime
) -> list[asyncpg.Record]:
    """Bring the anonymous drop-ins present to `total`; the entries changed or added."""
    rows = await ctx.conn.fetch(
        "SELECT * FROM attendance WHERE session_id = $1 AND participant_id IS NULL AND present "
        "ORDER BY recorded_at DESC, attendance_id DESC",
        session["session_id"],
    )
    current = sum(row["count"] for row in rows)
    if total > current:
        added = await ctx.conn.fetchrow(
            INSERT,
            uuid4(),
            session["session_id"],
            None,
            total - current,
            True,
            "unknown",
            None,
            ctx.principal.sub,
            False,
            now,
        )
        assert added is not None
        return [added]
    changed = []
    excess = current - total
    for row in rows:
        if excess == 0:
            break
        taken = min(row["count"], excess)
        excess -= taken
        whole = taken == row["count"]
        updated = await ctx.conn.fetchrow(
            _UPDATE,
            row["attendance_id"],
            not whole,
            False,
            row["count"] if whole else row["count"] - taken,
            now,
            ctx.principal.sub,
        )
        assert updated is not None
        changed.append(updated)
    return changed


async def _announce(
    ctx: WriteContext,
    pseudonyms: Pseudonymizer,
    session: asyncpg.Record,
    day: dt.date,
    row: asyncpg.Record,
) -> None:
    key = None
    if row["participant_id"] is not None:
        participant = await find_participant(
            ctx.conn, ctx.principal, row["participant_id"], "body.participants"
        )
        key = (await public_attributes(ctx.conn, pseudonyms, participant, day)).participant_key
    await ctx.emit(
        AttendanceRecordedV1(
            attendance_id=row["attendance_id"],
            session_id=session["session_id"],
            activity_id=session["activity_id"],
            centre_id=session["centre_id"],
            date=day,
            participant_key=key,
            count=row["count"],
            age_band=row["age_band"],
            target_group=row["target_group"],
            present=row["present"],
            no_show=row["no_show"],
        )
    )
