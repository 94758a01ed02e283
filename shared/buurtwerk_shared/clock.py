"""The one clock: instants in UTC, people's dates and clock times in Europe/Brussels.

The services read the time of day through `now()` and `today()`. In development a process's clock
can be started at another instant (`BUURTWERK_CLOCK_START`), from which it runs at the normal
speed, so that a test or a demo does not depend on the time of day it runs at. Timestamps the
database writes itself (SQL `now()`: when a row was written) keep the real time.
"""

import datetime as dt
from zoneinfo import ZoneInfo

BRUSSELS = ZoneInfo("Europe/Brussels")

_offset = dt.timedelta(0)


def start_at(instant: dt.datetime) -> None:
    """Run this process's clock from `instant` on (development and tests only)."""
    global _offset
    _offset = instant - dt.datetime.now(dt.UTC)


def now() -> dt.datetime:
    """The current instant, in UTC."""
    return dt.datetime.now(dt.UTC) + _offset


def local_now() -> dt.datetime:
    """The current instant, in Brussels time."""
    return now().astimezone(BRUSSELS)


def today() -> dt.date:
    """Today's date in Brussels."""
    return local_now().date()


def local_date(instant: dt.datetime) -> dt.date:
    """The date in Brussels of an instant."""
    return instant.astimezone(BRUSSELS).date()
