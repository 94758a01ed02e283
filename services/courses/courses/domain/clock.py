"""Time as people enter it (local dates and clock times in Europe/Brussels) and as it is stored
(UTC instants)."""

import datetime as dt
from zoneinfo import ZoneInfo

BRUSSELS = ZoneInfo("Europe/Brussels")


def now() -> dt.datetime:
    """The current instant (UTC)."""
    return dt.datetime.now(dt.UTC)


def today() -> dt.date:
    """Today's local date."""
    return dt.datetime.now(BRUSSELS).date()


def local_date(instant: dt.datetime) -> dt.date:
    """The local date of an instant."""
    return instant.astimezone(BRUSSELS).date()


def at_local(day: dt.date, time: dt.time) -> dt.datetime:
    """The instant of a local date and clock time; ValueError for a time skipped by DST."""
    instant = dt.datetime.combine(day, time, tzinfo=BRUSSELS)
    # A clock time inside the spring-forward gap does not exist; zoneinfo would shift it silently.
    if instant.astimezone(dt.UTC).astimezone(BRUSSELS).replace(tzinfo=None) != instant.replace(
        tzinfo=None
    ):
        raise ValueError(f"{time:%H:%M} does not exist on {day} in Brussels (clocks go forward)")
    return instant
