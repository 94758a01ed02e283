"""HTTP routes for sessions and their attendance."""

from typing import Annotated, Literal
from uuid import UUID

from fastapi import APIRouter, Query
from fastapi.responses import JSONResponse

from buurtwerk_shared.contracts.types import CentreId
from buurtwerk_shared.web.fields import CalendarDate
from buurtwerk_shared.web.pagination import Page, PageQuery
from buurtwerk_shared.web.writes import WritesDep
from courses.api.dependencies import Db, Manager, Pseudonyms, Reader
from courses.api.schemas.sessions import (
    AttendanceView,
    CancelSession,
    CorrectAttendance,
    CorrectedAttendance,
    RecordAttendance,
    RecordedAttendance,
    SessionView,
)
from courses.domain import attendance, attendance_corrections, sessions

router = APIRouter(prefix="/sessions", tags=["sessions"])


@router.get("", response_model=Page[SessionView], summary="List sessions")
async def list_sessions(
    principal: Reader,
    db: Db,
    page: PageQuery,
    centre_id: Annotated[CentreId | None, Query()] = None,
    activity_id: Annotated[UUID | None, Query()] = None,
    status: Annotated[Literal["scheduled", "cancelled", "held"] | None, Query()] = None,
    date_from: Annotated[
        CalendarDate | None, Query(alias="from", description="Local date.")
    ] = None,
    date_to: Annotated[CalendarDate | None, Query(alias="to", description="Local date.")] = None,
) -> Page[SessionView]:
    """Sessions of the caller's centres in time order, between two local dates (inclusive)."""
    return await sessions.list_sessions(
        db,
        principal,
        page,
        centre_id=centre_id,
        activity_id=activity_id,
        status=status,
        date_from=date_from,
        date_to=date_to,
    )


@router.get("/{session_id}", response_model=SessionView, summary="One session")
async def get_session(session_id: UUID, principal: Reader, db: Db) -> SessionView:
    """One session."""
    return await sessions.get_session(db, principal, session_id)


@router.post("/{session_id}/cancel", response_model=SessionView, summary="Cancel a session")
async def cancel_session(
    session_id: UUID, body: CancelSession, principal: Manager, writes: WritesDep
) -> JSONResponse:
    """Cancel a scheduled session with a reason; emits `courses.session_cancelled.v1`."""
    return await writes.run(
        principal, lambda ctx: sessions.cancel_session(ctx, session_id, body), status_code=200
    )


@router.post("/{session_id}/hold", response_model=SessionView, summary="Mark a session held")
async def hold_session(session_id: UUID, principal: Manager, writes: WritesDep) -> JSONResponse:
    """Close a session that took place; its attendees are those recorded present. Emits
    `courses.session_held.v1`. Record the attendance first: it closes with the session."""
    return await writes.run(
        principal, lambda ctx: sessions.hold_session(ctx, session_id), status_code=200
    )


@router.post(
    "/{session_id}/attendance",
    status_code=201,
    response_model=RecordedAttendance,
    summary="Record attendance",
)
async def record_attendance(
    session_id: UUID,
    body: RecordAttendance,
    principal: Manager,
    writes: WritesDep,
    pseudonyms: Pseudonyms,
) -> JSONResponse:
    """Record who came (enrolled participants present or absent; known or anonymous drop-ins);
    emits `courses.attendance_recorded.v1` per entry. All entries are recorded or none."""
    return await writes.run(
        principal,
        lambda ctx: attendance.record_attendance(ctx, session_id, body, pseudonyms),
    )


@router.post(
    "/{session_id}/attendance/correction",
    response_model=CorrectedAttendance,
    summary="Correct a held session's attendance",
)
async def correct_attendance(
    session_id: UUID,
    body: CorrectAttendance,
    principal: Manager,
    writes: WritesDep,
    pseudonyms: Pseudonyms,
) -> JSONResponse:
    """Correct who came to a held session, within 7 days of it: participants present, absent or
    no-show, and the number of anonymous drop-ins. Each changed entry is published again
    (`courses.attendance_recorded.v1`, same `attendance_id`), then
    `courses.attendance_corrected.v1` with the new number of attendees."""
    return await writes.run(
        principal,
        lambda ctx: attendance_corrections.correct_attendance(ctx, session_id, body, pseudonyms),
        status_code=200,
    )


@router.get(
    "/{session_id}/attendance",
    response_model=Page[AttendanceView],
    summary="A session's attendance",
)
async def list_attendance(
    session_id: UUID, principal: Manager, db: Db, page: PageQuery
) -> Page[AttendanceView]:
    """The attendance recorded at one session."""
    return await attendance.list_attendance(db, principal, session_id, page)
