"""Request and response bodies of the HACCP HTTP API."""

import datetime as dt
from typing import Annotated, Literal
from uuid import UUID

from pydantic import AfterValidator, BaseModel, ConfigDict, Field

from buurtwerk_shared.contracts.events.haccp import (
    CalibrationLimits,
    ChecklistLimits,
    HaccpCheckKind,
    HaccpLevel,
    Limits,
    PerServiceSchedule,
    Schedule,
    TimedLimits,
    TimesOfDaySchedule,
)
from buurtwerk_shared.contracts.types import LongText, ShortText
from buurtwerk_shared.web.fields import Instant

EquipmentKind = Literal["fridge", "freezer", "hot_holding", "thermometer", "blast_chiller", "other"]
# Plausible temperatures in a kitchen; anything outside is a typing error, not a reading.
Reading = Annotated[float, Field(ge=-80, le=300)]
Offset = Annotated[float, Field(ge=-10, le=10)]
Outcome = Literal["ok", "deviation"]


MAX_UNIT_LENGTH = 10
MAX_CALIBRATION_POINTS = 10
MAX_CHECKLIST_ITEMS = 100
MAX_TIMES_A_DAY = 48
# A timed process and a check around a meal service both play out within a day.
MAX_MINUTES = 1440


def _within_a_logs_bounds(limits: Limits) -> Limits:
    # The event contract leaves these open; a definition sent over HTTP keeps to a kitchen's log.
    if len(getattr(limits, "unit", "")) > MAX_UNIT_LENGTH:
        raise ValueError(f"unit: at most {MAX_UNIT_LENGTH} characters")
    if isinstance(limits, CalibrationLimits) and len(limits.points) > MAX_CALIBRATION_POINTS:
        raise ValueError(f"points: at most {MAX_CALIBRATION_POINTS}")
    if isinstance(limits, ChecklistLimits) and len(limits.items) > MAX_CHECKLIST_ITEMS:
        raise ValueError(f"items: at most {MAX_CHECKLIST_ITEMS}")
    if isinstance(limits, TimedLimits) and limits.within_minutes > MAX_MINUTES:
        raise ValueError(f"within_minutes: at most {MAX_MINUTES}")
    return limits


def _within_a_days_bounds(schedule: Schedule) -> Schedule:
    if isinstance(schedule, TimesOfDaySchedule):
        if len(schedule.times) > MAX_TIMES_A_DAY:
            raise ValueError(f"times: at most {MAX_TIMES_A_DAY}")
        if len(schedule.weekdays) > len(set(schedule.weekdays)):
            raise ValueError("weekdays: each day once")
    if isinstance(schedule, PerServiceSchedule) and abs(schedule.offset_minutes) > MAX_MINUTES:
        raise ValueError(f"offset_minutes: between -{MAX_MINUTES} and {MAX_MINUTES}")
    return schedule


# What a check definition may say over HTTP: the contract's shapes, within a log's bounds.
DefinedLimits = Annotated[Limits, AfterValidator(_within_a_logs_bounds)]
DefinedSchedule = Annotated[Schedule, AfterValidator(_within_a_days_bounds)]


class _Request(BaseModel):
    model_config = ConfigDict(extra="forbid")


class AddEquipment(_Request):
    """A fridge, freezer, hot-holding unit, thermometer, ... of the kitchen."""

    model_config = ConfigDict(
        json_schema_extra={"examples": [{"kind": "fridge", "label": "Koelkast 1 (groenten)"}]}
    )

    kind: EquipmentKind
    label: ShortText
    calibration_offset: Offset = Field(
        default=0, description="Thermometers: added to every raw reading (°C)."
    )


class UpdateEquipment(_Request):
    """Change a piece of equipment; only the fields given change."""

    label: ShortText | None = None
    calibration_offset: Offset | None = None
    active: bool | None = None


class EquipmentView(BaseModel):
    """A piece of equipment of a kitchen."""

    equipment_id: UUID
    kitchen_id: str
    centre_id: str
    kind: str
    label: str
    calibration_offset: float
    active: bool


