"""The subject access export: everything the courses service holds about one participant."""

import datetime as dt
from uuid import UUID

from pydantic import BaseModel, Field

from buurtwerk_shared.subject_access import AuditTrailEntry
from courses.api.schemas.participants import ConsentView


class PersonalData(BaseModel):
    """The participant's own data (emptied once erased)."""

    participant_id: UUID
    centre_id: str
    given_name: str | None
    family_name: str | None
    phone: str | None
    email: str | None
    birth_date: dt.date | None
    age_band: str | None = Field(description="As stated, when the birth date is not known.")
    target_group: str | None
    neighbourhood: str | None
    created_at: dt.datetime
    updated_at: dt.datetime
    erased_at: dt.datetime | None


class EnrolmentRecord(BaseModel):
    """An enrolment, with the activity it is for."""

    enrolment_id: UUID
    activity_id: UUID
    activity_title: str
    centre_id: str
    status: str
    requested_at: dt.datetime
    promoted_at: dt.datetime | None
    changed_at: dt.datetime


class AttendanceRecord(BaseModel):
    """An attendance at a session."""

    attendance_id: UUID
    session_id: UUID
    activity_id: UUID
    activity_title: str
    centre_id: str
    starts_at: dt.datetime
    present: bool


class ReferralRecord(BaseModel):
    """A youth referral to an association, and its outcome."""

    referral_id: UUID
    centre_id: str
    date: dt.date
    association: str
    age_band: str
    outcome: str | None
    outcome_date: dt.date | None


class ParticipantExport(BaseModel):
    """Everything this service holds about one participant, for a subject access request.

    Staff are named by role only. The participant's pseudonym is not shown: it would link them to
    the published events, which it exists to prevent; `pseudonym_issued` says whether there is
    one. No other service holds personal data of theirs."""

    exported_at: dt.datetime
    participant: PersonalData
    pseudonym_issued: bool
    guardian_consents: list[ConsentView] = Field(description="Every consent, withdrawn ones too.")
    enrolments: list[EnrolmentRecord]
    attendance: list[AttendanceRecord]
    youth_referrals: list[ReferralRecord]
    audit_trail: list[AuditTrailEntry] = Field(
        description="Every audited action on the participant's records (this export included)."
    )
