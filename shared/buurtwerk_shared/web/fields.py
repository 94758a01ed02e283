"""Field types of request bodies and query parameters that every service shares.

Dates and clock times that people enter are local (Europe/Brussels). A clock time with an offset
is refused rather than converted (it would move a shift or a session to another hour), and dates
are kept to a calendar in which every local-to-UTC conversion and day count stays in range.
"""

import datetime as dt
from typing import Annotated

from pydantic import AfterValidator, AwareDatetime, Field

FIRST_DATE, LAST_DATE = dt.date(2000, 1, 1), dt.date(2099, 12, 31)
# Where a person's history (born, trained, member since) may begin.
FIRST_HISTORICAL_DATE = dt.date(1900, 1, 1)


def _local_clock_time(value: dt.time) -> dt.time:
    if value.tzinfo is not None:
        raise ValueError("give the local clock time (Europe/Brussels) without an offset")
    return value


# A local wall-clock time, e.g. "12:00".
LocalTime = Annotated[dt.time, AfterValidator(_local_clock_time)]
# A local calendar date from 2000 to 2099: of what is planned, recorded or asked about.
CalendarDate = Annotated[dt.date, Field(ge=FIRST_DATE, le=LAST_DATE)]
# A date in a person's history, from 1900 on.
HistoricalDate = Annotated[dt.date, Field(ge=FIRST_HISTORICAL_DATE, le=LAST_DATE)]


def _within_calendar(value: dt.datetime) -> dt.datetime:
    # Judged on the date as given, before any conversion that could leave the calendar.
    if not FIRST_DATE <= value.date() <= LAST_DATE:
        raise ValueError(f"must lie between {FIRST_DATE} and {LAST_DATE}")
    return value


# An instant with its offset, e.g. "2026-03-12T08:00:00+01:00", from 2000 to 2099.
Instant = Annotated[AwareDatetime, AfterValidator(_within_calendar)]