class DefineCheck(_Request):
    """A check the kitchen keeps; limits default to the catalogue's for its kind."""

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "kind": "fridge",
                    "label": "Koelkast 1: temperatuur",
                    "schedule": {"type": "times_of_day", "times": ["08:00", "15:00"]},
                    "grace_minutes": 30,
                    "level": "required",
                }
            ]
        }
    )

    kind: HaccpCheckKind
    label: ShortText
    schedule: DefinedSchedule
    limits: DefinedLimits | None = Field(
        default=None, description="Critical limits; left out: the catalogue default for the kind."
    )
    grace_minutes: Annotated[int, Field(ge=0, le=1440)] = 30
    level: HaccpLevel = "required"
    equipment_id: UUID | None = None


class ReviseCheck(_Request):
    """A new version of a check, in force from now; earlier records keep their version."""

    label: ShortText
    schedule: DefinedSchedule
    limits: DefinedLimits | None = None
    grace_minutes: Annotated[int, Field(ge=0, le=1440)] = 30
    level: HaccpLevel = "required"
    equipment_id: UUID | None = None
    active: bool = True


class CheckView(BaseModel):
    """One version of a check definition."""

    check_id: UUID
    kitchen_id: str
    centre_id: str
    kind: str
    version: int
    effective_from: dt.datetime
    label: str
    schedule: Schedule
    limits: Limits | None
    grace_minutes: int
    level: str
    active: bool
    equipment_id: UUID | None


class CheckHistory(BaseModel):
    """A check: its current version and every version before it."""

    current: CheckView
    versions: list[CheckView]


class CalibrationReading(_Request):
    """What the thermometer showed at a reference point (ice water 0, boiling water 100)."""

    point: float
    value: Reading


class RecordCheck(_Request):
    """A check done now (or up to a day ago): a value, checklist items, readings, or done."""

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {"value": 4.5, "unit": "°C", "due_at": "2026-03-12T08:00:00+01:00"},
                {"items": {"Werkbanken": True, "Vloer": True}},
            ]
        }
    )

    value: Reading | None = Field(default=None, description="The raw reading.")
    unit: str | None = Field(default=None, max_length=10)
    thermometer_id: UUID | None = Field(
        default=None, description="The thermometer used: its calibration offset is applied."
    )
    items: dict[Annotated[str, Field(max_length=200)], bool] | None = Field(
        default=None, description="Checklist: every item of the check, done or not."
    )
    readings: list[CalibrationReading] | None = Field(default=None, max_length=10)
    done: bool | None = Field(default=None, description="Checks without limits: done or not.")
    due_at: Instant | None = Field(
        default=None, description="The scheduled occurrence this record answers (from /due)."
    )
    taken_at: Instant | None = Field(default=None, description="Default: now.")


class CorrectiveActionView(BaseModel):
    """What was done about a deviation, by whom (staff id), when."""

    action_id: UUID
    record_id: UUID
    action: str
    taken_at: dt.datetime
    staff_id: str


class RecordView(BaseModel):
    """A recorded check with the outcome the service decided."""

    record_id: UUID
    check_id: UUID
    kitchen_id: str
    centre_id: str
    kind: str
    label: str
    limits_version: int
    limits: Limits | None
    due_at: dt.datetime | None
    recorded_at: dt.datetime
    value: float | None
    raw_value: float | None
    unit: str | None
    thermometer_id: UUID | None
    calibration_offset: float | None
    details: dict[str, object] | None
    outcome: Outcome
    staff_id: str
    corrective_actions: list[CorrectiveActionView] = Field(default_factory=list)
    open: bool = Field(description="A deviation without a corrective action yet.")


class RecordCorrectiveAction(_Request):
    """What was done about a deviation (discarded, moved to another fridge, repaired, ...)."""

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [{"action": "Producten naar koelkast 2 verplaatst, technieker gebeld."}]
        }
    )

    action: LongText
    taken_at: Instant | None = Field(default=None, description="Default: now.")


class StartProcess(_Request):
    """Cooling or reheating of a batch starts (or started, up to a day ago)."""

    model_config = ConfigDict(
        json_schema_extra={"examples": [{"product": "Kippensoep (20 l)", "start_value": 68.5}]}
    )

    product: ShortText
    start_value: Reading
    thermometer_id: UUID | None = None
    started_at: Instant | None = Field(default=None, description="Default: now.")


class ProcessReading(_Request):
    """A reading during a cooling or reheating process."""

    value: Reading
    thermometer_id: UUID | None = None
    taken_at: Instant | None = Field(default=None, description="Default: now.")


class ProcessReadingView(BaseModel):
    """One reading of a process."""

    taken_at: dt.datetime
    value: float
    raw_value: float
    staff_id: str


