"""Request and response bodies for sessions and their attendance."""

import datetime as dt
from typing import Annotated
from uuid import UUID

from pydantic import BaseModel, ConfigDict, Field, PositiveInt

from buurtwerk_shared.contracts.types import AgeBand, TargetGroup
from buurtwerk_shared.web.fields import CalendarDate, LocalTime
from courses.api.schemas.common import PublicLongText


class ScheduleSessions(BaseModel):
    """One session, or the same local time on several consecutive weeks."""

    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [
                {"date": "2026-03-10", "start_time": "13:30", "end_time": "15:30", "weeks": 6}
            ]
        },
    )

    date: CalendarDate = Field(description="Local date (Europe/Brussels) of the first session.")
    start_time: LocalTime = Field(description="Local clock time the session starts.")
    end_time: LocalTime = Field(description="Local clock time the session ends (same day).")
    weeks: Annotated[int, Field(ge=1, le=52)] = Field(
        default=1, description="Schedule this many weekly sessions, at the same local time."
    )


class CancelSession(BaseModel):
    """Why a session does not take place (published: no names or contact data)."""

    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={"examples": [{"reason": "Lesgever ziek / teacher ill"}]},
    )

    reason: PublicLongText


class SessionView(BaseModel):
    """A session of an activity."""

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "session_id": "9f7e6d5c-4b3a-4291-8f7e-6d5c4b3a2910",
                    "activity_id": "0b9c2e4e-3f7a-4f55-9a43-2b8c1d0e7f10",
                    "centre_id": "sint-maartensdal",
                    "date": "2026-03-10",
                    "starts_at": "2026-03-10T13:30:00+01:00",
                    "ends_at": "2026-03-10T15:30:00+01:00",
                    "status": "held",
                    "cancel_reason": None,
                    "attendees": 4,
                }
            ]
        }
    )

    session_id: UUID
    activity_id: UUID
    centre_id: str
    date: dt.date = Field(description="Local date.")
    starts_at: dt.datetime
    ends_at: dt.datetime
    status: str = Field(description="scheduled, cancelled or held.")
    cancel_reason: str | None
    attendees: int | None = Field(description="People present, once held.")


class ScheduledSessions(BaseModel):
    """The sessions just scheduled."""

    sessions: list[SessionView]


class AttendanceEntry(BaseModel):
    """A known participant (present or absent), or a number of anonymous drop-ins."""

    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [
                {"participant_id": "5d1f0a52-8a8e-4c4c-9b1e-0a7d3c2b1f00", "present": True},
                {"count": 3, "age_band": "26-64", "target_group": "newcomers"},
            ]
        },
    )

    participant_id: UUID | None = Field(default=None, description="Leave out for anonymous ones.")
    count: Annotated[PositiveInt, Field(le=500)] = Field(
        default=1, description="1 for a known participant; the number of anonymous drop-ins."
    )
    present: bool = True
    no_show: bool = Field(
        default=False,
        description="An enrolled participant absent without notice (with present: false).",
    )
    age_band: AgeBand | None = Field(
        default=None, description="Anonymous drop-ins only (known participants: from their data)."
    )
    target_group: TargetGroup | None = Field(default=None, description="Anonymous drop-ins only.")


class RecordAttendance(BaseModel):
    """Attendance at one session, recorded all together or not at all."""

    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [
                {
                    "entries": [
                        {"participant_id": "5d1f0a52-8a8e-4c4c-9b1e-0a7d3c2b1f00"},
                        {
                            "participant_id": "6e2a1b63-9b9f-4d5d-8c2f-1b8e4d3c2a11",
                            "present": False,
                        },
                        {"count": 3, "age_band": "26-64", "target_group": "newcomers"},
                    ]
                }
            ]
        },
    )

    entries: list[AttendanceEntry] = Field(min_length=1, max_length=200)


class AttendanceView(BaseModel):
    """One attendance record."""

    attendance_id: UUID
    session_id: UUID
    participant_id: UUID | None
    count: int
    present: bool
    no_show: bool
    age_band: str
    target_group: str | None
    recorded_at: dt.datetime
    corrected_at: dt.datetime | None = Field(description="When a correction last changed it.")


class RecordedAttendance(BaseModel):
    """The attendance records just made."""

    entries: list[AttendanceView]


class ParticipantCorrection(BaseModel):
    """A known participant's corrected attendance at a held session."""

    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [
                {
                    "participant_id": "5d1f0a52-8a8e-4c4c-9b1e-0a7d3c2b1f00",
                    "present": False,
                    "no_show": True,
                }
            ]
        },
    )

    participant_id: UUID
    present: bool
    no_show: bool = Field(
        default=False,
        description="An enrolled participant absent without notice (with present: false).",
    )


class CorrectAttendance(BaseModel):
    """The corrected attendance of a held session: the participants whose entry changes (or is
    added), and the new total of anonymous drop-ins (drop-in activities; leave out to keep it)."""

    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [
                {
                    "participants": [
                        {"participant_id": "5d1f0a52-8a8e-4c4c-9b1e-0a7d3c2b1f00", "present": False}
                    ],
                    "anonymous": 4,
                }
            ]
        },
    )

    participants: list[ParticipantCorrection] = Field(default_factory=list, max_length=200)
    anonymous: Annotated[int, Field(ge=0, le=500)] | None = Field(
        default=None, description="The corrected number of anonymous drop-ins."
    )


class CorrectedAttendance(BaseModel):
    """The session after the correction, and its attendance entries as they now are."""

    session: SessionView
    entries: list[AttendanceView]
