"""Sessions of an activity: scheduled, then cancelled with a reason or held with attendance.

Sessions may be planned while the activity is still a draft: they are announced
(`courses.session_scheduled.v1`) when it is published, and one cancelled before that is never
announced. Only a published activity's sessions are held and take attendance."""

import datetime as dt
from uuid import UUID, uuid4

import asyncpg

from buurtwerk_shared.contracts.events.courses import (
    SessionCancelledV1,
    SessionHeldV1,
    SessionScheduledV1,
)
from buurtwerk_shared.db.pool import Connection
from buurtwerk_shared.web.auth import Principal, ensure_centre
from buurtwerk_shared.web.pagination import Page, PageParams
from buurtwerk_shared.web.problems import conflict, not_found, unprocessable
from buurtwerk_shared.web.writes import WriteContext
from courses.api.schemas.sessions import (
    CancelSession,
    ScheduledSessions,
    ScheduleSessions,
    SessionView,
)
from courses.domain import clock
from courses.domain.activities import load_activity
from courses.domain.listing import Filters, fetch_page

LOCAL_DATE = "(s.starts_at AT TIME ZONE 'Europe/Brussels')::date"


def _view(row: asyncpg.Record) -> SessionView:
    return SessionView(
        session_id=row["session_id"],
        activity_id=row["activity_id"],
        centre_id=row["centre_id"],
        date=clock.local_date(row["starts_at"]),
        starts_at=row["starts_at"],
        ends_at=row["ends_at"],
        status=row["status"],
        cancel_reason=row["cancel_reason"],
        attendees=row["attendees"],
    )


async def load_session(
    conn: Connection, principal: Principal, session_id: UUID, *, lock: bool = False
) -> asyncpg.Record:
    """The session (404 if unknown, 403 outside the caller's centres), locked if asked.

    The lock serialises attendance, holding and cancelling of one session.
    """
    row = await conn.fetchrow(
        "SELECT * FROM sessions WHERE session_id = $1" + (" FOR UPDATE" if lock else ""),
        session_id,
    )
    if row is None:
        raise not_found(f"session {session_id}", field="path.session_id")
    ensure_centre(principal, row["centre_id"])
    return row


def _instant(day: dt.date, time: dt.time, field: str) -> dt.datetime:
    try:
        return clock.at_local(day, time)
    except ValueError as exc:
        raise unprocessable(str(exc), field=field) from exc


async def schedule_sessions(
    ctx: WriteContext, activity_id: UUID, request: ScheduleSessions
) -> ScheduledSessions:
    """Schedule one session, or one a week at the same local time (right across DST changes)."""
    activity = await load_activity(ctx.conn, ctx.principal, activity_id, lock=True)
    announce = activity["status"] == "published"
    if request.end_time <= request.start_time:
        raise unprocessable(
            "a session ends after it starts, on the same day", field="body.end_time"
        )
    days = [request.date + dt.timedelta(weeks=week) for week in range(request.weeks)]
    times = [
        (
            _instant(day, request.start_time, "body.start_time"),
            _instant(day, request.end_time, "body.end_time"),
        )
        for day in days
    ]
    taken = await ctx.conn.fetchval(
        "SELECT min(starts_at) FROM sessions WHERE activity_id = $1 AND starts_at = ANY($2)",
        activity_id,
        [starts_at for starts_at, _ in times],
    )
    if taken is not None:
        raise conflict(
            f"this activity already has a session starting at {taken.astimezone(clock.BRUSSELS)}",
            field="body.date",
            code="session-exists",
        )
    rows = []
    for starts_at, ends_at in times:
        session_id = uuid4()
        row = await ctx.conn.fetchrow(
            """
            INSERT INTO sessions (session_id, activity_id, centre_id, starts_at, ends_at)
            VALUES ($1, $2, $3, $4, $5)
            RETURNING *
            """,
            session_id,
            activity_id,
            activity["centre_id"],
            starts_at,
            ends_at,
        )
        assert row is not None
        rows.append(row)
        if announce:
            await ctx.emit(
                SessionScheduledV1(
                    session_id=session_id,
                    activity_id=activity_id,
                    centre_id=activity["centre_id"],
                    starts_at=starts_at,
                    ends_at=ends_at,
                )
            )
    await ctx.audit(
        "session.schedule",
        "activity",
        activity_id,
        {"sessions": [row["session_id"] for row in rows]},
    )
    return ScheduledSessions(sessions=[_view(row) for row in rows])


