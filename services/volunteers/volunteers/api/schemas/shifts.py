"""Request and response bodies for shift templates, shifts and assignments."""

import datetime as dt
from typing import Annotated
from uuid import UUID

from pydantic import BaseModel, ConfigDict, Field, model_validator

from buurtwerk_shared.contracts.events.volunteers import ShiftRole
from buurtwerk_shared.contracts.types import CentreId
from buurtwerk_shared.web.fields import CalendarDate, LocalTime
from volunteers.api.schemas.common import AssignmentVia

Needed = Annotated[int, Field(ge=1, le=50, description="Volunteers the shift needs.")]
MAX_GENERATION_DAYS = 92


def _ends_after_start(start: dt.time, end: dt.time) -> None:
    if end <= start:
        raise ValueError("end_time must be after start_time (a shift ends on its own day)")


class NewShiftTemplate(BaseModel):
    """A weekly recurring shift at a centre, in local (Europe/Brussels) wall-clock times."""

    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [
                {
                    "centre_id": "mannenstraat",
                    "role": "kitchen",
                    "weekday": 3,
                    "start_time": "10:30",
                    "end_time": "14:00",
                    "needed": 3,
                    "valid_from": "2026-03-01",
                }
            ]
        },
    )

    centre_id: CentreId
    role: ShiftRole
    weekday: int = Field(ge=1, le=7, description="ISO weekday: 1 = Monday ... 7 = Sunday.")
    start_time: LocalTime
    end_time: LocalTime
    needed: Needed
    valid_from: CalendarDate
    valid_until: CalendarDate | None = None

    @model_validator(mode="after")
    def _consistent(self) -> "NewShiftTemplate":
        _ends_after_start(self.start_time, self.end_time)
        if self.valid_until is not None and self.valid_until < self.valid_from:
            raise ValueError("valid_until is before valid_from")
        return self


class ShiftTemplateChanges(BaseModel):
    """Change how many volunteers a template's future shifts need, or end the template."""

    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={"examples": [{"needed": 4}, {"valid_until": "2026-06-30"}]},
    )

    needed: Needed | None = None
    valid_until: CalendarDate | None = Field(default=None, description="null: no end.")

    @model_validator(mode="after")
    def _needed_stays(self) -> "ShiftTemplateChanges":
        if "needed" in self.model_fields_set and self.needed is None:
            raise ValueError("needed cannot be cleared")
        return self


class ShiftTemplateView(BaseModel):
    """A recurring shift template."""

    template_id: UUID
    centre_id: str
    role: str
    weekday: int
    start_time: dt.time
    end_time: dt.time
    needed: int
    valid_from: dt.date
    valid_until: dt.date | None


class GenerateShifts(BaseModel):
    """Generate the concrete shifts of a centre's templates for a range of local dates."""

    model_config = ConfigDict(
        extra="forbid",
        populate_by_name=True,
        json_schema_extra={
            "examples": [{"centre_id": "mannenstraat", "from": "2026-03-02", "until": "2026-03-29"}]
        },
    )

    centre_id: CentreId
    first: CalendarDate = Field(alias="from")
    last: CalendarDate = Field(alias="until", description="Inclusive.")

    @model_validator(mode="after")
    def _range(self) -> "GenerateShifts":
        if self.last < self.first:
            raise ValueError("until is before from")
        if (self.last - self.first).days >= MAX_GENERATION_DAYS:
            raise ValueError(f"generate at most {MAX_GENERATION_DAYS} days at once")
        return self


class NewShift(BaseModel):
    """A one-off shift (not from a template)."""

    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [
                {
                    "centre_id": "sint-maartensdal",
                    "role": "welcome_desk",
                    "date": "2026-03-14",
                    "start_time": "09:00",
                    "end_time": "12:00",
                    "needed": 1,
                }
            ]
        },
    )

    centre_id: CentreId
    role: ShiftRole
    date: CalendarDate
    start_time: LocalTime
    end_time: LocalTime
    needed: Needed

    @model_validator(mode="after")
    def _consistent(self) -> "NewShift":
        _ends_after_start(self.start_time, self.end_time)
        return self


class ShiftView(BaseModel):
    """A concrete shift with how far it is staffed."""

    shift_id: UUID
    template_id: UUID | None
    centre_id: str
    role: str
    date: dt.date
    starts_at: dt.datetime
    ends_at: dt.datetime
    needed: int
    assigned: int
    missing: int = Field(description="Volunteers still missing (0 for a cancelled shift).")
    cancelled_at: dt.datetime | None = Field(description="When the shift was cancelled, if it was.")


class ShiftChanges(BaseModel):
    """Change how many volunteers a shift that has not started needs."""

    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [{"needed": 2}]})

    needed: Needed


class GeneratedShifts(BaseModel):
    """The shifts a generation created, and how many already existed."""

    created: list[ShiftView]
    existing: int


class NewAssignment(BaseModel):
    """Put a volunteer on a shift: their own sign-up, or the coordinator's assignment."""

    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [{"volunteer_id": "0b7e6c9a-4a52-4a4e-9b7e-2f1d3c4b5a69", "via": "sign_up"}]
        },
    )

    volunteer_id: UUID
    via: AssignmentVia = "coordinator"


class AssignmentView(BaseModel):
    """A volunteer's place on a shift."""

    shift_id: UUID
    volunteer_id: UUID
    assigned: bool
    via: str
    changed_at: dt.datetime


class RosterEntry(BaseModel):
    """Who is on a shift, for the coordinator's roster."""

    volunteer_id: UUID
    given_name: str | None
    family_name: str | None
    via: str
    hours: float | None


class ShiftDetail(ShiftView):
    """A shift with its roster."""

    roster: list[RosterEntry]
