"""Shapes of HACCP critical limits and check schedules, as the catalogue defines them."""

from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field

from buurtwerk_shared.contracts.types import Reading, Unit

HaccpCheckKind = Literal[
    "fridge",
    "freezer",
    "goods_receipt",
    "cooking",
    "hot_holding",
    "cooling",
    "reheating",
    "cleaning",
    "calibration",
    "pest_control",
    "other",
]
HaccpLevel = Literal["required", "recommended", "off"]
ClockTime = Annotated[str, Field(pattern=r"^([01][0-9]|2[0-3]):[0-5][0-9]$")]
IsoWeekday = Annotated[int, Field(ge=1, le=7)]


class _Shape(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid", populate_by_name=True)


class RangeLimits(_Shape):
    """A reading must lie within [min, max] (either bound may be open)."""

    type: Literal["range"] = "range"
    min: Reading | None = None
    max: Reading | None = None
    unit: Unit = "°C"


class TargetLimits(_Shape):
    """A reading should reach `target`; beyond `critical` (in `direction`) it is a deviation."""

    type: Literal["target"] = "target"
    target: Reading
    critical: Reading
    direction: Literal["min", "max"]
    unit: Unit = "°C"


class TimedLimits(_Shape):
    """A process must go from `from` to `to` within `within_minutes` (cooling, reheating)."""

    type: Literal["timed"] = "timed"
    from_: Reading = Field(alias="from")
    to: Reading
    within_minutes: int = Field(gt=0, le=24 * 60)
    unit: Unit = "°C"


class CalibrationLimits(_Shape):
    """A thermometer must read each reference point within `tolerance`."""

    type: Literal["calibration"] = "calibration"
    points: list[Reading] = Field(min_length=1, max_length=20)
    tolerance: float = Field(ge=0, le=100, allow_inf_nan=False)
    unit: Unit = "°C"


class ChecklistLimits(_Shape):
    """Every item of the checklist must be done."""

    type: Literal["checklist"] = "checklist"
    items: list[Annotated[str, Field(min_length=1, max_length=200)]] = Field(
        min_length=1, max_length=100
    )


Limits = Annotated[
    RangeLimits | TargetLimits | TimedLimits | CalibrationLimits | ChecklistLimits,
    Field(discriminator="type"),
]


class TimesOfDaySchedule(_Shape):
    """Due at fixed local times on the given ISO weekdays."""

    type: Literal["times_of_day"] = "times_of_day"
    times: list[ClockTime] = Field(min_length=1, max_length=48)
    weekdays: list[IsoWeekday] = Field(default_factory=lambda: [1, 2, 3, 4, 5, 6, 7], max_length=7)
    only_on_service_days: bool = False


class PerServiceSchedule(_Shape):
    """Due relative to the start of every meal service in the kitchen."""

    type: Literal["per_service"] = "per_service"
    offset_minutes: int = Field(ge=-24 * 60, le=24 * 60)


class WeeklySchedule(_Shape):
    """Due once a week at a local time."""

    type: Literal["weekly"] = "weekly"
    weekday: IsoWeekday
    time: ClockTime


class MonthlySchedule(_Shape):
    """Due once a month at a local time (a day beyond the month's end means its last day)."""

    type: Literal["monthly"] = "monthly"
    day: int = Field(ge=1, le=31)
    time: ClockTime


class OnEventSchedule(_Shape):
    """No fixed due time: recorded when it happens (goods receipt, cooling)."""

    type: Literal["on_event"] = "on_event"


Schedule = Annotated[
    TimesOfDaySchedule | PerServiceSchedule | WeeklySchedule | MonthlySchedule | OnEventSchedule,
    Field(discriminator="type"),
]
