"""Request and response bodies for reservations."""

import datetime as dt
from typing import Annotated, Literal
from uuid import UUID

from pydantic import BaseModel, ConfigDict, Field, PositiveInt

from meals.schemas.diner_card import DinerCard

ReservationStatus = Literal["active", "cancelled"]


class MakeReservation(BaseModel):
    """Seats to reserve, for a diner with a card or anonymously."""

    model_config = ConfigDict(
        extra="forbid",
        hide_input_in_errors=True,
        json_schema_extra={
            "examples": [{"seats": 1, "diner_card": "4711 0042 1234"}, {"seats": 4}]
        },
    )

    seats: Annotated[PositiveInt, Field(le=20)] = 1
    diner_card: DinerCard | None = None


class ReservationView(BaseModel):
    """A reservation, with the meals registered against it so far."""

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "reservation_id": "c8d6c1e2-0c1e-4f0e-9d0e-1b2c3d4e5f60",
                    "service_id": "0b7f6f5e-8f0a-4c55-9b4e-3c1f2a9d7e61",
                    "centre_id": "sint-maartensdal",
                    "date": "2026-03-12",
                    "seats": 1,
                    "diner_key": "Qm9vZ2llLXdvb2dpZQ",
                    "status": "active",
                    "honoured": 0,
                    "made_at": "2026-03-10T09:30:00+01:00",
                    "cancelled_at": None,
                }
            ]
        }
    )

    reservation_id: UUID
    service_id: UUID
    centre_id: str
    date: dt.date
    seats: int
    diner_key: str | None = Field(
        description="Pseudonymous diner key of a reservation made with a card; null for analysts."
    )
    status: ReservationStatus
    honoured: int = Field(description="Meals registered against this reservation.")
    made_at: dt.datetime
    cancelled_at: dt.datetime | None
