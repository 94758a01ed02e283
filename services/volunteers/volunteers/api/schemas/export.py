"""The subject access export: everything the volunteers service holds about one volunteer."""

import datetime as dt
from uuid import UUID

from pydantic import BaseModel, Field

from buurtwerk_shared.subject_access import AuditTrailEntry


class PersonalData(BaseModel):
    """The volunteer's own data (all empty once erased)."""

    volunteer_id: UUID
    given_name: str | None
    family_name: str | None
    email: str | None
    phone: str | None
    address: str | None
    languages: list[str]
    skills: list[str]
    centre_ids: list[str]
    buren_voor_wijken_member_since: dt.date | None
    status: str
    status_changed_at: dt.datetime
    first_active_at: dt.datetime | None
    created_at: dt.datetime
    erased_at: dt.datetime | None


class ConsentRecord(BaseModel):
    """One consent given or withdrawn, as recorded (the whole history, not only the latest)."""

    purpose: str
    given: bool
    given_at: dt.datetime
    recorded_at: dt.datetime


class StatusStep(BaseModel):
    """One step along the pipeline."""

    previous_status: str | None
    status: str
    changed_at: dt.datetime
    group_id: UUID | None = Field(description="The group that moved as one, if any.")


class GroupMembership(BaseModel):
    """A volunteer group the volunteer belongs to."""

    group_id: UUID
    name: str
    kind: str
    joined_at: dt.datetime


class QualificationRecord(BaseModel):
    """A qualification on record."""

    record_id: UUID
    qualification: str
    obtained_on: dt.date
    expires_on: dt.date | None
    recorded_at: dt.datetime


class ShiftRecord(BaseModel):
    """A shift the volunteer was put on (or taken off), with the hours worked there."""

    shift_id: UUID
    centre_id: str
    role: str
    date: dt.date
    starts_at: dt.datetime
    ends_at: dt.datetime
    assigned: bool
    via: str
    changed_at: dt.datetime
    hours: float | None = Field(description="Hours recorded (after corrections), if any.")


class HoursCorrectionRecord(BaseModel):
    """A correction of the hours of one shift."""

    shift_id: UUID
    previous_hours: float
    hours: float
    corrected_at: dt.datetime


class MilestoneRecord(BaseModel):
    """A milestone reached."""

    milestone: str
    reached_at: dt.datetime
    centre_id: str | None


class AppreciationRecord(BaseModel):
    """An appreciation moment the volunteer was part of."""

    appreciation_id: UUID
    centre_id: str | None
    kind: str
    title: str
    date: dt.date


class AllowanceRecord(BaseModel):
    """An expense allowance paid."""

    allowance_id: UUID
    date: dt.date
    amount_cents: int
    recorded_at: dt.datetime


class VolunteerExport(BaseModel):
    """Everything this service holds about one volunteer, for a subject access request.

    Staff are named by role only. Events about the volunteer carry only their id; no other
    service holds personal data of theirs."""

    exported_at: dt.datetime
    volunteer: PersonalData
    consents: list[ConsentRecord]
    status_history: list[StatusStep]
    groups: list[GroupMembership]
    qualifications: list[QualificationRecord]
    shifts: list[ShiftRecord]
    hours_corrections: list[HoursCorrectionRecord]
    milestones: list[MilestoneRecord]
    appreciations: list[AppreciationRecord]
    allowances: list[AllowanceRecord]
    audit_trail: list[AuditTrailEntry] = Field(
        description="Every audited action on the volunteer's records (this export included)."
    )
