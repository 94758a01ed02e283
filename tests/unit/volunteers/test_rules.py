"""The volunteers' rules on their own: transitions, schedules across DST, milestones, caps."""

import datetime as dt
from decimal import Decimal
from itertools import product
from typing import get_args

import pytest
from pydantic import ValidationError

from buurtwerk_shared.contracts.events.volunteers import ShiftRole, VolunteerStatus
from volunteers.api.schemas.shifts import GenerateShifts, NewShiftTemplate
from volunteers.domain.clock import BRUSSELS
from volunteers.domain.reference import ROLE_LABELS
from volunteers.domain.rules import (
    AllowanceCaps,
    allowance_refusal,
    anniversary,
    hours_milestones,
    occurrences,
    shift_hours,
    transition_allowed,
    transition_refusal,
    years_milestones,
)

STATUSES: tuple[VolunteerStatus, ...] = get_args(VolunteerStatus)
CAPS_2024 = AllowanceCaps(2024, 4148, 165929)


def test_exactly_the_catalogue_transitions_are_allowed() -> None:
    allowed = {(a, b) for a, b in product(STATUSES, STATUSES) if transition_allowed(a, b)}
    assert allowed == {
        ("applied", "intake"), ("applied", "left"), ("intake", "onboarding"),
        ("intake", "left"), ("onboarding", "active"), ("onboarding", "left"),
        ("active", "paused"), ("active", "left"), ("paused", "active"), ("paused", "left"),
        ("left", "applied"),
    }  # fmt: skip


def test_a_refusal_names_what_is_allowed() -> None:
    assert transition_refusal("applied", "active") == (
        "from 'applied' a volunteer moves to intake or left, not to 'active'"
    )


def test_weekly_occurrences_keep_the_wall_clock_across_both_changes() -> None:
    autumn = list(
        occurrences(7, dt.time(10), dt.time(12), dt.date(2026, 10, 18), dt.date(2026, 11, 1))
    )
    assert [o.date for o in autumn] == [
        dt.date(2026, 10, 18), dt.date(2026, 10, 25), dt.date(2026, 11, 1),
    ]  # fmt: skip
    assert [o.starts_at.astimezone(dt.UTC).hour for o in autumn] == [8, 9, 9]
    assert all(o.starts_at.astimezone(BRUSSELS).hour == 10 for o in autumn)
    spring = list(
        occurrences(7, dt.time(10), dt.time(12), dt.date(2026, 3, 22), dt.date(2026, 3, 29))
    )
    assert [o.starts_at.astimezone(dt.UTC).hour for o in spring] == [9, 8]


def test_occurrences_start_on_the_first_matching_weekday_and_include_the_last_day() -> None:
    days = [
        o.date
        for o in occurrences(
            3, dt.time(9), dt.time(10), dt.date(2026, 10, 1), dt.date(2026, 10, 28)
        )
    ]
    assert days == [dt.date(2026, 10, d) for d in (7, 14, 21, 28)]
    assert (
        list(occurrences(3, dt.time(9), dt.time(10), dt.date(2026, 10, 8), dt.date(2026, 10, 13)))
        == []
    )


def test_hours_are_real_elapsed_time_even_on_the_change_days() -> None:
    def length(day: dt.date, start: int, end: int) -> Decimal:
        return shift_hours(
            dt.datetime.combine(day, dt.time(start), tzinfo=BRUSSELS),
            dt.datetime.combine(day, dt.time(end), tzinfo=BRUSSELS),
        )

    assert length(dt.date(2026, 10, 21), 11, 14) == Decimal("3.00")
    assert length(dt.date(2026, 10, 25), 1, 4) == Decimal("4.00")
    assert length(dt.date(2026, 3, 29), 1, 4) == Decimal("2.00")


@pytest.mark.parametrize(
    ("total", "reached"),
    [
        ("49.99", []),
        ("50", ["hours_50"]),
        ("250", ["hours_50", "hours_100", "hours_250"]),
        ("1000", ["hours_50", "hours_100", "hours_250", "hours_500"]),
    ],
)
def test_hours_milestones(total: str, reached: list[str]) -> None:
    assert hours_milestones(Decimal(total)) == reached


def test_anniversaries_follow_the_local_calendar() -> None:
    leap = dt.datetime(2024, 2, 29, 9, tzinfo=dt.UTC)  # 10:00 in Brussels
    assert anniversary(leap, 1) == dt.datetime(2025, 2, 28, 10, tzinfo=BRUSSELS)
    summer = dt.datetime(2025, 7, 1, 8, tzinfo=dt.UTC)  # 10:00 CEST
    assert anniversary(summer, 5).astimezone(BRUSSELS).hour == 10
    first = dt.datetime(2020, 1, 1, 12, tzinfo=dt.UTC)
    assert [m for m, _ in years_milestones(first, dt.datetime(2025, 1, 1, 11, tzinfo=dt.UTC))] == [
        "years_1"
    ]
    assert [m for m, _ in years_milestones(first, dt.datetime(2025, 1, 1, 12, tzinfo=dt.UTC))] == [
        "years_1", "years_5",
    ]  # fmt: skip


def test_allowances_are_refused_only_above_a_cap() -> None:
    assert allowance_refusal(CAPS_2024, 0, 0, 4148) is None
    day = allowance_refusal(CAPS_2024, 4000, 4000, 149)
    assert day is not None and "day cap of € 41,48" in day and "at most € 1,48 more" in day
    assert allowance_refusal(CAPS_2024, 0, 165929 - 100, 100) is None
    year = allowance_refusal(CAPS_2024, 0, 165929 - 100, 101)
    assert year is not None and "year cap of € 1659,29" in year


def test_every_catalogue_role_has_dutch_and_english_labels() -> None:
    assert set(ROLE_LABELS) == set(get_args(ShiftRole))


def test_a_template_must_end_after_it_starts_on_the_same_day() -> None:
    with pytest.raises(ValidationError, match="end_time must be after start_time"):
        NewShiftTemplate(
            centre_id="mannenstraat", role="kitchen", weekday=1, start_time=dt.time(22),
            end_time=dt.time(2), needed=1, valid_from=dt.date(2026, 1, 1),
        )  # fmt: skip


def test_shifts_are_generated_for_at_most_92_days_at_once() -> None:
    ok = GenerateShifts.model_validate(
        {"centre_id": "mannenstraat", "from": "2026-01-01", "until": "2026-04-02"}
    )
    assert ok.last == dt.date(2026, 4, 2)
    with pytest.raises(ValidationError, match="at most 92 days"):
        GenerateShifts.model_validate(
            {"centre_id": "mannenstraat", "from": "2026-01-01", "until": "2026-04-03"}
        )
