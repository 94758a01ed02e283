"""The outcome of a reading against the critical limits in force: decided here, never by a client.

Everything in this module is pure: the limits of the version in force and the reading in, the
outcome out. Range bounds are inclusive (a fridge at exactly 7 °C with `max` 7 is ok).
"""

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Literal

from buurtwerk_shared.contracts.events.haccp import (
    CalibrationLimits,
    ChecklistLimits,
    RangeLimits,
    TargetLimits,
    TimedLimits,
)

Outcome = Literal["ok", "deviation"]


def judge_value(limits: RangeLimits | TargetLimits, value: float) -> Outcome:
    """A temperature (or other measured value) against a range or a target with a critical limit."""
    if isinstance(limits, RangeLimits):
        too_low = limits.min is not None and value < limits.min
        too_high = limits.max is not None and value > limits.max
        return "deviation" if too_low or too_high else "ok"
    if limits.direction == "min":
        return "deviation" if value < limits.critical else "ok"
    return "deviation" if value > limits.critical else "ok"


def judge_checklist(limits: ChecklistLimits, items: Mapping[str, bool]) -> Outcome:
    """A checklist is ok when every item of it is done."""
    return "ok" if all(items.get(item, False) for item in limits.items) else "deviation"


def judge_done(done: bool) -> Outcome:
    """A check without limits (e.g. a pest-control round) is ok when it was done."""
    return "ok" if done else "deviation"


@dataclass(frozen=True)
class CalibrationResult:
    """A thermometer's calibration: outcome, its largest error, and the offset it needs."""

    outcome: Outcome
    max_error: float
    offset: float


def judge_calibration(
    limits: CalibrationLimits, readings: Sequence[tuple[float, float]]
) -> CalibrationResult:
    """Readings (reference point, what the thermometer showed) against the tolerance.

    The offset is what must be added to the thermometer's readings to correct it: the mean of
    (point - reading), rounded to 0.1 degree.
    """
    errors = [reading - point for point, reading in readings]
    max_error = max(abs(e) for e in errors)
    outcome: Outcome = "ok" if max_error <= limits.tolerance else "deviation"
    offset = round(-sum(errors) / len(errors), 1) + 0.0  # + 0.0 turns -0.0 into 0.0
    return CalibrationResult(outcome, round(max_error, 2), offset)


def target_reached(limits: TimedLimits, value: float) -> bool:
    """Whether a cooling (target below the start) or reheating reading reached its target."""
    if limits.to < limits.from_:
        return value <= limits.to
    return value >= limits.to
