"""Field types shared by the courses API's request and response bodies."""

import datetime as dt
import re
from typing import Annotated

from pydantic import AfterValidator, Field

from buurtwerk_shared.contracts.types import LongText, ShortText
from buurtwerk_shared.web.fields import FIRST_HISTORICAL_DATE
from courses.domain import clock

_EMAIL = re.compile(r"[^\s@]+@[^\s@]+\.[^\s@]+")
# Nine or more digits, single separators allowed: a Belgian phone number, not a date.
_PHONE = re.compile(r"\+?\d(?:[\s./-]?\d){8,}")


def no_contact_data(text: str) -> str:
    """Refuse text that holds an e-mail address or a phone number."""
    if _EMAIL.search(text) or _PHONE.search(text):
        raise ValueError(
            "looks like it holds an e-mail address or a phone number; this text is published "
            "in events, which never carry contact data"
        )
    return text


# Free text that is published in events (titles, associations, reasons).
PublicShortText = Annotated[ShortText, AfterValidator(no_contact_data)]
PublicLongText = Annotated[LongText, AfterValidator(no_contact_data)]


def not_in_future(day: dt.date) -> dt.date:
    """Refuse a local date after today."""
    if day > clock.today():
        raise ValueError("lies in the future")
    return day


# A local date of something that already happened (a birth date too).
PastDate = Annotated[dt.date, Field(ge=FIRST_HISTORICAL_DATE), AfterValidator(not_in_future)]
