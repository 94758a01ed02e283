"""Reporting periods: ISO weeks, months, quarters and years as local date ranges."""

import datetime as dt

import pytest

from reporting.indicators.periods import parse_period


@pytest.mark.parametrize(
    ("label", "first", "end"),
    [
        ("2026-W09", dt.date(2026, 2, 23), dt.date(2026, 3, 2)),
        ("2026-W01", dt.date(2025, 12, 29), dt.date(2026, 1, 5)),
        ("2026-W53", dt.date(2026, 12, 28), dt.date(2027, 1, 4)),
        ("2026-03", dt.date(2026, 3, 1), dt.date(2026, 4, 1)),
        ("2026-12", dt.date(2026, 12, 1), dt.date(2027, 1, 1)),
        ("2026-Q1", dt.date(2026, 1, 1), dt.date(2026, 4, 1)),
        ("2026-Q4", dt.date(2026, 10, 1), dt.date(2027, 1, 1)),
        ("2026", dt.date(2026, 1, 1), dt.date(2027, 1, 1)),
    ],
)
def test_period_ranges(label: str, first: dt.date, end: dt.date) -> None:
    period = parse_period(label)
    assert (period.first, period.end) == (first, end)


@pytest.mark.parametrize("label", ["2026-13", "2025-W53", "2026-Q5", "March", "2026-3", ""])
def test_bad_periods_say_what_is_accepted(label: str) -> None:
    with pytest.raises(ValueError, match=r"2026|week|month|period"):
        parse_period(label)
