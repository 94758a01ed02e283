"""Request and response bodies for enrolments and the waiting list."""

import datetime as dt
from uuid import UUID

from pydantic import BaseModel, ConfigDict, Field


class Enrol(BaseModel):
    """Enrol a participant: a seat if one is free, else a place on the waiting list."""

    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [{"participant_id": "5d1f0a52-8a8e-4c4c-9b1e-0a7d3c2b1f00"}]
        },
    )

    participant_id: UUID


class EnrolmentView(BaseModel):
    """An enrolment and, while waiting, its place on the waiting list."""

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "enrolment_id": "c3a1e9b0-0f0e-4d8e-9a51-7f1e2d3c4b5a",
                    "activity_id": "0b9c2e4e-3f7a-4f55-9a43-2b8c1d0e7f10",
                    "centre_id": "sint-maartensdal",
                    "participant_id": "5d1f0a52-8a8e-4c4c-9b1e-0a7d3c2b1f00",
                    "status": "waitlisted",
                    "waitlist_position": 2,
                    "requested_at": "2026-03-02T10:01:12+01:00",
                    "promoted_at": None,
                    "changed_at": "2026-03-02T10:01:12+01:00",
                }
            ]
        }
    )

    enrolment_id: UUID
    activity_id: UUID
    centre_id: str
    participant_id: UUID
    status: str = Field(description="enrolled, waitlisted, cancelled or completed.")
    waitlist_position: int | None = Field(description="1 is next in line; null unless waiting.")
    requested_at: dt.datetime
    promoted_at: dt.datetime | None = Field(description="When the waiting list gave them a seat.")
    changed_at: dt.datetime


class EnrolmentCancelled(BaseModel):
    """A cancelled enrolment, and whoever moved up from the waiting list into the free seat."""

    cancelled: EnrolmentView
    promoted: EnrolmentView | None
