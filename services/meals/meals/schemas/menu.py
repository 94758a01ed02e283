"""The public menu and allergen sheet of a meal service."""

import datetime as dt
from uuid import UUID

from pydantic import BaseModel, ConfigDict, Field

from meals.menu.language import Language


class Label(BaseModel):
    """A reference code with its label in the sheet's language."""

    id: str
    label: str


class MenuDishView(BaseModel):
    """A dish and the allergens it contains."""

    name: str = Field(description="In the sheet's language when the kitchen gave a translation.")
    allergens: list[Label]


class MenuView(BaseModel):
    """What the diners read: the dishes and, for each of the EU-14 allergens, which dish has it."""

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "service_id": "0b7f6f5e-8f0a-4c55-9b4e-3c1f2a9d7e61",
                    "language": "nl",
                    "title": "Menu en allergenen",
                    "centre": {"id": "sint-maartensdal", "label": "Buurtcentrum Sint-Maartensdal"},
                    "date": "2026-03-12",
                    "date_label": "donderdag 12 maart 2026",
                    "start_time": "12:00",
                    "cancelled": False,
                    "dishes": [
                        {"name": "Tomatensoep", "allergens": [{"id": "celery", "label": "selder"}]}
                    ],
                    "allergens": [{"id": "gluten", "label": "glutenbevattende granen"}],
                    "notice": (
                        "Heeft u een allergie of intolerantie? Vraag het gerust aan onze "
                        "medewerkers voor u bestelt."
                    ),
                }
            ]
        }
    )

    service_id: UUID
    language: Language
    title: str
    centre: Label
    date: dt.date
    date_label: str
    start_time: str = Field(description="Local clock time, HH:MM.")
    cancelled: bool
    dishes: list[MenuDishView]
    allergens: list[Label] = Field(description="All 14 allergens, in the regulation's order.")
    notice: str
