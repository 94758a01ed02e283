"""Request and response bodies for the day tallies: computer-corner visits, desk contacts."""

import datetime as dt
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field

Total = Annotated[int, Field(ge=0, le=10_000)]
Addition = Annotated[int, Field(ge=1, le=1_000)]


class SetVisits(BaseModel):
    """The day's total of computer-corner visits (replaces what was recorded before)."""

    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [{"visits": 14}]})

    visits: Total


class AddVisits(BaseModel):
    """Visits to add to the day's total (a tally at the door)."""

    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [{"visits": 1}]})

    visits: Addition = 1


class VisitsView(BaseModel):
    """A centre's computer-corner visits on one day."""

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "centre_id": "sint-maartensdal",
                    "date": "2026-03-10",
                    "visits": 14,
                    "updated_at": "2026-03-10T17:02:00+01:00",
                }
            ]
        }
    )

    centre_id: str
    date: dt.date
    visits: int
    updated_at: dt.datetime


class SetDeskContacts(BaseModel):
    """The day's total of welcome-desk contacts in one category (replaces the earlier total)."""

    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [{"count": 5}]})

    count: Total


class AddDeskContacts(BaseModel):
    """Contacts to add to the day's total in one category."""

    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [{"count": 1}]})

    count: Addition = 1


class DeskContactsView(BaseModel):
    """A centre's welcome-desk contacts in one category on one day."""

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "centre_id": "mannenstraat",
                    "date": "2026-03-10",
                    "category": "housing",
                    "count": 5,
                    "updated_at": "2026-03-10T16:45:00+01:00",
                }
            ]
        }
    )

    centre_id: str
    date: dt.date
    category: str
    count: int
    updated_at: dt.datetime
