"""Local time: schedules and dates are Europe/Brussels, instants are stored as UTC."""

import datetime as dt

from buurtwerk_shared.clock import BRUSSELS, local_date, now

__all__ = ["BRUSSELS", "CLOCK_TOLERANCE", "is_future", "local_date", "local_instant", "now"]

# Clients' clocks drift a little: a business time this far ahead of ours still counts as "now".
CLOCK_TOLERANCE = dt.timedelta(minutes=2)


def local_instant(day: dt.date, clock: dt.time) -> dt.datetime:
    """The instant a local wall-clock time on a local date denotes.

    Across a daylight-saving change the UTC offset follows the date. A wall time that does not
    exist (the spring-forward hour) maps to the instant one hour later on the clock; one that
    occurs twice (autumn) maps to the first occurrence.
    """
    return dt.datetime.combine(day, clock, tzinfo=BRUSSELS)


def is_future(instant: dt.datetime, reference: dt.datetime) -> bool:
    """Whether a business time lies beyond `reference` (allowing for clock drift)."""
    return instant > reference + CLOCK_TOLERANCE
