"""Events published by the volunteers service (`/buurtwerk/volunteers`)."""

from datetime import date
from typing import Annotated, ClassVar, Literal
from uuid import UUID

from pydantic import AwareDatetime, Field, NonNegativeInt, PositiveInt

from buurtwerk_shared.contracts.events.base import EventData
from buurtwerk_shared.contracts.types import CentreId, ShortText

SOURCE = "/buurtwerk/volunteers"

VolunteerStatus = Literal["applied", "intake", "onboarding", "active", "paused", "left"]
ShiftRole = Literal[
    "kitchen", "computer_corner", "homework_support", "conversation_group", "welcome_desk", "other"
]
Hours = Annotated[float, Field(ge=0, le=24)]

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
    centre_ids: list[CentreId] = Field(default_factory=list)
    group_ids: list[UUID] = Field(default_factory=list)
    changed_at: AwareDatetime


class ShiftScheduledV1(_VolunteersEvent):
    """A shift was scheduled at a centre."""

    event_type: ClassVar[str] = "volunteers.shift_scheduled.v1"
    subject_field: ClassVar[str | None] = "shift_id"

    shift_id: UUID
    centre_id: CentreId
    role: ShiftRole
    starts_at: AwareDatetime
    ends_at: AwareDatetime
    needed: PositiveInt


class ShiftAssignmentChangedV1(_VolunteersEvent):
    """A volunteer was assigned to or removed from a shift."""

    event_type: ClassVar[str] = "volunteers.shift_assignment_changed.v1"
    subject_field: ClassVar[str | None] = "shift_id"

    shift_id: UUID
    volunteer_id: UUID
    centre_id: CentreId
    role: ShiftRole
    starts_at: AwareDatetime
    ends_at: AwareDatetime
    assigned: bool
    changed_at: AwareDatetime


class ShiftChangedV1(_VolunteersEvent):
    """A shift not yet started was cancelled or now needs another number of volunteers; the
    volunteers on it are named by id, for whoever tells them (their contact stays in volunteers)."""

    event_type: ClassVar[str] = "volunteers.shift_changed.v1"
    subject_field: ClassVar[str | None] = "shift_id"

    shift_id: UUID
    centre_id: CentreId
    role: ShiftRole
    starts_at: AwareDatetime
    ends_at: AwareDatetime
    change: Literal["cancelled", "needed"] = Field(
        description="`cancelled`: the shift will not take place; `needed`: its number changed."
    )
    needed: PositiveInt = Field(
        description="Volunteers the shift needs now (as before if cancelled)."
    )
    previous_needed: PositiveInt
    volunteer_ids: list[UUID] = Field(
        description="The volunteers on the shift when it changed: the people to tell."
    )
    changed_at: AwareDatetime


class ShiftCompletedV1(_VolunteersEvent):
    """A volunteer completed a shift and the hours were recorded."""

    event_type: ClassVar[str] = "volunteers.shift_completed.v1"
    subject_field: ClassVar[str | None] = "shift_id"

    shift_id: UUID
    volunteer_id: UUID
    centre_id: CentreId
    role: ShiftRole
    date: date
    hours: Hours


class HoursCorrectedV1(_VolunteersEvent):
    """The hours of a completed shift were corrected (the corrected total)."""

    event_type: ClassVar[str] = "volunteers.hours_corrected.v1"
    subject_field: ClassVar[str | None] = "shift_id"

    shift_id: UUID
    volunteer_id: UUID
    centre_id: CentreId
    role: ShiftRole
    date: date
    hours: Hours
    corrected_at: AwareDatetime


class MilestoneReachedV1(_VolunteersEvent):
    """A volunteer reached an appreciation milestone (e.g. `hours_50`, `years_1`)."""

    event_type: ClassVar[str] = "volunteers.milestone_reached.v1"
    subject_field: ClassVar[str | None] = "volunteer_id"

    volunteer_id: UUID
    centre_id: CentreId | None = None
    milestone: Annotated[str, Field(pattern=r"^(hours|years)_[0-9]+$")]
    reached_at: AwareDatetime


class AppreciationRecordedV1(_VolunteersEvent):
    """An appreciation moment was held (centre_id null when city-wide)."""

    event_type: ClassVar[str] = "volunteers.appreciation_recorded.v1"
    subject_field: ClassVar[str | None] = "appreciation_id"

    appreciation_id: UUID
    centre_id: CentreId | None = Field(description="null when city-wide")
    kind: ShortText
    date: date
    volunteer_count: NonNegativeInt


class VolunteerErasedV1(_VolunteersEvent):
    """A volunteer's personal data was erased; ids and hours remain for the statistics."""

    event_type: ClassVar[str] = "volunteers.volunteer_erased.v1"
    subject_field: ClassVar[str | None] = "volunteer_id"

    volunteer_id: UUID
    erased_at: AwareDatetime
