"""Periods a date belongs to, and local dates of instants across daylight-saving changes."""

import datetime as dt

from reporting.indicators.periods import labels_containing, local_date, periods_between


def test_the_four_periods_of_a_date() -> None:
    assert labels_containing(dt.date(2026, 3, 31)) == ("2026-W14", "2026-03", "2026-Q1", "2026")
    # 1 January 2027 is in ISO week 53 of 2026.
    assert labels_containing(dt.date(2027, 1, 1)) == ("2026-W53", "2027-01", "2027-Q1", "2027")


def test_instants_take_their_brussels_date() -> None:
    # 22:30 UTC on 31 March is 00:30 on 1 April in Brussels (summer time since 29 March).
    assert local_date(dt.datetime(2026, 3, 31, 22, 30, tzinfo=dt.UTC)) == dt.date(2026, 4, 1)
    assert local_date(dt.datetime(2026, 3, 31, 21, 30, tzinfo=dt.UTC)) == dt.date(2026, 3, 31)
    # 23:30 UTC on 31 December is 00:30 on 1 January (winter time).
    assert local_date(dt.datetime(2026, 12, 31, 23, 30, tzinfo=dt.UTC)) == dt.date(2027, 1, 1)


def test_periods_between_two_dates() -> None:
    months = periods_between(dt.date(2026, 1, 15), dt.date(2026, 4, 1), "month")
    assert [p.label for p in months] == ["2026-01", "2026-02", "2026-03", "2026-04"]
    weeks = periods_between(dt.date(2026, 12, 30), dt.date(2027, 1, 5), "week")
    assert [p.label for p in weeks] == ["2026-W53", "2027-W01"]
    assert [p.label for p in periods_between(dt.date(2026, 2, 1), dt.date(2026, 2, 1), "year")] == [
        "2026"
    ]
