"""The demo's calendar: a few weeks around today, in Europe/Brussels.

Everything the demo loads is dated relative to `today`: the three weeks before the current one
and the current week up to yesterday have happened (meals served, shifts worked, sessions held);
today and the rest up to next week's Friday are planned. Centres are closed on Belgian public
holidays.
"""

import datetime as dt
from dataclasses import dataclass
from zoneinfo import ZoneInfo

BRUSSELS = ZoneInfo("Europe/Brussels")
WEEKS_BACK = 3


def easter_sunday(year: int) -> dt.date:
    """Easter Sunday of a year (the anonymous Gregorian algorithm)."""
    a, b, c = year % 19, year // 100, year % 100
    d, e = divmod(b, 4)
    f = (b + 8) // 25
    g = (b - f + 1) // 3
    h = (19 * a + b - d - g + 15) % 30
    i, k = divmod(c, 4)
    ell = (32 + 2 * e + 2 * i - h - k) % 7
    m = (a + 11 * h + 22 * ell) // 451
    month, day = divmod(h + ell - 7 * m + 114, 31)
    return dt.date(year, month, day + 1)


def public_holidays(year: int) -> frozenset[dt.date]:
    """Belgium's ten legal public holidays in a year."""
    easter = easter_sunday(year)
    fixed = [(1, 1), (5, 1), (7, 21), (8, 15), (11, 1), (11, 11), (12, 25)]
    moving = [easter + dt.timedelta(days=n) for n in (1, 39, 50)]  # Easter/Whit Monday, Ascension
    return frozenset([dt.date(year, month, day) for month, day in fixed] + moving)


def at(day: dt.date, clock: dt.time) -> dt.datetime:
    """The instant of a local clock time on a local date."""
    return dt.datetime.combine(day, clock, tzinfo=BRUSSELS)


@dataclass(frozen=True)
class DemoCalendar:
    """The days the demo covers, relative to `today`."""

    today: dt.date

    @property
    def first(self) -> dt.date:
        """The Monday three weeks before this week's."""
        monday = self.today - dt.timedelta(days=self.today.weekday())
        return monday - dt.timedelta(weeks=WEEKS_BACK)

    @property
    def last(self) -> dt.date:
        """Next week's Friday."""
        monday = self.today - dt.timedelta(days=self.today.weekday())
        return monday + dt.timedelta(days=11)

    def days(self) -> list[dt.date]:
        """Every day from `first` to `last`."""
        count = (self.last - self.first).days + 1
        return [self.first + dt.timedelta(days=n) for n in range(count)]

    def open_days(self, weekdays: frozenset[int] = frozenset({1, 2, 3, 4, 5})) -> list[dt.date]:
        """The days on these ISO weekdays (Monday to Friday by default) that are no holiday."""
        return [d for d in self.days() if d.isoweekday() in weekdays and not self.is_holiday(d)]

    def is_holiday(self, day: dt.date) -> bool:
        """Whether the centres are closed for a public holiday."""
        return day in public_holidays(day.year)

    def is_past(self, day: dt.date) -> bool:
        """Whether the day is over (before today)."""
        return day < self.today

    def days_before_first(self, days: int, clock: dt.time) -> dt.datetime:
        """An instant some days before the first day, at a local clock time."""
        return at(self.first - dt.timedelta(days=days), clock)
