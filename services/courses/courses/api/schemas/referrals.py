"""Request and response bodies for youth referrals to associations."""

import datetime as dt
from typing import Literal
from uuid import UUID

from pydantic import BaseModel, ConfigDict, Field

from buurtwerk_shared.contracts.types import CentreId
from courses.api.schemas.common import PastDate, PublicShortText

Outcome = Literal["joined", "not_joined", "unknown"]


class ReferYouth(BaseModel):
    """A young person led to the leisure activity of an association."""

    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [
                {
                    "participant_id": "7a3b2c1d-0e9f-4a8b-9c7d-6e5f4a3b2c1d",
                    "centre_id": "wilsele-dorp",
                    "date": "2026-03-04",
                    "association": "Chiro Wilsele",
                }
            ]
        },
    )

    participant_id: UUID
    centre_id: CentreId
    date: PastDate = Field(description="Local date of the referral.")
    association: PublicShortText = Field(description="The association (published: no names).")


class RecordOutcome(BaseModel):
    """Whether the young person joined; may be recorded again when it becomes known."""

    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={"examples": [{"outcome": "joined", "date": "2026-04-15"}]},
    )

    outcome: Outcome
    date: PastDate = Field(description="Local date the outcome was learnt.")


class ReferralView(BaseModel):
    """A youth referral and its latest outcome."""

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "referral_id": "1c2d3e4f-5a6b-4c7d-8e9f-0a1b2c3d4e5f",
                    "participant_id": "7a3b2c1d-0e9f-4a8b-9c7d-6e5f4a3b2c1d",
                    "centre_id": "wilsele-dorp",
                    "date": "2026-03-04",
                    "association": "Chiro Wilsele",
                    "age_band": "12-17",
                    "outcome": "joined",
                    "outcome_date": "2026-04-15",
                }
            ]
        }
    )

    referral_id: UUID
    participant_id: UUID
    centre_id: str
    date: dt.date
    association: str
    age_band: str = Field(description="On the day of the referral.")
    outcome: str | None
    outcome_date: dt.date | None
