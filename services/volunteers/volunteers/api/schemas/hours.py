"""Request and response bodies for hours, milestones and appreciation."""

import datetime as dt
from typing import Annotated
from uuid import UUID

from pydantic import AfterValidator, BaseModel, ConfigDict, Field

from buurtwerk_shared.contracts.types import CentreId, ShortText
from buurtwerk_shared.web.fields import CalendarDate
from volunteers.api.schemas.common import AppreciationKind, HoursValue, unique


class CompletedBy(BaseModel):
    """A volunteer who worked the shift; `hours` defaults to the shift's length."""

    model_config = ConfigDict(extra="forbid")

    volunteer_id: UUID
    hours: HoursValue | None = None


class CompleteShift(BaseModel):
    """Record the hours of the volunteers who worked a shift that is over."""

    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [
                {
                    "volunteers": [
                        {"volunteer_id": "0b7e6c9a-4a52-4a4e-9b7e-2f1d3c4b5a69"},
                        {"volunteer_id": "5d2c1f0e-8b7a-4c6d-9e5f-1a2b3c4d5e6f", "hours": 2.5},
                    ]
                }
            ]
        },
    )

    volunteers: list[CompletedBy] = Field(min_length=1, max_length=50)


class HoursCorrection(BaseModel):
    """The corrected number of hours a volunteer worked on a shift."""

    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [{"hours": 2.5}]})

    hours: HoursValue


class HoursView(BaseModel):
    """The hours a volunteer worked on a shift."""

    shift_id: UUID
    volunteer_id: UUID
    centre_id: str
    role: str
    date: dt.date
    hours: float


class ReachedMilestone(BaseModel):
    """A milestone a volunteer reached with these hours."""

    volunteer_id: UUID
    milestone: str


class CompletedShift(BaseModel):
    """The hours recorded for a shift, and the milestones they made volunteers reach."""

    shift_id: UUID
    recorded: list[HoursView]
    milestones_reached: list[ReachedMilestone]


class MilestoneView(BaseModel):
    """A milestone a volunteer reached: a moment to thank them."""

    volunteer_id: UUID
    milestone: str
    reached_at: dt.datetime
    centre_id: str | None
    given_name: str | None
    family_name: str | None


class NewAppreciation(BaseModel):
    """An appreciation moment: an event, a gift or a thank-you, for some volunteers."""

    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [
                {
                    "centre_id": None,
                    "kind": "event",
                    "title": "Nieuwjaarsreceptie vrijwilligers",
                    "date": "2026-01-16",
                    "volunteer_ids": ["0b7e6c9a-4a52-4a4e-9b7e-2f1d3c4b5a69"],
                }
            ]
        },
    )

    centre_id: CentreId | None = Field(default=None, description="null for a city-wide moment.")
    kind: AppreciationKind
    title: ShortText
    date: CalendarDate
    volunteer_ids: Annotated[
        list[UUID], Field(min_length=1, max_length=2000), AfterValidator(unique)
    ]


class AppreciationView(BaseModel):
    """A recorded appreciation moment."""

    appreciation_id: UUID
    centre_id: str | None
    kind: str
    title: str
    date: dt.date
    volunteer_ids: list[UUID]
