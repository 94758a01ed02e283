"""Age bands on a given day, minors and young people."""

import datetime as dt

import pytest

from courses.domain.ages import age_band, age_on, band_of_age, is_minor


@pytest.mark.parametrize(
    ("age", "band"),
    [(0, "0-2"), (2, "0-2"), (3, "3-5"), (6, "6-11"), (11, "6-11"), (12, "12-17"),
     (17, "12-17"), (18, "18-25"), (25, "18-25"), (26, "26-64"), (64, "26-64"), (65, "65+"),
     (101, "65+")],
)  # fmt: skip
def test_band_of_age(age: int, band: str) -> None:
    assert band_of_age(age) == band


def test_age_turns_on_the_birthday() -> None:
    born = dt.date(2008, 6, 15)
    assert age_on(born, dt.date(2026, 6, 14)) == 17
    assert age_on(born, dt.date(2026, 6, 15)) == 18
    leap = dt.date(2008, 2, 29)
    assert age_on(leap, dt.date(2026, 2, 28)) == 17
    assert age_on(leap, dt.date(2026, 3, 1)) == 18


def test_the_band_follows_the_birth_date_on_the_events_day() -> None:
    born = dt.date(2008, 6, 15)
    assert age_band(born, None, dt.date(2026, 6, 14)) == "12-17"
    assert age_band(born, None, dt.date(2026, 6, 15)) == "18-25"
    assert is_minor(born, None, dt.date(2026, 6, 14))
    assert not is_minor(born, None, dt.date(2026, 6, 15))


def test_without_a_birth_date_the_stated_band_counts() -> None:
    day = dt.date(2026, 3, 1)
    assert age_band(None, "12-17", day) == "12-17"
    assert is_minor(None, "3-5", day)
    assert not is_minor(None, "18-25", day)
    assert age_band(None, None, day) == "unknown"
