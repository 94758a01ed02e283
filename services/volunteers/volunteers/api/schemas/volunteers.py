"""Request and response bodies for volunteers, their consent, status and qualifications."""

import datetime as dt
from typing import Annotated
from uuid import UUID

from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    StringConstraints,
    model_validator,
)

from buurtwerk_shared.contracts.events.volunteers import VolunteerStatus
from buurtwerk_shared.contracts.types import CentreId, ShortText
from buurtwerk_shared.web.fields import CalendarDate, HistoricalDate, Instant
from volunteers.api.schemas.common import (
    ConsentPurpose,
    Email,
    Language,
    NamePart,
    Phone,
    QualificationCode,
    Skill,
    unique,
)

Centres = Annotated[list[CentreId], Field(min_length=1, max_length=5), AfterValidator(unique)]
Languages = Annotated[list[Language], Field(max_length=20), AfterValidator(unique)]
Skills = Annotated[list[Skill], Field(max_length=30), AfterValidator(unique)]


class ConsentChange(BaseModel):
    """A consent the volunteer gave or withdrew, for one purpose."""

    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [
                {"purpose": "reminders_sms", "given": True, "given_at": "2026-03-02T10:15:00+01:00"}
            ]
        },
    )

    purpose: ConsentPurpose
    given: bool
    given_at: Instant | None = Field(
        default=None, description="When the volunteer gave or withdrew it; now when left out."
    )


class NewVolunteer(BaseModel):
    """A person who applies to volunteer."""

    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [
                {
                    "given_name": "Fatima",
                    "family_name": "El Amrani",
                    "email": "fatima@example.org",
                    "phone": "+32 470 12 34 56",
                    "languages": ["nl", "ar", "fr"],
                    "skills": ["koken", "tolken"],
                    "centre_ids": ["mannenstraat"],
                    "buren_voor_wijken_member_since": "2025-09-01",
                    "consents": [{"purpose": "reminders_sms", "given": True}],
                    "applied_at": "2026-03-02T10:00:00+01:00",
                }
            ]
        },
    )

    given_name: NamePart
    family_name: NamePart
    email: Email | None = None
    phone: Phone | None = None
    address: ShortText | None = None
    languages: Languages = Field(default_factory=list)
    skills: Skills = Field(default_factory=list)
    centre_ids: Centres = Field(description="The centres where the volunteer helps.")
    group_ids: Annotated[list[UUID], Field(max_length=10), AfterValidator(unique)] = Field(
        default_factory=list, description="Volunteer groups the person joins."
    )
    buren_voor_wijken_member_since: HistoricalDate | None = Field(
        default=None, description="Member of the non-profit Buren voor Wijken since this date."
    )
    consents: list[ConsentChange] = Field(default_factory=list, max_length=10)
    applied_at: Instant | None = Field(
        default=None, description="When the application came in; now when left out."
    )


class VolunteerChanges(BaseModel):
    """Changes to a volunteer's data: only the fields sent change; `null` clears a field."""

    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [
                {"phone": "+32 470 65 43 21", "skills": ["koken", "tuinieren"], "address": None}
            ]
        },
    )

    given_name: NamePart | None = None
    family_name: NamePart | None = None
    email: Email | None = None
    phone: Phone | None = None
    address: ShortText | None = None
    languages: Languages | None = None
    skills: Skills | None = None
    centre_ids: Centres | None = None
    buren_voor_wijken_member_since: HistoricalDate | None = None

    @model_validator(mode="after")
    def _required_fields_stay(self) -> "VolunteerChanges":
        for name in ("given_name", "family_name", "languages", "skills", "centre_ids"):
            if name in self.model_fields_set and getattr(self, name) is None:
                raise ValueError(f"{name} cannot be cleared")
        return self


class StatusChange(BaseModel):
    """Move a volunteer (or a group) along the pipeline."""

    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [{"status": "intake", "changed_at": "2026-03-05T14:00:00+01:00"}]
        },
    )

    status: VolunteerStatus
    changed_at: Instant | None = Field(
        default=None, description="When it happened; now when left out. Never in the future."
    )


class ConsentView(BaseModel):
    """The current consent for one purpose."""

    purpose: str
    given: bool
    given_at: dt.datetime
    recorded_at: dt.datetime


class NewQualification(BaseModel):
    """A qualification the volunteer obtained (e.g. a food-hygiene training)."""

    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [
                {
                    "qualification": "food_hygiene",
                    "obtained_on": "2026-02-14",
                    "expires_on": "2029-02-14",
                }
            ]
        },
    )

    qualification: QualificationCode
    obtained_on: HistoricalDate
    expires_on: CalendarDate | None = Field(default=None, description="Valid up to and including.")

    @model_validator(mode="after")
    def _expires_after_obtained(self) -> "NewQualification":
        if self.expires_on is not None and self.expires_on < self.obtained_on:
            raise ValueError("expires_on is before obtained_on")
        return self


class QualificationView(BaseModel):
    """A qualification a volunteer holds, with whether it is valid today."""

    record_id: UUID
    qualification: str
    obtained_on: dt.date
    expires_on: dt.date | None
    valid_today: bool


class StatusChangeView(BaseModel):
    """One step of a volunteer's pipeline history."""

    previous_status: str | None
    status: str
    changed_at: dt.datetime
    changed_by: str
    group_id: UUID | None


class SearchVolunteers(BaseModel):
    """Find volunteers by (part of) their name; in the body, so that names stay out of URLs and
    access logs."""

    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [{"name": "peet"}]})

    name: Annotated[str, StringConstraints(strip_whitespace=True, min_length=2, max_length=100)]


class VolunteerSummary(BaseModel):
    """A volunteer in a listing."""

    volunteer_id: UUID
    status: str
    given_name: str | None
    family_name: str | None
    centre_ids: list[str]
    languages: list[str]
    skills: list[str]
    buren_voor_wijken_member_since: dt.date | None
    erased: bool


class VolunteerView(VolunteerSummary):
    """A volunteer with everything the coordinator keeps about them."""

    email: str | None
    phone: str | None
    address: str | None
    status_changed_at: dt.datetime
    first_active_at: dt.datetime | None
    group_ids: list[UUID]
    consents: list[ConsentView]
    qualifications: list[QualificationView]
    total_hours: float
    milestones: list[str]
    created_at: dt.datetime
    erased_at: dt.datetime | None


class ErasureView(BaseModel):
    """What remains of a volunteer after erasure: ids and figures."""

    volunteer_id: UUID
    status: str
    erased_at: dt.datetime
    total_hours: float


class ReminderContact(BaseModel):
    """The contact a notification service may use to remind a volunteer on duty, per channel
    the volunteer consented to."""

    volunteer_id: UUID
    shift_id: UUID
    centre_id: str
    role: str
    starts_at: dt.datetime
    ends_at: dt.datetime
    sms: str | None = Field(description="Phone number, when reminders by SMS are consented to.")
    email: str | None = Field(description="E-mail address, when reminders by e-mail are consented.")
