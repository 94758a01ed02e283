"""Reporting periods in local time: ISO week `2026-W09`, month `2026-03`, quarter `2026-Q1`,
year `2026`."""

import datetime as dt
import re
from dataclasses import dataclass
from typing import Literal

from buurtwerk_shared.clock import BRUSSELS as LOCAL
from buurtwerk_shared.clock import local_date, today

__all__ = ["LOCAL", "local_date", "today"]

Granularity = Literal["week", "month", "quarter", "year"]
GRANULARITIES: tuple[Granularity, ...] = ("week", "month", "quarter", "year")

_WEEK = re.compile(r"^(\d{4})-W(\d{2})$")
_MONTH = re.compile(r"^(\d{4})-(\d{2})$")
_QUARTER = re.compile(r"^(\d{4})-Q([1-4])$")
_YEAR = re.compile(r"^(\d{4})$")


@dataclass(frozen=True)
class Period:
    """A period as a half-open range of local dates [first, end)."""

    label: str
    first: dt.date
    end: dt.date

    @property
    def granularity(self) -> Granularity:
        """Week, month, quarter or year."""
        if "W" in self.label:
            return "week"
        if "Q" in self.label:
            return "quarter"
        return "month" if "-" in self.label else "year"


def _month_start(year: int, month: int) -> dt.date:
    return dt.date(year + (month - 1) // 12, (month - 1) % 12 + 1, 1)


def parse_period(label: str) -> Period:
    """The date range of a period label; raises ValueError naming the accepted forms."""
    if match := _WEEK.match(label):
        year, week = int(match.group(1)), int(match.group(2))
        try:
            first = dt.date.fromisocalendar(year, week, 1)
        except ValueError as exc:
            raise ValueError(f"{label} is not an ISO week of {year}") from exc
        return Period(label, first, first + dt.timedelta(days=7))
    if match := _MONTH.match(label):
        year, month = int(match.group(1)), int(match.group(2))
        if not 1 <= month <= 12:
            raise ValueError(f"{label}: month must be 01 to 12")
        return Period(label, _month_start(year, month), _month_start(year, month + 1))
    if match := _QUARTER.match(label):
        year, quarter = int(match.group(1)), int(match.group(2))
        first_month = 3 * (quarter - 1) + 1
        return Period(label, _month_start(year, first_month), _month_start(year, first_month + 3))
    if match := _YEAR.match(label):
        year = int(match.group(1))
        return Period(label, dt.date(year, 1, 1), dt.date(year + 1, 1, 1))
    raise ValueError(f"'{label}' is not a period; use 2026-W09, 2026-03, 2026-Q1 or 2026")


def period_of(day: dt.date, granularity: Granularity) -> Period:
    """The period of a granularity that contains a local date."""
    if granularity == "week":
        year, week, _ = day.isocalendar()
        return parse_period(f"{year}-W{week:02d}")
    if granularity == "month":
        return parse_period(f"{day.year}-{day.month:02d}")
    if granularity == "quarter":
        return parse_period(f"{day.year}-Q{(day.month - 1) // 3 + 1}")
    return parse_period(str(day.year))


def labels_containing(day: dt.date) -> tuple[str, str, str, str]:
    """The week, month, quarter and year labels of a local date (cheap: no parsing)."""
    year, week, _ = day.isocalendar()
    return (
        f"{year}-W{week:02d}",
        f"{day.year}-{day.month:02d}",
        f"{day.year}-Q{(day.month - 1) // 3 + 1}",
        str(day.year),
    )


def periods_between(first: dt.date, last: dt.date, granularity: Granularity) -> list[Period]:
    """The periods of a granularity that overlap the local dates [first, last], in order."""
    periods: list[Period] = []
    period = period_of(first, granularity)
    while period.first <= last:
        periods.append(period)
        period = period_of(period.end, granularity)
    return periods
