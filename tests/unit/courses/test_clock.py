"""Local dates and clock times in Brussels, right across daylight-saving changes."""

import datetime as dt

import pytest

from courses.domain.clock import at_local, local_date


def test_local_clock_times_keep_their_offset_across_dst() -> None:
    winter = at_local(dt.date(2026, 3, 28), dt.time(18, 0))
    summer = at_local(dt.date(2026, 3, 29), dt.time(18, 0))
    assert winter.astimezone(dt.UTC).hour == 17
    assert summer.astimezone(dt.UTC).hour == 16
    autumn = at_local(dt.date(2026, 10, 25), dt.time(18, 0))
    assert autumn.astimezone(dt.UTC).hour == 17


def test_a_time_in_the_spring_gap_does_not_exist() -> None:
    with pytest.raises(ValueError, match="does not exist"):
        at_local(dt.date(2026, 3, 29), dt.time(2, 30))


def test_the_local_date_of_an_instant() -> None:
    late = dt.datetime(2026, 6, 30, 22, 30, tzinfo=dt.UTC)
    assert local_date(late) == dt.date(2026, 7, 1)
