"""Request and response bodies for participants and their guardians' consent.

These bodies hold contact data: it stays in this service, and reading it is audited.
"""

import datetime as dt
from typing import Annotated, Literal
from uuid import UUID

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, StringConstraints

from buurtwerk_shared.contracts.types import AgeBand, CentreId, TargetGroup
from courses.api.schemas.common import PastDate

PersonName = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=120)]
Phone = Annotated[
    str,
    StringConstraints(strip_whitespace=True, max_length=30, pattern=r"^\+?[0-9][0-9 ./()-]{5,}$"),
]
Email = Annotated[
    str,
    StringConstraints(strip_whitespace=True, max_length=254, pattern=r"^[^\s@]+@[^\s@]+\.[^\s@]+$"),
]
Neighbourhood = Annotated[
    str, StringConstraints(strip_whitespace=True, min_length=1, max_length=80)
]


def _known_band(band: str) -> str:
    if band == "unknown":
        raise ValueError(
            "give a known age band (or the birth date): a minor needs a guardian's consent"
        )
    return band


StatedAgeBand = Annotated[AgeBand, AfterValidator(_known_band)]


class GuardianConsent(BaseModel):
    """A parent's or guardian's consent to keep a minor's data."""

    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [
                {
                    "guardian_name": "Fatima El Amrani",
                    "relationship": "parent",
                    "guardian_phone": "+32 470 12 34 56",
                    "given_on": "2026-03-02",
                }
            ]
        },
    )

    guardian_name: PersonName
    relationship: Literal["parent", "guardian"]
    guardian_phone: Phone | None = None
    given_on: PastDate


class RegisterParticipant(BaseModel):
    """A participant. Give the birth date, or else an age band."""

    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [
                {
                    "centre_id": "sint-maartensdal",
                    "given_name": "Maria",
                    "family_name": "Peeters",
                    "phone": "016 12 34 56",
                    "birth_date": "1952-06-14",
                    "target_group": "seniors",
                    "neighbourhood": "Leuven",
                },
                {
                    "centre_id": "wilsele-dorp",
                    "given_name": "Yusuf",
                    "family_name": "El Amrani",
                    "birth_date": "2012-09-30",
                    "target_group": "youth",
                    "neighbourhood": "Wilsele",
                    "guardian_consent": {
                        "guardian_name": "Fatima El Amrani",
                        "relationship": "parent",
                        "given_on": "2026-03-02",
                    },
                },
            ]
        },
    )

    centre_id: CentreId = Field(description="The centre where the participant registers.")
    given_name: PersonName
    family_name: PersonName | None = None
    phone: Phone | None = None
    email: Email | None = None
    birth_date: PastDate | None = None
    age_band: StatedAgeBand | None = Field(
        default=None, description="Only when the birth date is not given."
    )
    target_group: TargetGroup | None = None
    neighbourhood: Neighbourhood | None = Field(
        default=None, description="One of the configured neighbourhoods (COURSES_NEIGHBOURHOODS)."
    )
    guardian_consent: GuardianConsent | None = Field(
        default=None, description="Required for a minor, refused for an adult."
    )


class UpdateParticipant(BaseModel):
    """Changes to a participant: only the fields given change (null clears an optional one)."""

    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={"examples": [{"phone": "0470 98 76 54", "neighbourhood": "Kessel-Lo"}]},
    )

    given_name: PersonName | None = None
    family_name: PersonName | None = None
    phone: Phone | None = None
    email: Email | None = None
    birth_date: PastDate | None = None
    age_band: StatedAgeBand | None = None
    target_group: TargetGroup | None = None
    neighbourhood: Neighbourhood | None = None
    guardian_consent: GuardianConsent | None = Field(
        default=None, description="Required when the change makes the participant a minor."
    )


class SearchParticipants(BaseModel):
    """Find participants by (part of) their name; in the body so names stay out of URLs."""

    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [{"name": "peet"}]})

    name: Annotated[str, StringConstraints(strip_whitespace=True, min_length=2, max_length=120)]


