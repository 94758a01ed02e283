"""Age bands (the catalogue's coarse ages) and who counts as a minor or as a young person."""

import datetime as dt

# Upper bound (inclusive) of each band's age in years, in the catalogue's order.
_BANDS: tuple[tuple[int, str], ...] = (
    (2, "0-2"),
    (5, "3-5"),
    (11, "6-11"),
    (17, "12-17"),
    (25, "18-25"),
    (64, "26-64"),
)
OLDEST_BAND = "65+"
MINOR_BANDS = frozenset({"0-2", "3-5", "6-11", "12-17"})
# Flemish youth work (jeugdwerk) takes children from primary school age to young adults.
YOUTH_BANDS = frozenset({"6-11", "12-17", "18-25"})


def age_on(birth_date: dt.date, day: dt.date) -> int:
    """Completed years of age on `day`."""
    before_birthday = (day.month, day.day) < (birth_date.month, birth_date.day)
    return day.year - birth_date.year - int(before_birthday)


def band_of_age(age: int) -> str:
    """The age band of an age in years."""
    return next((band for upper, band in _BANDS if age <= upper), OLDEST_BAND)


def age_band(birth_date: dt.date | None, stated_band: str | None, day: dt.date) -> str:
    """A person's age band on `day`: from the birth date if known, else as stated."""
    if birth_date is not None:
        return band_of_age(age_on(birth_date, day))
    return stated_band or "unknown"


def is_minor(birth_date: dt.date | None, stated_band: str | None, day: dt.date) -> bool:
    """Whether the person is under 18 on `day`."""
    return age_band(birth_date, stated_band, day) in MINOR_BANDS
