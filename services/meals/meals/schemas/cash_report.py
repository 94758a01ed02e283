"""The cash report of one service as JSON: what the till shows and prints at closing."""

import datetime as dt
from uuid import UUID

from pydantic import BaseModel, ConfigDict, Field


class CashReportLine(BaseModel):
    """Meals sold at one tariff and price."""

    tariff: str
    unit_price: int = Field(description="Euro cents per meal, as registered.")
    on_site: int
    takeaway: int
    meals: int
    revenue: int = Field(description="Euro cents.")


class CashReportTotal(BaseModel):
    """The sum of the lines."""

    on_site: int
    takeaway: int
    meals: int
    revenue: int = Field(description="Euro cents.")


class CashReportView(BaseModel):
    """Meals and revenue per tariff and price of one service, after corrections."""

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "service_id": "0b7f6f5e-8f0a-4c55-9b4e-3c1f2a9d7e61",
                    "centre_id": "mannenstraat",
                    "date": "2026-03-12",
                    "starts_at": "2026-03-12T12:00:00+01:00",
                    "status": "closed",
                    "lines": [
                        {
                            "tariff": "standard",
                            "unit_price": 650,
                            "on_site": 20,
                            "takeaway": 2,
                            "meals": 22,
                            "revenue": 14300,
                        }
                    ],
                    "total": {"on_site": 20, "takeaway": 2, "meals": 22, "revenue": 14300},
                }
            ]
        }
    )

    service_id: UUID
    centre_id: str
    date: dt.date
    starts_at: dt.datetime
    status: str
    lines: list[CashReportLine]
    total: CashReportTotal
