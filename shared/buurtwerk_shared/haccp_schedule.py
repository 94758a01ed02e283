"""When a HACCP check is due: the catalogue's `schedule` shapes expanded into instants.

Schedules are local (Europe/Brussels) wall-clock times, expanded day by local day, so a check at
08:00 is due at 08:00 on both sides of a daylight-saving change (07:00 UTC in winter, 06:00 UTC in
summer). A time that the spring change skips (02:00-03:00 on the last Sunday of March) is due once,
at the same distance after the change (02:30 becomes 03:30 summer time); a time that the autumn
change repeats (02:00-03:00 on the last Sunday of October) is due once, at its first occurrence
(summer time). No occurrence is missed or doubled.
"""

import calendar
import datetime as dt
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from buurtwerk_shared.clock import BRUSSELS
from buurtwerk_shared.contracts.events.haccp import (
    MonthlySchedule,
    OnEventSchedule,
    PerServiceSchedule,
    Schedule,
    TimesOfDaySchedule,
    WeeklySchedule,
)

# How far ahead `next_due_after` looks: beyond the longest gap of a monthly schedule.
NEXT_DUE_HORIZON = dt.timedelta(days=35)


@dataclass(frozen=True)
class MealServiceSlot:
    """A meal service in the kitchen that is not cancelled: its local date and start."""

    date: dt.date
    starts_at: dt.datetime


def local_instant(day: dt.date, clock: dt.time) -> dt.datetime:
    """The UTC instant of a local wall-clock time on a local date (see the module for DST)."""
    # fold=0: a skipped time takes the offset before the change (so it lands after the gap),
    # a repeated time takes its first occurrence.
    local = dt.datetime.combine(day, clock).replace(tzinfo=BRUSSELS, fold=0)
    return local.astimezone(dt.UTC)


def local_date(instant: dt.datetime) -> dt.date:
    """The local (Europe/Brussels) date of an instant."""
    return instant.astimezone(BRUSSELS).date()


def _clock(text: str) -> dt.time:
    hours, minutes = text.split(":")
    return dt.time(int(hours), int(minutes))


def _days(first: dt.date, last: dt.date) -> Iterator[dt.date]:
    day = first
    while day <= last:
        yield day
        day += dt.timedelta(days=1)


def _candidates(
    schedule: Schedule, first: dt.date, last: dt.date, services: Iterable[MealServiceSlot]
) -> Iterator[dt.datetime]:
    if isinstance(schedule, TimesOfDaySchedule):
        in_use = {s.date for s in services}
        times = [_clock(t) for t in schedule.times]
        for day in _days(first, last):
            if day.isoweekday() not in schedule.weekdays:
                continue
            if schedule.only_on_service_days and day not in in_use:
                continue
            for clock in times:
                yield local_instant(day, clock)
    elif isinstance(schedule, PerServiceSchedule):
        offset = dt.timedelta(minutes=schedule.offset_minutes)
        for service in services:
            yield service.starts_at.astimezone(dt.UTC) + offset
    elif isinstance(schedule, WeeklySchedule):
        clock = _clock(schedule.time)
        for day in _days(first, last):
            if day.isoweekday() == schedule.weekday:
                yield local_instant(day, clock)
    elif isinstance(schedule, MonthlySchedule):
        clock = _clock(schedule.time)
        for day in _days(first, last):
            # A day beyond the month's end (31 in April) means the month's last day.
            month_days = calendar.monthrange(day.year, day.month)[1]
            if day.day == min(schedule.day, month_days):
                yield local_instant(day, clock)
    else:
        assert isinstance(schedule, OnEventSchedule)


def due_times(
    schedule: Schedule,
    after: dt.datetime,
    until: dt.datetime,
    services: Iterable[MealServiceSlot] = (),
) -> list[dt.datetime]:
    """The instants (UTC, ascending, distinct) in (after, until] at which the check is due.

    `services` are the kitchen's meal services that are not cancelled, at least those in the
    range: they decide the days in use (`only_on_service_days`) and the `per_service` times.
    """
    if until <= after:
        return []
    # One day of margin on each side: a local day can start before `after` in UTC.
    first = local_date(after) - dt.timedelta(days=1)
    last = local_date(until) + dt.timedelta(days=1)
    found = {t for t in _candidates(schedule, first, last, services) if after < t <= until}
    return sorted(found)


def next_due_after(
    schedule: Schedule,
    after: dt.datetime,
    services: Iterable[MealServiceSlot] = (),
    horizon: dt.timedelta = NEXT_DUE_HORIZON,
) -> dt.datetime | None:
    """The first instant after `after` at which the check is due, if any within `horizon`."""
    slots = list(services)
    # Most schedules are daily: look two days ahead before scanning the whole horizon.
    for ahead in (min(horizon, dt.timedelta(days=2)), horizon):
        upcoming = due_times(schedule, after, after + ahead, slots)
        if upcoming:
            return upcoming[0]
    return None
