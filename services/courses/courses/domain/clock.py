"""Time as people enter it (local dates and clock times in Europe/Brussels) and as it is stored
(UTC instants)."""

import datetime as dt

from buurtwerk_shared.clock import BRUSSELS, local_date, now, today

__all__ = ["BRUSSELS", "at_local", "local_date", "now", "today"]


def at_local(day: dt.date, time: dt.time) -> dt.datetime:
    """The instant of a local date and clock time; ValueError for a time skipped by DST."""
    instant = dt.datetime.combine(day, time, tzinfo=BRUSSELS)
    # A clock time inside the spring-forward gap does not exist; zoneinfo would shift it silently.
    if instant.astimezone(dt.UTC).astimezone(BRUSSELS).replace(tzinfo=None) != instant.replace(
        tzinfo=None
    ):
        raise ValueError(f"{time:%H:%M} does not exist on {day} in Brussels (clocks go forward)")
    return instant
