"""Request and response bodies for expense allowances and their legal caps."""

import datetime as dt
from uuid import UUID

from pydantic import BaseModel, ConfigDict, Field, model_validator

from buurtwerk_shared.web.fields import CalendarDate
from volunteers.api.schemas.common import Cents


class NewAllowance(BaseModel):
    """A flat-rate expense allowance paid to a volunteer for one day."""

    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={"examples": [{"date": "2024-05-14", "amount_cents": 2500}]},
    )

    date: CalendarDate
    amount_cents: Cents


class AllowanceView(BaseModel):
    """A recorded allowance."""

    allowance_id: UUID
    volunteer_id: UUID
    date: dt.date
    amount_cents: int


class AllowanceCapsView(BaseModel):
    """The legal caps of one calendar year, in euro cents."""

    year: int
    per_day_cents: int
    per_year_cents: int


class SetAllowanceCaps(BaseModel):
    """The caps the law sets for a calendar year (indexed yearly)."""

    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={"examples": [{"per_day_cents": 4148, "per_year_cents": 165929}]},
    )

    per_day_cents: Cents
    per_year_cents: Cents

    @model_validator(mode="after")
    def _year_above_day(self) -> "SetAllowanceCaps":
        if self.per_year_cents < self.per_day_cents:
            raise ValueError("per_year_cents is below per_day_cents")
        return self


class StatementLine(BaseModel):
    """One day's allowance."""

    date: dt.date
    amount_cents: int


class AllowanceStatement(BaseModel):
    """A volunteer's yearly statement of flat-rate allowances (the nominative list the law asks
    organisations to keep), with Dutch and English headings."""

    volunteer_id: UUID
    given_name: str | None
    family_name: str | None
    year: int
    caps: AllowanceCapsView | None
    days: int
    total_cents: int
    remaining_cents: int | None
    lines: list[StatementLine]
    title: dict[str, str] = Field(description="The statement's heading per language.")
    note: dict[str, str] = Field(description="What the caps mean, per language.")
