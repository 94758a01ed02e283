"""Request and response bodies for partners and activities."""

import datetime as dt
from typing import Annotated, Literal
from uuid import UUID

from pydantic import AfterValidator, BaseModel, ConfigDict, Field

from buurtwerk_shared.contracts.events.courses import ActivityKind
from buurtwerk_shared.contracts.types import CentreId, LongText, PartnerId, TargetGroup
from courses.api.schemas.common import PublicShortText

Mode = Literal["enrolment", "drop_in"]
ActivityStatus = Literal["draft", "published"]


def _distinct(groups: list[str]) -> list[str]:
    return list(dict.fromkeys(groups))


TargetGroups = Annotated[list[TargetGroup], Field(max_length=8), AfterValidator(_distinct)]


# Seats of one activity: a room, not a stadium.
Capacity = Annotated[int, Field(gt=0, le=1000)]


class PartnerView(BaseModel):
    """A partner organisation that runs activities in the centres."""

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "partner_id": "link-in-de-kabel",
                    "nl": "Link in de Kabel",
                    "en": "Link in de Kabel",
                }
            ]
        }
    )

    partner_id: str
    nl: str
    en: str


class CreateActivity(BaseModel):
    """A course, group or open activity, created as a draft."""

    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [
                {
                    "centre_id": "sint-maartensdal",
                    "kind": "computer_course",
                    "title": "Digitaal basis: werken met je smartphone",
                    "description": "Vier lessen voor beginners / Four lessons for beginners",
                    "partner": "link-in-de-kabel",
                    "target_groups": ["seniors", "low_income"],
                    "mode": "enrolment",
                    "capacity": 4,
                },
                {
                    "centre_id": "mannenstraat",
                    "kind": "conversation_group",
                    "title": "Kom binnen / Combinne",
                    "partner": "diversiteitsdienst",
                    "target_groups": ["newcomers"],
                    "mode": "drop_in",
                },
            ]
        },
    )

    centre_id: CentreId
    kind: ActivityKind
    title: PublicShortText
    description: LongText | None = None
    partner: PartnerId | None = None
    target_groups: TargetGroups = Field(default_factory=list)
    mode: Mode
    capacity: Capacity | None = Field(
        default=None, description="Seats; required for enrolment, optional for drop-in."
    )


class UpdateActivity(BaseModel):
    """Changes to an activity: only the fields given change (null clears an optional one). Once
    it is published, kind and mode no longer change, and capacity not below the seats taken."""

    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={"examples": [{"capacity": 6, "title": "Digitaal basis (groep 2)"}]},
    )

    kind: ActivityKind | None = None
    title: PublicShortText | None = None
    description: LongText | None = None
    partner: PartnerId | None = None
    target_groups: TargetGroups | None = None
    mode: Mode | None = None
    capacity: Capacity | None = None


class ActivityView(BaseModel):
    """An activity, with how many seats are taken and how many wait."""

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "activity_id": "0b9c2e4e-3f7a-4f55-9a43-2b8c1d0e7f10",
                    "centre_id": "sint-maartensdal",
                    "kind": "computer_course",
                    "title": "Digitaal basis: werken met je smartphone",
                    "description": None,
                    "partner": "link-in-de-kabel",
                    "target_groups": ["seniors"],
                    "mode": "enrolment",
                    "capacity": 4,
                    "status": "published",
                    "published_at": "2026-03-02T09:15:00+01:00",
                    "created_at": "2026-03-02T09:10:00+01:00",
                    "seats_taken": 4,
                    "waitlisted": 2,
                }
            ]
        }
    )

    activity_id: UUID
    centre_id: str
    kind: str
    title: str
    description: str | None
    partner: str | None
    target_groups: list[str]
    mode: str
    capacity: int | None
    status: str
    published_at: dt.datetime | None
    created_at: dt.datetime
    seats_taken: int = Field(description="Enrolled and completed participants.")
    waitlisted: int
