"""Request and response bodies for volunteer groups."""

import datetime as dt
from uuid import UUID

from pydantic import BaseModel, ConfigDict, Field

from buurtwerk_shared.contracts.types import ShortText
from buurtwerk_shared.web.fields import Instant
from volunteers.api.schemas.common import GroupKind
from volunteers.api.schemas.volunteers import Centres


class NewGroup(BaseModel):
    """A volunteer group recruited as one (a school class, a company team, ...)."""

    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [
                {
                    "name": "Klas 6B Sint-Jozefscollege",
                    "kind": "school_class",
                    "centre_ids": ["sint-maartensdal"],
                    "applied_at": "2026-03-02T09:00:00+01:00",
                }
            ]
        },
    )

    name: ShortText = Field(description="The group's name; never a person's name.")
    kind: GroupKind
    centre_ids: Centres
    applied_at: Instant | None = Field(
        default=None, description="When the group applied; now when left out."
    )


class NewMember(BaseModel):
    """An existing volunteer who joins a group."""

    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={"examples": [{"volunteer_id": "0b7e6c9a-4a52-4a4e-9b7e-2f1d3c4b5a69"}]},
    )

    volunteer_id: UUID


class GroupView(BaseModel):
    """A volunteer group and its members."""

    group_id: UUID
    name: str
    kind: str
    centre_ids: list[str]
    status: str
    status_changed_at: dt.datetime
    member_ids: list[UUID]
    created_at: dt.datetime


class GroupMove(BaseModel):
    """The result of moving a group: the members moved, and those already at the status."""

    group: GroupView
    moved: list[UUID]
    unchanged: list[UUID]
