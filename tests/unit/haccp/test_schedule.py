"""Schedules expand to the right instants in Europe/Brussels, right across daylight saving."""

import datetime as dt

from buurtwerk_shared.contracts.events.haccp import (
    MonthlySchedule,
    OnEventSchedule,
    PerServiceSchedule,
    TimesOfDaySchedule,
    WeeklySchedule,
)
from buurtwerk_shared.haccp_schedule import MealServiceSlot, due_times, next_due_after

UTC = dt.UTC


def utc(text: str) -> dt.datetime:
    return dt.datetime.fromisoformat(text).astimezone(UTC)


def iso(instants: list[dt.datetime]) -> list[str]:
    return [i.strftime("%Y-%m-%dT%H:%MZ") for i in instants]


def test_a_daily_time_keeps_its_local_hour_across_the_spring_change() -> None:
    schedule = TimesOfDaySchedule(times=["08:00"])
    found = due_times(schedule, utc("2026-03-27T00:00+01:00"), utc("2026-03-31T00:00+02:00"))
    assert iso(found) == [
        "2026-03-27T07:00Z",
        "2026-03-28T07:00Z",
        "2026-03-29T06:00Z",  # Sunday of the change: summer time
        "2026-03-30T06:00Z",
    ]


def test_a_time_skipped_in_spring_is_due_once_just_after_the_change() -> None:
    schedule = TimesOfDaySchedule(times=["02:30"])
    found = due_times(schedule, utc("2026-03-28T00:00+01:00"), utc("2026-03-31T00:00+02:00"))
    # 02:30 does not exist on 29 March; it is due once, at 03:30 summer time (01:30 UTC).
    assert iso(found) == ["2026-03-28T01:30Z", "2026-03-29T01:30Z", "2026-03-30T00:30Z"]


def test_a_time_repeated_in_autumn_is_due_once_at_its_first_occurrence() -> None:
    schedule = TimesOfDaySchedule(times=["02:30"])
    found = due_times(schedule, utc("2026-10-24T00:00+02:00"), utc("2026-10-27T00:00+01:00"))
    # 02:30 happens twice on 25 October; due once, in summer time (00:30 UTC).
    assert iso(found) == ["2026-10-24T00:30Z", "2026-10-25T00:30Z", "2026-10-26T01:30Z"]


def test_weekdays_and_days_in_use() -> None:
    schedule = TimesOfDaySchedule(times=["10:00"], weekdays=[1, 3, 5], only_on_service_days=True)
    services = [
        MealServiceSlot(dt.date(2026, 3, 23), utc("2026-03-23T12:00+01:00")),  # Monday
        MealServiceSlot(dt.date(2026, 3, 24), utc("2026-03-24T12:00+01:00")),  # Tuesday
        MealServiceSlot(dt.date(2026, 3, 27), utc("2026-03-27T12:00+01:00")),  # Friday
    ]
    found = due_times(
        schedule, utc("2026-03-23T00:00+01:00"), utc("2026-03-30T00:00+02:00"), services
    )
    # Wednesday 25 has no service; Tuesday is not a scheduled weekday.
    assert iso(found) == ["2026-03-23T09:00Z", "2026-03-27T09:00Z"]


def test_per_service_offsets_and_the_range_is_half_open() -> None:
    schedule = PerServiceSchedule(offset_minutes=-30)
    services = [
        MealServiceSlot(dt.date(2026, 3, 23), utc("2026-03-23T12:00+01:00")),
        MealServiceSlot(dt.date(2026, 3, 24), utc("2026-03-24T18:00+01:00")),
    ]
    after = utc("2026-03-23T11:30+01:00")  # exactly the first due time: excluded
    found = due_times(schedule, after, utc("2026-03-24T17:30+01:00"), services)
    assert iso(found) == ["2026-03-24T16:30Z"]


def test_weekly_and_monthly_with_a_short_month() -> None:
    weekly = WeeklySchedule(weekday=1, time="09:00")
    found = due_times(weekly, utc("2026-03-20T00:00+01:00"), utc("2026-04-07T00:00+02:00"))
    assert iso(found) == ["2026-03-23T08:00Z", "2026-03-30T07:00Z", "2026-04-06T07:00Z"]
    monthly = MonthlySchedule(day=31, time="09:00")
    found = due_times(monthly, utc("2026-03-01T00:00+01:00"), utc("2026-05-01T00:00+02:00"))
    assert iso(found) == ["2026-03-31T07:00Z", "2026-04-30T07:00Z"]


def test_on_event_checks_have_no_due_time() -> None:
    found = due_times(OnEventSchedule(), utc("2026-03-01T00:00Z"), utc("2026-04-01T00:00Z"))
    assert found == []


def test_next_due_after() -> None:
    schedule = TimesOfDaySchedule(times=["08:00", "15:00"])
    assert iso(
        [next_due_after(schedule, utc("2026-03-29T06:00Z")) or utc("2000-01-01T00:00Z")]
    ) == ["2026-03-29T13:00Z"]
    in_use_only = TimesOfDaySchedule(times=["08:00"], only_on_service_days=True)
    assert next_due_after(in_use_only, utc("2026-03-29T06:00Z")) is None
