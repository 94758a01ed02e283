"""Request and response bodies for served meals and their corrections."""

import datetime as dt
from typing import Annotated
from uuid import UUID

from pydantic import BaseModel, ConfigDict, Field, NonNegativeInt, PositiveInt

from buurtwerk_shared.contracts.types import LongText, Tariff
from buurtwerk_shared.web.fields import Instant
from meals.schemas.diner_card import DinerCard

MAX_MEALS_PER_REGISTRATION = 500
TAPPED_AT = (
    "The device's clock when the tap was made at the till (it may be long before the tap "
    "reaches the service, e.g. after a network outage); kept as told, beside the service's time."
)


class RegisterMeals(BaseModel):
    """Meals served at the till for one tariff."""

    model_config = ConfigDict(
        extra="forbid",
        hide_input_in_errors=True,
        json_schema_extra={
            "examples": [
                {"tariff": "reduced", "count": 1, "diner_card": "4711 0042 1234"},
                {
                    "tariff": "standard",
                    "count": 3,
                    "takeaway": True,
                    "tapped_at": "2026-03-12T12:14:01+01:00",
                },
                {
                    "tariff": "child",
                    "count": 2,
                    "over_capacity_reason": "Twee extra stoelen bijgezet in de zaal",
                },
            ]
        },
    )

    tariff: Tariff
    count: Annotated[PositiveInt, Field(le=MAX_MEALS_PER_REGISTRATION)] = 1
    takeaway: bool = False
    diner_card: DinerCard | None = None
    reservation_id: UUID | None = Field(
        default=None,
        description=(
            "The reservation these meals honour. Left out, a diner card with a reservation for "
            "this service honours it."
        ),
    )
    over_capacity_reason: LongText | None = Field(
        default=None, description="Required to register beyond the service's capacity; recorded."
    )
    tapped_at: Instant | None = Field(default=None, description=TAPPED_AT)


class RegistrationView(BaseModel):
    """A registration of served meals; `count` as registered, `current_count` after corrections."""

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "registration_id": "5d0c2e44-61b7-4f55-a3a1-0f64b1f0b2a7",
                    "service_id": "0b7f6f5e-8f0a-4c55-9b4e-3c1f2a9d7e61",
                    "centre_id": "sint-maartensdal",
                    "date": "2026-03-12",
                    "tariff": "reduced",
                    "unit_price": 350,
                    "count": 1,
                    "current_count": 1,
                    "takeaway": False,
                    "diner_key": "Qm9vZ2llLXdvb2dpZQ",
                    "reservation_id": None,
                    "late": False,
                    "over_capacity_reason": None,
                    "registered_at": "2026-03-12T12:14:03+01:00",
                    "registered_by": "cook-17",
                    "tapped_at": "2026-03-12T12:14:01+01:00",
                }
            ]
        }
    )

    registration_id: UUID
    service_id: UUID
    centre_id: str
    date: dt.date
    tariff: str
    unit_price: int = Field(description="Price per meal in euro cents when it was registered.")
    count: int
    current_count: int
    takeaway: bool
    diner_key: str | None = Field(
        description="Pseudonymous diner key, never the card number; null for analysts, who count "
        "and follow no diner."
    )
    reservation_id: UUID | None
    late: bool = Field(description="Registered by a coordinator after the service was closed.")
    over_capacity_reason: str | None
    registered_at: dt.datetime
    registered_by: str
    tapped_at: dt.datetime | None = Field(description=TAPPED_AT)


class CorrectRegistration(BaseModel):
    """The right number of meals for a registration (0 withdraws it), and why."""

    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [
                {"count": 0, "reason": "Dubbel aangeslagen aan de kassa"},
                {"count": 3, "reason": "Drie maaltijden, niet twee"},
            ]
        },
    )

    count: Annotated[NonNegativeInt, Field(le=MAX_MEALS_PER_REGISTRATION)]
    reason: LongText
    over_capacity_reason: LongText | None = Field(
        default=None, description="Required when the correction takes the service beyond capacity."
    )
    tapped_at: Instant | None = Field(default=None, description=TAPPED_AT)


class CorrectionView(BaseModel):
    """A correction of a registration."""

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "correction_id": "9a3b7c1d-2e4f-4a5b-8c6d-7e8f9a0b1c2d",
                    "registration_id": "5d0c2e44-61b7-4f55-a3a1-0f64b1f0b2a7",
                    "service_id": "0b7f6f5e-8f0a-4c55-9b4e-3c1f2a9d7e61",
                    "previous_count": 2,
                    "count": 0,
                    "reason": "Dubbel aangeslagen aan de kassa",
                    "late": False,
                    "corrected_at": "2026-03-12T12:20:41+01:00",
                    "corrected_by": "cook-17",
                    "tapped_at": None,
                }
            ]
        }
    )

    correction_id: UUID
    registration_id: UUID
    service_id: UUID
    previous_count: int
    count: int
    reason: str
    late: bool
    corrected_at: dt.datetime
    corrected_by: str
    tapped_at: dt.datetime | None = Field(description=TAPPED_AT)
