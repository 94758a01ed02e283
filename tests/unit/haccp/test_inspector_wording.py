"""The inspector reads limits and schedules in Dutch words."""

import datetime as dt

from buurtwerk_shared.contracts.events.haccp import (
    CalibrationLimits,
    ChecklistLimits,
    MonthlySchedule,
    OnEventSchedule,
    PerServiceSchedule,
    RangeLimits,
    TargetLimits,
    TimedLimits,
    TimesOfDaySchedule,
    WeeklySchedule,
)
from meals.haccp.inspector.wording import limits_nl, local, number, schedule_nl


def test_limits_in_words() -> None:
    assert limits_nl(RangeLimits(max=7)) == "≤ 7 °C"
    assert limits_nl(RangeLimits(max=-18)) == "≤ −18 °C"
    assert limits_nl(RangeLimits(min=0, max=4.5)) == "0 tot 4,5 °C"
    assert limits_nl(TargetLimits(target=75, critical=65, direction="min")) == (
        "doel ≥ 75 °C, kritisch ≥ 65 °C"
    )
    assert limits_nl(TimedLimits(from_=60, to=10, within_minutes=120)) == (
        "van 60 °C tot ≤ 10 °C binnen 120 min"
    )
    assert limits_nl(CalibrationLimits(points=[0, 100], tolerance=1)) == (
        "referentie 0 en 100 °C, ± 1 °C"
    )
    assert limits_nl(ChecklistLimits(items=["Vloer", "Werkbanken"])) == (
        "checklist: Vloer; Werkbanken"
    )
    assert limits_nl(None) == "gedaan / niet gedaan"


def test_schedules_in_words() -> None:
    assert schedule_nl(TimesOfDaySchedule(times=["08:00", "15:00"])) == "dagelijks om 08:00, 15:00"
    assert (
        schedule_nl(TimesOfDaySchedule(times=["10:00"], weekdays=[1, 3], only_on_service_days=True))
        == "om 10:00 (ma, wo), enkel op dagen met een maaltijddienst"
    )
    assert schedule_nl(PerServiceSchedule(offset_minutes=-30)) == (
        "30 min vóór de start van elke maaltijddienst"
    )
    assert schedule_nl(WeeklySchedule(weekday=1, time="09:00")) == "wekelijks op maandag om 09:00"
    assert schedule_nl(MonthlySchedule(day=1, time="09:00")) == "maandelijks op dag 1 om 09:00"
    assert schedule_nl(OnEventSchedule()) == "bij elke gebeurtenis (levering, proces)"


def test_numbers_and_times_the_flemish_way() -> None:
    assert (number(6.80), number(-0.5), number(None)) == ("6,8", "−0,5", "")
    assert local(dt.datetime(2026, 3, 29, 6, 0, tzinfo=dt.UTC)) == "29-03-2026 08:00"
