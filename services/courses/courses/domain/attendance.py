"""Attendance: enrolled participants, known drop-ins and anonymous drop-ins in one model.

An enrolled participant absent without notice is a no-show. Corrections of a held session are in
`courses.domain.attendance_corrections`.

In an activity with enrolment only participants holding a seat are recorded, present or absent;
in a drop-in activity anyone who came: a known participant, or a number of anonymous people.
"""

from uuid import UUID, uuid4

import asyncpg

from buurtwerk_shared.contracts.events.courses import AttendanceRecordedV1
from buurtwerk_shared.db.pool import Connection
from buurtwerk_shared.pseudonyms import Pseudonymizer
from buurtwerk_shared.web.auth import Principal
from buurtwerk_shared.web.pagination import Page, PageParams
from buurtwerk_shared.web.problems import conflict, unprocessable
from buurtwerk_shared.web.writes import WriteContext
from courses.api.schemas.sessions import (
    AttendanceEntry,
    AttendanceView,
    RecordAttendance,
    RecordedAttendance,
)
from courses.domain import clock
from courses.domain.enrolments import SEATED
from courses.domain.listing import Filters, fetch_page
from courses.domain.participants import PublicAttributes, find_participant, public_attributes
from courses.domain.sessions import ensure_published, load_session

INSERT = """
INSERT INTO attendance (attendance_id, session_id, participant_id, count, present, age_band,
                        target_group, recorded_by, no_show, corrected_at)
VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)
RETURNING *
"""


def attendance_view(row: asyncpg.Record) -> AttendanceView:
    """One attendance record as the API shows it."""
    return AttendanceView.model_validate(dict(row))


def check_no_show(no_show: bool, present: bool, mode: str, field: str) -> None:
    """A no-show is an enrolled participant who stayed away without notice."""
    if not no_show:
        return
    if present:
        raise unprocessable("a no-show is not present", field=f"{field}.no_show")
    if mode != "enrolment":
        raise unprocessable(
            "a drop-in activity has no seats to stay away from: no no-shows",
            field=f"{field}.no_show",
        )


def _check_entry_shape(entry: AttendanceEntry, field: str, mode: str) -> None:
    if entry.no_show and entry.participant_id is None:
        raise unprocessable("only a known participant is a no-show", field=f"{field}.no_show")
    check_no_show(entry.no_show, entry.present, mode, field)
    if entry.participant_id is not None:
        if entry.count != 1:
            raise unprocessable("a known participant counts once", field=f"{field}.count")
        for name in ("age_band", "target_group"):
            if getattr(entry, name) is not None:
                raise unprocessable(
                    f"{name} of a known participant comes from their data", field=f"{field}.{name}"
                )
        if mode == "drop_in" and not entry.present:
            raise unprocessable(
                "a drop-in activity records those who came, not those who did not",
                field=f"{field}.present",
            )
        return
    if mode == "enrolment":
        raise unprocessable(
            "an activity with enrolment records its enrolled participants, not anonymous ones",
            field=f"{field}.participant_id",
        )
    if not entry.present:
        raise unprocessable("anonymous drop-ins are the people who came", field=f"{field}.present")


async def known_participant(
    ctx: WriteContext,
    pseudonyms: Pseudonymizer,
    session: asyncpg.Record,
    mode: str,
    participant_id: UUID,
    field: str,
) -> PublicAttributes:
    """The public attributes of a participant who may be recorded at the session (not recorded
    yet; holding a seat in an activity with enrolment)."""
    participant = await find_participant(
        ctx.conn, ctx.principal, participant_id, f"{field}.participant_id"
    )
    if await ctx.conn.fetchval(
        "SELECT true FROM attendance WHERE session_id = $1 AND participant_id = $2",
        session["session_id"],
        participant_id,
    ):
        raise conflict(
            "this participant's attendance at this session is already recorded",
            field=f"{field}.participant_id",
            code="attendance-recorded",
        )
    if mode == "enrolment" and not await ctx.conn.fetchval(
        "SELECT true FROM enrolments WHERE activity_id = $1 AND participant_id = $2 "
        "AND status = ANY($3)",
        session["activity_id"],
        participant_id,
        list(SEATED),
    ):
        raise conflict(
            "this participant has no seat in the activity",
            field=f"{field}.participant_id",
            code="not-enrolled",
        )
    return await public_attributes(
        ctx.conn, pseudonyms, participant, clock.local_date(session["starts_at"])
    )


async def record_attendance(
    ctx: WriteContext, session_id: UUID, request: RecordAttendance, pseudonyms: Pseudonymizer
) -> RecordedAttendance:
    """Record attendance at a session that has come (all entries or none)."""
    session = await load_session(ctx.conn, ctx.principal, session_id, lock=True)
    if session["status"] != "scheduled":
        raise conflict(
            f"the session is {session['status']}: its attendance is closed", code="session-closed"
        )
    await ensure_published(ctx.conn, session)
    day = clock.local_date(session["starts_at"])
    if day > clock.today():
        raise conflict("the session has not taken place yet", code="session-in-future")
    mode = await ctx.conn.fetchval(
        "SELECT mode FROM activities WHERE activity_id = $1", session["activity_id"]
    )
    named = [entry.participant_id for entry in request.entries if entry.participant_id]
    if len(named) != len(set(named)):
        raise unprocessable("a participant appears more than once", field="body.entries")
    recorded = []
    for index, entry in enumerate(request.entries):
        field = f"body.entries.{index}"
        _check_entry_shape(entry, field, mode)
        key: str | None = None
        age_band, target_group = entry.age_band or "unknown", entry.target_group
        if entry.participant_id is not None:
            public = await known_participant(
                ctx, pseudonyms, session, mode, entry.participant_id, field
            )
            key, age_band, target_group = (
                public.participant_key,
                public.age_band,
                public.target_group,
            )
        row = await ctx.conn.fetchrow(
            INSERT,
            uuid4(),
            session_id,
            entry.participant_id,
            entry.count,
            entry.present,
            age_band,
            target_group,
            ctx.principal.sub,
            entry.no_show,
            None,
        )
        assert row is not None
        recorded.append(row)
        await ctx.emit(
            AttendanceRecordedV1(
                attendance_id=row["attendance_id"],
                session_id=session_id,
                activity_id=session["activity_id"],
                centre_id=session["centre_id"],
                date=day,
                participant_key=key,
                count=entry.count,
                age_band=age_band,
                target_group=target_group,
                present=entry.present,
                no_show=entry.no_show,
            )
        )
    await ctx.audit(
        "attendance.record",
        "session",
        session_id,
        {
            "known": len(named),
            "anonymous": sum(r["count"] for r in recorded if not r["participant_id"]),
        },
    )
    return RecordedAttendance(entries=[attendance_view(row) for row in recorded])


async def list_attendance(
    conn: Connection, principal: Principal, session_id: UUID, page: PageParams
) -> Page[AttendanceView]:
    """The attendance recorded at one session, in the order it was recorded."""
    await load_session(conn, principal, session_id)
    filters = Filters()
    filters.add("session_id = {}", session_id)
    return await fetch_page(
        conn,
        select="*",
        from_="attendance",
        filters=filters,
        order_by="recorded_at, attendance_id",
        page=page,
        build=attendance_view,
    )
