"""The catalogue's HACCP defaults, and which limits and schedules suit which kind of check.

The figures come from the catalogue ("HACCP defaults", after the Belgian guide G-025 and the royal
decrees); those marked "to confirm" have no Belgian figure and must be confirmed by the kitchen's
own plan. A kitchen overrides them per check.
"""

from dataclasses import dataclass

from buurtwerk_shared.contracts.events.haccp import (
    CalibrationLimits,
    HaccpCheckKind,
    Limits,
    RangeLimits,
    TargetLimits,
    TimedLimits,
)


@dataclass(frozen=True)
class Default:
    """The default critical limit of one kind of check, with its source."""

    limits: Limits | None
    note_nl: str
    note_en: str


DEFAULTS: dict[HaccpCheckKind, Default] = {
    "fridge": Default(
        RangeLimits(max=7),
        "gekoelde bewaring ≤ 7 °C (≤ 4 °C waar het product dat vraagt)",
        "chilled storage ≤ 7 °C (≤ 4 °C where the product demands)",
    ),
    "freezer": Default(
        RangeLimits(max=-18), "diepvriesbewaring ≤ −18 °C", "frozen storage ≤ −18 °C"
    ),
    "goods_receipt": Default(
        RangeLimits(max=7),
        "ontvangst vlees en vis < 7 °C; andere gekoelde waren < 10 °C (zet max op 10)",
        "receipt of meat and fish < 7 °C; other chilled goods < 10 °C (set max to 10)",
    ),
    "cooking": Default(
        TargetLimits(target=75, critical=65, direction="min"),
        "kerntemperatuur: doel ≥ 75 °C, kritisch ≥ 65 °C",
        "core temperature: target ≥ 75 °C, critical ≥ 65 °C",
    ),
    "hot_holding": Default(
        RangeLimits(min=60), "warmhouden: kern ≥ 60 °C", "hot holding: core ≥ 60 °C"
    ),
    "cooling": Default(
        TimedLimits(from_=60, to=10, within_minutes=120),
        "afkoelen van 60 °C tot ≤ 10 °C binnen 2 uur (standaard, te bevestigen in het plan)",
        "cooling from 60 °C to ≤ 10 °C within 2 h (default, confirm in the kitchen's plan)",
    ),
    "reheating": Default(
        TimedLimits(from_=7, to=75, within_minutes=60),
        "opwarmen tot kern ≥ 75 °C binnen 1 uur (standaard, te bevestigen in het plan)",
        "reheating to core ≥ 75 °C within 1 h (default, confirm in the kitchen's plan)",
    ),
    "calibration": Default(
        CalibrationLimits(points=[0, 100], tolerance=1),
        "ijswater 0 °C ± 1 °C en kokend water 100 °C ± 1 °C, maandelijks",
        "ice water 0 °C ± 1 °C and boiling water 100 °C ± 1 °C, monthly",
    ),
    "cleaning": Default(
        None, "geen standaard: geef de punten van de checklist", "no default: list the items"
    ),
    "pest_control": Default(
        None, "geen standaard: gedaan / niet gedaan, of een checklist", "no default: done or not"
    ),
    "other": Default(None, "geen standaard", "no default"),
}

# Which shapes of limits each kind accepts (None: a plain done / not done).
ALLOWED_LIMITS: dict[HaccpCheckKind, frozenset[str | None]] = {
    "fridge": frozenset({"range", "target"}),
    "freezer": frozenset({"range", "target"}),
    "goods_receipt": frozenset({"range", "target"}),
    "cooking": frozenset({"target", "range"}),
    "hot_holding": frozenset({"range", "target"}),
    "cooling": frozenset({"timed"}),
    "reheating": frozenset({"timed"}),
    "calibration": frozenset({"calibration"}),
    "cleaning": frozenset({"checklist", None}),
    "pest_control": frozenset({"checklist", None}),
    "other": frozenset({"range", "target", "checklist", None}),
}

# Kinds recorded through their own flow rather than as a plain reading.
TIMED_KINDS: frozenset[HaccpCheckKind] = frozenset({"cooling", "reheating"})
DELIVERY_KINDS: frozenset[HaccpCheckKind] = frozenset({"goods_receipt"})
