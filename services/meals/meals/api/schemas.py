"""Request and response bodies of the meals HTTP API."""

import datetime as dt
from typing import Annotated
from uuid import UUID

from pydantic import BaseModel, ConfigDict, Field, NonNegativeInt, PositiveInt

from buurtwerk_shared.contracts.events.meals import Dish
from buurtwerk_shared.contracts.types import CentreId, KitchenId, LongText, Tariff


class PlanService(BaseModel):
    """A meal service to plan."""

    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [
                {
                    "centre_id": "sint-maartensdal",
                    "kitchen_id": "sint-maartensdal-keuken",
                    "date": "2026-03-12",
                    "start_time": "12:00",
                    "capacity": 60,
                    "prices": {"standard": 650, "reduced": 350, "child": 300, "volunteer": 0},
                    "dishes": [
                        {"name": "Tomatensoep", "allergens": ["celery"]},
                        {"name": "Stoofvlees met frietjes", "allergens": ["gluten", "mustard"]},
                    ],
                }
            ]
        },
    )

    centre_id: CentreId
    kitchen_id: KitchenId
    date: dt.date
    start_time: dt.time = Field(description="Local time (Europe/Brussels) the service starts.")
    capacity: PositiveInt
    prices: dict[Tariff, NonNegativeInt] = Field(
        min_length=1, description="Price per tariff in euro cents."
    )
    dishes: list[Dish] = Field(min_length=1, max_length=20)


class ServiceView(BaseModel):
    """A planned meal service."""

    service_id: UUID
    centre_id: str
    kitchen_id: str
    date: dt.date
    starts_at: dt.datetime
    capacity: int
    prices: dict[str, int]
    dishes: list[Dish]
    status: str


class RegisterMeals(BaseModel):
    """Meals served at the till for one tariff."""

    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={"examples": [{"tariff": "reduced", "count": 2, "takeaway": False}]},
    )

    tariff: Tariff
    count: Annotated[PositiveInt, Field(le=500)] = 1
    takeaway: bool = False
    over_capacity_reason: LongText | None = Field(
        default=None, description="Required to register beyond the service's capacity."
    )


class RegistrationView(BaseModel):
    """A registration of served meals."""

    registration_id: UUID
    service_id: UUID
    centre_id: str
    date: dt.date
    tariff: str
    count: int
    takeaway: bool