async def _published(conn: Connection, activity_id: UUID) -> bool:
    status = await conn.fetchval(
        "SELECT status FROM activities WHERE activity_id = $1", activity_id
    )
    return bool(status == "published")


async def ensure_published(conn: Connection, session: asyncpg.Record) -> None:
    """Refuse a session of a draft activity: it is planned, not yet held."""
    if not await _published(conn, session["activity_id"]):
        raise conflict(
            "the activity is not published yet: its sessions are only planned",
            code="activity-not-published",
        )


def _ensure_scheduled(session: asyncpg.Record) -> None:
    if session["status"] != "scheduled":
        raise conflict(f"the session is already {session['status']}", code="session-closed")


async def cancel_session(
    ctx: WriteContext, session_id: UUID, request: CancelSession
) -> SessionView:
    """Cancel a scheduled session, saying why; one with recorded attendance took place."""
    session = await load_session(ctx.conn, ctx.principal, session_id, lock=True)
    _ensure_scheduled(session)
    if await ctx.conn.fetchval(
        "SELECT true FROM attendance WHERE session_id = $1 LIMIT 1", session_id
    ):
        raise conflict(
            "attendance was recorded for this session, so it took place: mark it held",
            code="session-has-attendance",
        )
    row = await ctx.conn.fetchrow(
        """
        UPDATE sessions SET status = 'cancelled', cancel_reason = $2, changed_at = now()
        WHERE session_id = $1 RETURNING *
        """,
        session_id,
        request.reason,
    )
    assert row is not None
    if await _published(ctx.conn, row["activity_id"]):
        await ctx.emit(
            SessionCancelledV1(
                session_id=session_id,
                activity_id=row["activity_id"],
                centre_id=row["centre_id"],
                starts_at=row["starts_at"],
                reason=request.reason,
            )
        )
    await ctx.audit("session.cancel", "session", session_id)
    return _view(row)


async def hold_session(ctx: WriteContext, session_id: UUID) -> SessionView:
    """Close a session as held; its attendees are those recorded present."""
    session = await load_session(ctx.conn, ctx.principal, session_id, lock=True)
    _ensure_scheduled(session)
    await ensure_published(ctx.conn, session)
    if session["starts_at"] > clock.now():
        raise conflict("the session has not started yet", code="session-in-future")
    attendees = await ctx.conn.fetchval(
        "SELECT coalesce(sum(count), 0) FROM attendance WHERE session_id = $1 AND present",
        session_id,
    )
    row = await ctx.conn.fetchrow(
        """
        UPDATE sessions SET status = 'held', attendees = $2, changed_at = now()
        WHERE session_id = $1 RETURNING *
        """,
        session_id,
        attendees,
    )
    assert row is not None
    await ctx.emit(
        SessionHeldV1(
            session_id=session_id,
            activity_id=row["activity_id"],
            centre_id=row["centre_id"],
            starts_at=row["starts_at"],
            attendees=attendees,
        )
    )
    await ctx.audit("session.hold", "session", session_id, {"attendees": attendees})
    return _view(row)


async def get_session(conn: Connection, principal: Principal, session_id: UUID) -> SessionView:
    """One session in the caller's centres."""
    return _view(await load_session(conn, principal, session_id))


async def list_sessions(
    conn: Connection,
    principal: Principal,
    page: PageParams,
    *,
    centre_id: str | None = None,
    activity_id: UUID | None = None,
    status: str | None = None,
    date_from: dt.date | None = None,
    date_to: dt.date | None = None,
) -> Page[SessionView]:
    """Sessions in the caller's centres, in time order, between two local dates (inclusive)."""
    filters = Filters()
    filters.centre_scope(principal, "s.centre_id", centre_id)
    filters.add("s.activity_id = {}", activity_id)
    filters.add("s.status = {}", status)
    filters.add(f"{LOCAL_DATE} >= {{}}", date_from)
    filters.add(f"{LOCAL_DATE} <= {{}}", date_to)
    return await fetch_page(
        conn,
        select="s.*",
        from_="sessions s",
        filters=filters,
        order_by="s.starts_at, s.session_id",
        page=page,
        build=_view,
    )
