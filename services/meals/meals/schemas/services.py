"""Request and response bodies for meal services: plan, change, cancel, close, read."""

import datetime as dt
from typing import Annotated, Any, Literal
from uuid import UUID

from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    JsonValue,
    NonNegativeInt,
    PositiveInt,
    field_validator,
)

from buurtwerk_shared.contracts.events.meals import Dish
from buurtwerk_shared.contracts.types import (
    Allergen,
    CentreId,
    KitchenId,
    LongText,
    ShortText,
    Tariff,
)
from buurtwerk_shared.reference import reference_data
from buurtwerk_shared.web.fields import CalendarDate
from buurtwerk_shared.web.fields import LocalTime as SharedLocalTime

ServiceStatus = Literal["planned", "cancelled", "closed"]
Capacity = Annotated[PositiveInt, Field(le=1000, description="Seats for meals eaten on site.")]
Price = Annotated[NonNegativeInt, Field(le=100_000, description="Euro cents, at most 1000 euro.")]
Prices = Annotated[
    dict[Tariff, Price],
    Field(
        min_length=1, description="Price per tariff in euro cents; a tariff left out is not sold."
    ),
]


LocalTime = Annotated[
    SharedLocalTime, Field(description="Local clock time (Europe/Brussels) the service starts.")
]


def _reference_order(allergens: list[str]) -> list[str]:
    # One order everywhere (the regulation's, as in the reference data), each allergen once.
    order = reference_data().codes("allergens")
    return sorted(set(allergens), key=order.index)


class MenuDish(BaseModel):
    """A dish on the menu: its Dutch name, optionally an English one, and its EU-14 allergens."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    name: ShortText = Field(description="The dish as written on the menu (Dutch).")
    name_en: ShortText | None = Field(default=None, description="The dish in English, if given.")
    allergens: Annotated[list[Allergen], AfterValidator(_reference_order)] = Field(
        default_factory=list, max_length=14
    )

    def contract(self) -> Dish:
        """The dish as the public events carry it."""
        return Dish(name=self.name, allergens=self.allergens)


Dishes = Annotated[list[MenuDish], Field(min_length=1, max_length=20)]

_DISHES_EXAMPLE: list[JsonValue] = [
    {"name": "Tomatensoep", "name_en": "Tomato soup", "allergens": ["celery"]},
    {
        "name": "Stoofvlees met frietjes",
        "name_en": "Flemish beef stew with fries",
        "allergens": ["gluten", "mustard"],
    },
]


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
                    "dishes": _DISHES_EXAMPLE,
                    "reservations": True,
                }
            ]
        },
    )

    centre_id: CentreId
    kitchen_id: KitchenId
    date: CalendarDate = Field(description="Local date (Europe/Brussels) of the service.")
    start_time: LocalTime
    capacity: Capacity
    prices: Prices
    dishes: Dishes
    reservations: bool = Field(default=False, description="Whether seats can be reserved.")


class ChangeService(BaseModel):
    """The fields of an open service to change; the ones left out stay as they are."""

    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [{"capacity": 70, "prices": {"standard": 700, "reduced": 350}}]
        },
    )

    start_time: LocalTime | None = None
    capacity: Capacity | None = None
    prices: Prices | None = None
    dishes: Dishes | None = None
    reservations: bool | None = None

    @field_validator("*", mode="before")
    @classmethod
    def _not_null(cls, value: Any) -> Any:
        # Validators run only on fields that were sent: null is not a way to clear a field.
        if value is None:
            raise ValueError("may not be null; leave the field out to keep it")
        return value


class CancelService(BaseModel):
    """Why the service is cancelled (published: no names, please)."""

    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={"examples": [{"reason": "Keuken gesloten wegens stroompanne"}]},
    )

    reason: LongText


class ServiceTotals(BaseModel):
    """Meals and seats of a service, after corrections."""

    served: int = Field(description="Meals served, on site and take-away.")
    on_site: int
    takeaway: int
    reserved: int = Field(description="Seats of the active reservations.")
    no_shows: int = Field(description="Reserved seats nobody has come for (so far).")
    free_seats: int = Field(description="Capacity left for meals on site.")


class ServiceView(BaseModel):
    """A meal service with its current totals."""

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "service_id": "0b7f6f5e-8f0a-4c55-9b4e-3c1f2a9d7e61",
                    "centre_id": "sint-maartensdal",
                    "kitchen_id": "sint-maartensdal-keuken",
                    "date": "2026-03-12",
                    "start_time": "12:00:00",
                    "starts_at": "2026-03-12T12:00:00+01:00",
                    "capacity": 60,
                    "prices": {"standard": 650, "reduced": 350},
                    "dishes": _DISHES_EXAMPLE,
                    "reservations": True,
                    "status": "closed",
                    "cancel_reason": None,
                    "cancelled_at": None,
                    "closed_at": "2026-03-12T14:05:00+01:00",
                    "closes_at": "2026-03-13T00:00:00+01:00",
                    "late_registrations_until": "2026-03-19T14:05:00+01:00",
                    "totals": {
                        "served": 52,
                        "on_site": 47,
                        "takeaway": 5,
                        "reserved": 10,
                        "no_shows": 2,
                        "free_seats": 11,
                    },
                }
            ]
        }
    )

    service_id: UUID
    centre_id: str
    kitchen_id: str
    date: dt.date
    start_time: dt.time
    starts_at: dt.datetime
    capacity: int
    prices: dict[str, int]
    dishes: list[MenuDish]
    reservations: bool
    status: ServiceStatus
    cancel_reason: str | None
    cancelled_at: dt.datetime | None
    closed_at: dt.datetime | None
    closes_at: dt.datetime = Field(
        description=(
            "When the service closes itself if nobody closes it: the till stops taking meals "
            "then (the configured local time after its day, or after the day it was planned)."
        )
    )
    late_registrations_until: dt.datetime | None = Field(
        description="Until when a coordinator may still register or correct meals (closed only)."
    )
    totals: ServiceTotals
