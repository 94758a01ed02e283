"""The rules of a meal service: when meals may be added, and the 7-day window after closing."""

import datetime as dt

import pytest

from buurtwerk_shared.clock import BRUSSELS
from buurtwerk_shared.web.auth import Principal
from buurtwerk_shared.web.problems import Problem
from meals.domain.rules import (
    ServiceState,
    closes_itself_at,
    ensure_may_close,
    ensure_open,
    late_deadline,
    meals_may_be_added,
    starts_at,
)

COOK = Principal(sub="cook", role="kitchen_staff", centres=("mannenstraat",))
COORDINATOR = Principal(sub="coord", role="centre_coordinator", centres=("mannenstraat",))
ADMIN = Principal(sub="admin", role="admin", centres=("all",))
DAY = dt.date(2026, 3, 12)
NOON = starts_at(DAY, dt.time(12, 0))


MIDNIGHT = dt.time(0, 0)
# Planned in advance: it closes itself at midnight after its day.
CLOSES_AT = closes_itself_at(DAY, DAY - dt.timedelta(days=7), MIDNIGHT)


def service(
    status: str, closed_at: dt.datetime | None = None, closes_at: dt.datetime = CLOSES_AT
) -> ServiceState:
    return ServiceState(
        status=status, date=DAY, starts_at=NOON, closed_at=closed_at, closes_at=closes_at
    )


def test_a_service_starts_at_its_local_time_on_both_sides_of_daylight_saving() -> None:
    assert starts_at(dt.date(2026, 3, 28), dt.time(12)).utcoffset() == dt.timedelta(hours=1)
    assert starts_at(dt.date(2026, 3, 30), dt.time(12)).utcoffset() == dt.timedelta(hours=2)


def test_the_late_window_is_seven_calendar_days_across_daylight_saving() -> None:
    # Closed on Friday 27 March 2026 at 14:00 (CET); summer time starts on the 29th.
    closed = dt.datetime(2026, 3, 27, 14, 0, tzinfo=BRUSSELS)
    deadline = late_deadline(closed.astimezone(dt.UTC))
    assert deadline.replace(tzinfo=None) == dt.datetime(2026, 4, 3, 14, 0)
    assert deadline.utcoffset() == dt.timedelta(hours=2)
    assert deadline.astimezone(dt.UTC) - closed.astimezone(dt.UTC) == dt.timedelta(days=7, hours=-1)


def test_an_open_service_takes_meals_from_its_day_on() -> None:
    assert meals_may_be_added(service("planned"), COOK, NOON) is False
    day_before = dt.datetime(2026, 3, 11, 23, 30, tzinfo=BRUSSELS)
    with pytest.raises(Problem) as refused:
        meals_may_be_added(service("planned"), COOK, day_before)
    assert refused.value.code == "service-not-started"
    # 23:30 UTC on the 11th is already the 12th in Brussels.
    just_after_midnight = dt.datetime(2026, 3, 11, 23, 30, tzinfo=dt.UTC)
    assert meals_may_be_added(service("planned"), COOK, just_after_midnight) is False


def test_a_cancelled_service_takes_no_meals_from_anyone() -> None:
    for principal in (COOK, COORDINATOR, ADMIN):
        with pytest.raises(Problem) as refused:
            meals_may_be_added(service("cancelled"), principal, NOON)
        assert refused.value.code == "service-cancelled"


def test_a_closed_service_takes_late_meals_from_coordinators_for_seven_days() -> None:
    closed_at = dt.datetime(2026, 3, 12, 14, 0, tzinfo=BRUSSELS)
    closed = service("closed", closed_at)
    within = dt.datetime(2026, 3, 19, 13, 59, tzinfo=BRUSSELS)
    after = dt.datetime(2026, 3, 19, 14, 1, tzinfo=BRUSSELS)
    assert meals_may_be_added(closed, COORDINATOR, within) is True
    assert meals_may_be_added(closed, ADMIN, within) is True
    with pytest.raises(Problem) as cook:
        meals_may_be_added(closed, COOK, within)
    assert cook.value.code == "service-closed"
    assert "2026-03-19 14:00" in cook.value.detail
    with pytest.raises(Problem) as late:
        meals_may_be_added(closed, COORDINATOR, after)
    assert late.value.code == "late-window-over"


