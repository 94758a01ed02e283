"""How the log reads for an inspector: Dutch texts for limits, schedules, kinds and outcomes."""

import datetime as dt

from buurtwerk_shared.clock import BRUSSELS
from buurtwerk_shared.contracts.events.haccp import (
    CalibrationLimits,
    ChecklistLimits,
    Limits,
    MonthlySchedule,
    PerServiceSchedule,
    RangeLimits,
    Schedule,
    TargetLimits,
    TimedLimits,
    TimesOfDaySchedule,
    WeeklySchedule,
)

KINDS_NL = {
    "fridge": "koeling",
    "freezer": "diepvries",
    "goods_receipt": "ontvangst goederen",
    "cooking": "garen (kerntemperatuur)",
    "hot_holding": "warmhouden",
    "cooling": "afkoelen",
    "reheating": "opwarmen",
    "cleaning": "reiniging",
    "calibration": "kalibratie thermometer",
    "pest_control": "ongediertebestrijding",
    "other": "andere",
}
LEVELS_NL = {"required": "verplicht", "recommended": "aanbevolen", "off": "uit"}
OUTCOMES_NL = {"ok": "in orde", "deviation": "AFWIJKING"}
PROCESS_STATUS_NL = {
    "running": "loopt",
    "overdue": "termijn verstreken, geen eindmeting",
    "completed": "doel gehaald",
    "failed": "afwijking",
}
REFURBISHMENT_NL = {"planned": "gepland", "in_progress": "in uitvoering", "done": "klaar"}
WEEKDAYS_NL = ["ma", "di", "wo", "do", "vr", "za", "zo"]
WEEKDAY_NAMES_NL = ["maandag", "dinsdag", "woensdag", "donderdag", "vrijdag", "zaterdag", "zondag"]


def number(value: float | None) -> str:
    """A number the Flemish way (decimal comma), without a trailing ,0."""
    if value is None:
        return ""
    text = f"{value:.2f}".rstrip("0").rstrip(".")
    return text.replace(".", ",").replace("-", "−")


def limits_nl(limits: Limits | None) -> str:
    """The critical limits in words."""
    if limits is None:
        return "gedaan / niet gedaan"
    if isinstance(limits, RangeLimits):
        unit = limits.unit
        if limits.min is not None and limits.max is not None:
            return f"{number(limits.min)} tot {number(limits.max)} {unit}"
        if limits.max is not None:
            return f"≤ {number(limits.max)} {unit}"
        if limits.min is not None:
            return f"≥ {number(limits.min)} {unit}"
        return "geen grens"
    if isinstance(limits, TargetLimits):
        sign = "≥" if limits.direction == "min" else "≤"
        return (
            f"doel {sign} {number(limits.target)} {limits.unit}, "
            f"kritisch {sign} {number(limits.critical)} {limits.unit}"
        )
    if isinstance(limits, TimedLimits):
        sign = "≤" if limits.to < limits.from_ else "≥"
        return (
            f"van {number(limits.from_)} {limits.unit} tot {sign} {number(limits.to)} "
            f"{limits.unit} binnen {limits.within_minutes} min"
        )
    if isinstance(limits, CalibrationLimits):
        points = " en ".join(number(p) for p in limits.points)
        return f"referentie {points} {limits.unit}, ± {number(limits.tolerance)} {limits.unit}"
    assert isinstance(limits, ChecklistLimits)
    return "checklist: " + "; ".join(limits.items)


def schedule_nl(schedule: Schedule) -> str:
    """The schedule in words."""
    if isinstance(schedule, TimesOfDaySchedule):
        text = "om " + ", ".join(schedule.times)
        if sorted(schedule.weekdays) != [1, 2, 3, 4, 5, 6, 7]:
            text += " (" + ", ".join(WEEKDAYS_NL[d - 1] for d in sorted(schedule.weekdays)) + ")"
        else:
            text = "dagelijks " + text
        if schedule.only_on_service_days:
            text += ", enkel op dagen met een maaltijddienst"
        return text
    if isinstance(schedule, PerServiceSchedule):
        minutes = schedule.offset_minutes
        if minutes == 0:
            return "bij de start van elke maaltijddienst"
        when = "vóór" if minutes < 0 else "na"
        return f"{abs(minutes)} min {when} de start van elke maaltijddienst"
    if isinstance(schedule, WeeklySchedule):
        return f"wekelijks op {WEEKDAY_NAMES_NL[schedule.weekday - 1]} om {schedule.time}"
    if isinstance(schedule, MonthlySchedule):
        return f"maandelijks op dag {schedule.day} om {schedule.time}"
    return "bij elke gebeurtenis (levering, proces)"


def local(instant: dt.datetime | None) -> str:
    """An instant as local date and time (dd-mm-jjjj uu:mm)."""
    if instant is None:
        return ""
    return instant.astimezone(BRUSSELS).strftime("%d-%m-%Y %H:%M")


def local_day(day: dt.date | None) -> str:
    """A date as dd-mm-jjjj."""
    return "" if day is None else day.strftime("%d-%m-%Y")