ProcessStatus = Literal["running", "overdue", "completed", "failed"]


class ProcessView(BaseModel):
    """A cooling or reheating process and how it stands."""

    process_id: UUID
    check_id: UUID
    kitchen_id: str
    centre_id: str
    kind: str
    label: str
    product: str
    limits: Limits | None
    started_at: dt.datetime
    start_value: float
    raw_start_value: float
    deadline_at: dt.datetime
    status: ProcessStatus
    readings: list[ProcessReadingView]
    record_id: UUID | None


class RecordDelivery(_Request):
    """A delivery received: supplier, product, lot or best-before, temperature if chilled."""

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "supplier": "Slagerij Vandenberghe",
                    "product": "Kippenfilet 5 kg",
                    "lot": "L2403-17",
                    "best_before": "2026-03-16",
                    "check_id": "8a0c6b5e-0d0e-4c3a-9a57-5f7c3f1f0c11",
                    "temperature": 3.2,
                }
            ]
        }
    )

    supplier: ShortText
    product: ShortText
    lot: ShortText | None = None
    best_before: dt.date | None = None
    check_id: UUID | None = Field(
        default=None, description="The goods-receipt check whose limits judge the temperature."
    )
    temperature: Reading | None = None
    thermometer_id: UUID | None = None
    received_at: Instant | None = Field(default=None, description="Default: now.")


class DeliveryView(BaseModel):
    """A delivery and, for chilled goods, the outcome of its temperature check."""

    delivery_id: UUID
    kitchen_id: str
    centre_id: str
    supplier: str
    product: str
    lot: str | None
    best_before: dt.date | None
    received_at: dt.datetime
    received_by: str
    record_id: UUID | None
    temperature: float | None
    outcome: Outcome | None


class LinkLots(_Request):
    """Deliveries (lots) used in a meal service."""

    delivery_ids: list[UUID] = Field(min_length=1, max_length=100)


class ServiceLots(BaseModel):
    """The lots that went into one meal service."""

    service_id: UUID
    deliveries: list[DeliveryView]


class RecalledService(BaseModel):
    """A meal service that used a recalled lot."""

    service_id: UUID
    kitchen_id: str
    centre_id: str
    date: dt.date
    starts_at: dt.datetime
    status: str
    delivery_id: UUID


class Recall(BaseModel):
    """One step back (the deliveries of the lot) and one step forward (the services)."""

    supplier: str
    lot: str
    deliveries: list[DeliveryView]
    services: list[RecalledService]


RefurbishmentStatus = Literal["planned", "in_progress", "done"]


class UpdateRefurbishment(_Request):
    """A refurbishment milestone of the kitchen and where it stands."""

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {"milestone": "Nieuwe koelcel", "status": "in_progress", "date": "2026-04-01"}
            ]
        }
    )

    milestone: ShortText
    status: RefurbishmentStatus
    date: dt.date


class RefurbishmentView(BaseModel):
    """A refurbishment milestone."""

    kitchen_id: str
    centre_id: str
    milestone: str
    status: RefurbishmentStatus
    date: dt.date
    updated_at: dt.datetime


DueStatus = Literal["upcoming", "due", "overdue", "done"]
DueInput = Literal["value", "checklist", "calibration", "done", "process", "delivery"]


class DueCheck(BaseModel):
    """A scheduled occurrence of a check today, with what the tablet needs to record it."""

    check_id: UUID
    label: str
    kind: str
    level: str
    due_at: dt.datetime
    grace_until: dt.datetime
    status: DueStatus
    input: DueInput
    limits: Limits | None
    equipment_id: UUID | None
    equipment_label: str | None
    record_id: UUID | None


class DueProcess(BaseModel):
    """A running (or overdue) cooling or reheating process."""

    process_id: UUID
    check_id: UUID
    label: str
    kind: str
    product: str
    deadline_at: dt.datetime
    status: ProcessStatus


class DueList(BaseModel):
    """What a kitchen has to record now: overdue first, then due, then coming up."""

    kitchen_id: str
    at: dt.datetime
    checks: list[DueCheck]
    processes: list[DueProcess]
    open_deviations: int


class DefaultLimits(BaseModel):
    """The catalogue's default critical limit of a kind of check."""

    kind: HaccpCheckKind
    limits: Limits | None
    note_nl: str
    note_en: str