def test_a_service_is_closed_once_after_it_started() -> None:
    ensure_may_close(service("planned"), NOON)
    with pytest.raises(Problem) as early:
        ensure_may_close(service("planned"), NOON - dt.timedelta(minutes=1))
    assert early.value.code == "service-not-started"
    with pytest.raises(Problem) as twice:
        ensure_may_close(service("closed", NOON), NOON + dt.timedelta(hours=3))
    assert twice.value.code == "service-closed"


def test_a_service_closes_itself_after_its_day_or_after_the_day_it_was_planned() -> None:
    assert dt.datetime(2026, 3, 13, 0, 0, tzinfo=BRUSSELS) == CLOSES_AT
    # Planned on its own day, or the day before: the same midnight.
    assert closes_itself_at(DAY, DAY, MIDNIGHT) == CLOSES_AT
    # Planned a week after its day (a coordinator entering last week's meals): that evening.
    late = closes_itself_at(DAY, dt.date(2026, 3, 19), MIDNIGHT)
    assert late == dt.datetime(2026, 3, 20, 0, 0, tzinfo=BRUSSELS)
    # Another hour: that local time on the next day, on either side of daylight saving.
    assert closes_itself_at(dt.date(2026, 3, 28), dt.date(2026, 3, 1), dt.time(3, 0)) == (
        dt.datetime(2026, 3, 29, 3, 0, tzinfo=BRUSSELS)
    )
    assert closes_itself_at(dt.date(2026, 3, 28), dt.date(2026, 3, 1), dt.time(3)).utcoffset() == (
        dt.timedelta(hours=2)
    )


def test_the_till_stops_at_closing_time_even_before_the_service_is_marked_closed() -> None:
    open_ = service("planned")
    just_before = CLOSES_AT - dt.timedelta(seconds=1)
    assert meals_may_be_added(open_, COOK, just_before) is False
    with pytest.raises(Problem) as over:
        meals_may_be_added(open_, COOK, CLOSES_AT)
    assert over.value.code == "service-closed"
    assert "closed itself at 2026-03-13 00:00" in over.value.detail
    assert "until 2026-03-20 00:00" in over.value.detail
    # A coordinator's late entries count from the moment it closed itself, for seven days.
    assert meals_may_be_added(open_, COORDINATOR, CLOSES_AT) is True
    assert meals_may_be_added(open_, COORDINATOR, dt.datetime(2026, 3, 19, 23, 59, tzinfo=BRUSSELS))
    with pytest.raises(Problem) as late:
        meals_may_be_added(open_, COORDINATOR, dt.datetime(2026, 3, 20, 0, 1, tzinfo=BRUSSELS))
    assert late.value.code == "late-window-over"


def test_a_service_from_2002_takes_nothing_at_the_till() -> None:
    old = ServiceState(
        status="planned",
        date=dt.date(2002, 5, 14),
        starts_at=starts_at(dt.date(2002, 5, 14), dt.time(12)),
        closed_at=None,
        closes_at=closes_itself_at(dt.date(2002, 5, 14), dt.date(2002, 5, 1), MIDNIGHT),
    )
    now = dt.datetime(2026, 3, 12, 12, tzinfo=BRUSSELS)
    for principal in (COOK, COORDINATOR):
        with pytest.raises(Problem) as refused:
            meals_may_be_added(old, principal, now)
        assert refused.value.code in ("service-closed", "late-window-over")
    with pytest.raises(Problem) as changed:
        ensure_open(old, now)
    assert changed.value.code == "service-closed"
    with pytest.raises(Problem):
        ensure_may_close(old, now)