class ConsentView(BaseModel):
    """A recorded guardian's consent."""

    consent_id: UUID
    guardian_name: str
    relationship: str
    guardian_phone: str | None
    given_on: dt.date
    recorded_at: dt.datetime
    withdrawn_on: dt.date | None = Field(description="When the guardian withdrew it, if so.")


class WithdrawConsent(BaseModel):
    """A guardian withdraws their consent."""

    model_config = ConfigDict(
        extra="forbid", json_schema_extra={"examples": [{"withdrawn_on": "2026-03-20"}]}
    )

    withdrawn_on: PastDate | None = Field(
        default=None, description="When the guardian withdrew it; today when left out."
    )


class ConsentWithdrawn(BaseModel):
    """A withdrawn consent, and whether the participant's data was erased with it: a minor's
    data is kept only while a parent's or guardian's consent stands."""

    consent: ConsentView
    participant_erased: bool


class ParticipantSummary(BaseModel):
    """A participant in a listing."""

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "participant_id": "5d1f0a52-8a8e-4c4c-9b1e-0a7d3c2b1f00",
                    "centre_id": "sint-maartensdal",
                    "given_name": "Maria",
                    "family_name": "Peeters",
                    "age_band": "65+",
                    "target_group": "seniors",
                    "neighbourhood": "Leuven",
                    "minor": False,
                }
            ]
        }
    )

    participant_id: UUID
    centre_id: str
    given_name: str | None = Field(description="Empty once the participant is erased.")
    family_name: str | None
    age_band: str = Field(description="Today's age band.")
    target_group: str | None
    neighbourhood: str | None
    minor: bool


class ParticipantView(ParticipantSummary):
    """A participant with their contact data and their guardian's consent."""

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "participant_id": "7a3b2c1d-0e9f-4a8b-9c7d-6e5f4a3b2c1d",
                    "centre_id": "wilsele-dorp",
                    "given_name": "Yusuf",
                    "family_name": "El Amrani",
                    "age_band": "12-17",
                    "target_group": "youth",
                    "neighbourhood": "Wilsele",
                    "minor": True,
                    "phone": None,
                    "email": None,
                    "birth_date": "2012-09-30",
                    "guardian_consent": {
                        "consent_id": "2b3c4d5e-6f70-4812-9a3b-4c5d6e7f8091",
                        "guardian_name": "Fatima El Amrani",
                        "relationship": "parent",
                        "guardian_phone": "+32 470 12 34 56",
                        "given_on": "2026-03-02",
                        "recorded_at": "2026-03-02T10:12:00+01:00",
                        "withdrawn_on": None,
                    },
                    "created_at": "2026-03-02T10:12:00+01:00",
                    "erased_at": None,
                }
            ]
        }
    )

    phone: str | None
    email: str | None
    birth_date: dt.date | None
    guardian_consent: ConsentView | None = Field(
        description="The latest recorded consent that was not withdrawn."
    )
    created_at: dt.datetime
    erased_at: dt.datetime | None = Field(
        description="When the participant's personal data was erased, if so."
    )


class ParticipantErasure(BaseModel):
    """What remains of a participant after erasure: ids and figures."""

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "participant_id": "7a3b2c1d-0e9f-4a8b-9c7d-6e5f4a3b2c1d",
                    "erased_at": "2026-03-20T10:00:00+01:00",
                    "cancelled_enrolment_ids": ["0c1d2e3f-4a5b-4c6d-8e7f-8091a2b3c4d5"],
                    "enrolments": 3,
                    "attendances": 12,
                    "youth_referrals": 0,
                }
            ]
        }
    )

    participant_id: UUID
    erased_at: dt.datetime
    cancelled_enrolment_ids: list[UUID] = Field(
        description="Seats and places on a waiting list given up by the erasure."
    )
    enrolments: int = Field(description="Enrolments kept, under the id only.")
    attendances: int = Field(description="Attendances kept, under the id only.")
    youth_referrals: int = Field(description="Youth referrals kept, under the id only.")
