"""The words of the public menu and allergen sheet, in Dutch and in English."""

import datetime as dt

from pydantic import BaseModel, ConfigDict

from meals.menu.language import Language


class Texts(BaseModel):
    """Everything the sheet says besides the kitchen's dishes and the reference labels."""

    model_config = ConfigDict(frozen=True)

    title: str
    dish: str
    contains: str
    contains_none: str
    allergens: str
    starts: str
    cancelled: str
    notice: str
    regulation: str
    other_language: str
    weekdays: tuple[str, ...]
    months: tuple[str, ...]

    def date_label(self, date: dt.date) -> str:
        """A date as people write it, e.g. `donderdag 12 maart 2026`."""
        weekday = self.weekdays[date.isoweekday() - 1]
        return f"{weekday} {date.day} {self.months[date.month - 1]} {date.year}"


TEXTS: dict[Language, Texts] = {
    "nl": Texts(
        title="Menu en allergenen",
        dish="Gerecht",
        contains="Bevat",
        contains_none="geen van de 14 allergenen",
        allergens="Allergenen",
        starts="vanaf",
        cancelled="Deze maaltijd gaat niet door.",
        notice=(
            "Heeft u een allergie of intolerantie? Vraag het gerust aan onze medewerkers "
            "voor u bestelt."
        ),
        regulation="De 14 allergenen van Verordening (EU) nr. 1169/2011, bijlage II.",
        other_language="English",
        weekdays=(
            "maandag",
            "dinsdag",
            "woensdag",
            "donderdag",
            "vrijdag",
            "zaterdag",
            "zondag",
        ),
        months=(
            "januari",
            "februari",
            "maart",
            "april",
            "mei",
            "juni",
            "juli",
            "augustus",
            "september",
            "oktober",
            "november",
            "december",
        ),
    ),
    "en": Texts(
        title="Menu and allergens",
        dish="Dish",
        contains="Contains",
        contains_none="none of the 14 allergens",
        allergens="Allergens",
        starts="from",
        cancelled="This meal service is cancelled.",
        notice="Do you have an allergy or intolerance? Please ask our staff before you order.",
        regulation="The 14 allergens of Regulation (EU) No 1169/2011, Annex II.",
        other_language="Nederlands",
        weekdays=(
            "Monday",
            "Tuesday",
            "Wednesday",
            "Thursday",
            "Friday",
            "Saturday",
            "Sunday",
        ),
        months=(
            "January",
            "February",
            "March",
            "April",
            "May",
            "June",
            "July",
            "August",
            "September",
            "October",
            "November",
            "December",
        ),
    ),
}
