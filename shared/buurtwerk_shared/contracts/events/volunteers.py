"""Events published by the volunteers service (`/buurtwerk/volunteers`)."""

from typing import Annotated, ClassVar, Literal
from uuid import UUID

from pydantic import Field

from buurtwerk_shared.contracts.events.base import EventData
from buurtwerk_shared.contracts.types import CentreId, EventDate, EventInstant, ShortText, Total

SOURCE = "/buurtwerk/volunteers"

VolunteerStatus = Literal["applied", "intake", "onboarding", "active", "paused", "left"]
ShiftRole = Literal[
    "kitchen", "computer_corner", "homework_support", "conversation_group", "welcome_desk", "other"
]
Hours = Annotated[float, Field(ge=0, le=24)]
# Volunteers a shift needs: as many as the volunteers service accepts.
Needed = Annotated[int, Field(ge=1, le=50)]

# The pipeline transitions the catalogue allows (from -> allowed next statuses).
ALLOWED_TRANSITIONS: dict[VolunteerStatus, frozenset[VolunteerStatus]] = {
    "applied": frozenset({"intake", "left"}),
    "intake": frozenset({"onboarding", "left"}),
    "onboarding": frozenset({"active", "left"}),
    "active": frozenset({"paused", "left"}),
    "paused": frozenset({"active", "left"}),
    "left": frozenset({"applied"}),
}


class _VolunteersEvent(EventData):
    source: ClassVar[str] = SOURCE


class VolunteerStatusChangedV1(_VolunteersEvent):
    """A volunteer moved along the pipeline."""

    event_type: ClassVar[str] = "volunteers.volunteer_status_changed.v1"
    subject_field: ClassVar[str | None] = "volunteer_id"

    volunteer_id: UUID
    status: VolunteerStatus
    previous_status: VolunteerStatus | None = Field(description="null for a new applicant")
    centre_ids: list[CentreId] = Field(default_factory=list, max_length=50)
    group_ids: list[UUID] = Field(default_factory=list, max_length=100)
    changed_at: EventInstant


class ShiftScheduledV1(_VolunteersEvent):
    """A shift was scheduled at a centre."""

    event_type: ClassVar[str] = "volunteers.shift_scheduled.v1"
    subject_field: ClassVar[str | None] = "shift_id"

    shift_id: UUID
    centre_id: CentreId
    role: ShiftRole
    starts_at: EventInstant
    ends_at: EventInstant
    needed: Needed


class ShiftAssignmentChangedV1(_VolunteersEvent):
    """A volunteer was assigned to or removed from a shift."""

    event_type: ClassVar[str] = "volunteers.shift_assignment_changed.v1"
    subject_field: ClassVar[str | None] = "shift_id"

    shift_id: UUID
    volunteer_id: UUID
    centre_id: CentreId
    role: ShiftRole
    starts_at: EventInstant
    ends_at: EventInstant
    assigned: bool
    changed_at: EventInstant


class ShiftChangedV1(_VolunteersEvent):
    """A shift not yet started was cancelled or now needs another number of volunteers; the
    volunteers on it are named by id, for whoever tells them (their contact stays in volunteers)."""

    event_type: ClassVar[str] = "volunteers.shift_changed.v1"
    subject_field: ClassVar[str | None] = "shift_id"

    shift_id: UUID
    centre_id: CentreId
    role: ShiftRole
    starts_at: EventInstant
    ends_at: EventInstant
    change: Literal["cancelled", "needed"] = Field(
        description="`cancelled`: the shift will not take place; `needed`: its number changed."
    )
    needed: Needed = Field(description="Volunteers the shift needs now (as before if cancelled).")
    previous_needed: Needed
    volunteer_ids: list[UUID] = Field(
        description="The volunteers on the shift when it changed: the people to tell.",
        max_length=200,
    )
    changed_at: EventInstant


class ShiftCompletedV1(_VolunteersEvent):
    """A volunteer completed a shift and the hours were recorded."""

    event_type: ClassVar[str] = "volunteers.shift_completed.v1"
    subject_field: ClassVar[str | None] = "shift_id"

    shift_id: UUID
    volunteer_id: UUID
    centre_id: CentreId
    role: ShiftRole
    date: EventDate
    hours: Hours


class HoursCorrectedV1(_VolunteersEvent):
    """The hours of a completed shift were corrected (the corrected total)."""

    event_type: ClassVar[str] = "volunteers.hours_corrected.v1"
    subject_field: ClassVar[str | None] = "shift_id"

    shift_id: UUID
    volunteer_id: UUID
    centre_id: CentreId
    role: ShiftRole
    date: EventDate
    hours: Hours
    corrected_at: EventInstant


class MilestoneReachedV1(_VolunteersEvent):
    """A volunteer reached an appreciation milestone (e.g. `hours_50`, `years_1`)."""

    event_type: ClassVar[str] = "volunteers.milestone_reached.v1"
    subject_field: ClassVar[str | None] = "volunteer_id"

    volunteer_id: UUID
    centre_id: CentreId | None = None
    milestone: Annotated[str, Field(pattern=r"^(hours|years)_[0-9]{1,6}$")]
    reached_at: EventInstant


class AppreciationRecordedV1(_VolunteersEvent):
    """An appreciation moment was held (centre_id null when city-wide)."""

    event_type: ClassVar[str] = "volunteers.appreciation_recorded.v1"
    subject_field: ClassVar[str | None] = "appreciation_id"

    appreciation_id: UUID
    centre_id: CentreId | None = Field(description="null when city-wide")
    kind: ShortText
    date: EventDate
    volunteer_count: Total


class VolunteerErasedV1(_VolunteersEvent):
    """A volunteer's personal data was erased; ids and hours remain for the statistics."""

    event_type: ClassVar[str] = "volunteers.volunteer_erased.v1"
    subject_field: ClassVar[str | None] = "volunteer_id"

    volunteer_id: UUID
    erased_at: EventInstant
