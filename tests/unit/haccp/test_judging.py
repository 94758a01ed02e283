"""The service decides the outcome of a reading against the limits."""

import pytest

from buurtwerk_shared.contracts.events.haccp import (
    CalibrationLimits,
    ChecklistLimits,
    RangeLimits,
    TargetLimits,
    TimedLimits,
)
from meals.haccp.domain.defaults import DEFAULTS
from meals.haccp.domain.judging import (
    judge_calibration,
    judge_checklist,
    judge_done,
    judge_value,
    target_reached,
)
from meals.haccp.domain.records import corrected


@pytest.mark.parametrize(
    ("value", "outcome"), [(2.0, "ok"), (7.0, "ok"), (7.1, "deviation"), (-30, "ok")]
)
def test_fridge_default_is_at_most_seven_degrees(value: float, outcome: str) -> None:
    limits = DEFAULTS["fridge"].limits
    assert isinstance(limits, RangeLimits)
    assert judge_value(limits, value) == outcome


def test_freezer_and_hot_holding_defaults() -> None:
    freezer, hot = DEFAULTS["freezer"].limits, DEFAULTS["hot_holding"].limits
    assert isinstance(freezer, RangeLimits) and isinstance(hot, RangeLimits)
    assert judge_value(freezer, -18) == "ok"
    assert judge_value(freezer, -15) == "deviation"
    assert judge_value(hot, 60) == "ok"
    assert judge_value(hot, 58.5) == "deviation"


def test_cooking_target_and_critical_limit() -> None:
    limits = DEFAULTS["cooking"].limits
    assert limits == TargetLimits(target=75, critical=65, direction="min")
    assert judge_value(limits, 80) == "ok"
    assert judge_value(limits, 70) == "ok"  # below the target, above the critical limit
    assert judge_value(limits, 64.9) == "deviation"
    upper = TargetLimits(target=3, critical=7, direction="max")
    assert judge_value(upper, 7) == "ok"
    assert judge_value(upper, 7.5) == "deviation"


def test_cooling_and_reheating_targets() -> None:
    cooling, reheating = DEFAULTS["cooling"].limits, DEFAULTS["reheating"].limits
    assert cooling == TimedLimits(**{"from": 60, "to": 10, "within_minutes": 120})
    assert isinstance(cooling, TimedLimits) and isinstance(reheating, TimedLimits)
    assert target_reached(cooling, 10) and not target_reached(cooling, 10.5)
    assert target_reached(reheating, 75) and not target_reached(reheating, 74)


def test_checklist_and_done() -> None:
    limits = ChecklistLimits(items=["Werkbanken", "Vloer"])
    assert judge_checklist(limits, {"Werkbanken": True, "Vloer": True}) == "ok"
    assert judge_checklist(limits, {"Werkbanken": True, "Vloer": False}) == "deviation"
    assert judge_done(True) == "ok" and judge_done(False) == "deviation"


def test_calibration_within_tolerance_gives_the_offset() -> None:
    limits = CalibrationLimits(points=[0, 100], tolerance=1)
    result = judge_calibration(limits, [(0, 0.6), (100, 100.4)])
    assert (result.outcome, result.max_error, result.offset) == ("ok", 0.6, -0.5)
    off = judge_calibration(limits, [(0, 1.4), (100, 100.2)])
    assert (off.outcome, off.max_error) == ("deviation", 1.4)


def test_offset_is_added_to_the_raw_reading() -> None:
    assert corrected(7.4, -0.5) == 6.9
    assert corrected(3.0, 0.0) == 3.0
