"""Events published by the meals service (`/buurtwerk/meals`)."""

from datetime import date
from typing import ClassVar, Literal
from uuid import UUID

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field, NonNegativeInt, PositiveInt

from buurtwerk_shared.contracts.events.base import EventData
from buurtwerk_shared.contracts.events.haccp import HaccpCheckKind, HaccpLevel, Limits, Schedule
from buurtwerk_shared.contracts.types import (
    Allergen,
    CentreId,
    KitchenId,
    LongText,
    Pseudonym,
    ShortText,
    StaffId,
    Tariff,
)

SOURCE = "/buurtwerk/meals"


class Dish(BaseModel):
    """A dish on the menu with its EU-14 allergens."""

    model_config = ConfigDict(frozen=True)

    name: ShortText
    allergens: list[Allergen] = Field(default_factory=list)


class _MealsEvent(EventData):
    source: ClassVar[str] = SOURCE


class ServicePlannedV1(_MealsEvent):
    """A meal service was planned."""

    event_type: ClassVar[str] = "meals.service_planned.v1"
    subject_field: ClassVar[str | None] = "service_id"

    service_id: UUID
    centre_id: CentreId
    kitchen_id: KitchenId
    date: date
    starts_at: AwareDatetime
    capacity: PositiveInt
    prices: dict[Tariff, NonNegativeInt] = Field(description="Tariff to price in euro cents.")
    dishes: list[Dish]
    reservations: bool = Field(
        default=False, description="Whether seats can be reserved for this service."
    )


class ServiceChangedV1(_MealsEvent):
    """A planned service changed; only the changed fields are present."""

    event_type: ClassVar[str] = "meals.service_changed.v1"
    subject_field: ClassVar[str | None] = "service_id"

    service_id: UUID
    centre_id: CentreId
    date: date
    changed_at: AwareDatetime
    starts_at: AwareDatetime | None = None
    capacity: PositiveInt | None = None
    prices: dict[Tariff, NonNegativeInt] | None = None
    dishes: list[Dish] | None = None
    reservations: bool | None = None


class ServiceCancelledV1(_MealsEvent):
    """A planned service was cancelled."""

    event_type: ClassVar[str] = "meals.service_cancelled.v1"
    subject_field: ClassVar[str | None] = "service_id"

    service_id: UUID
    centre_id: CentreId
    date: date
    reason: LongText


class MealServedV1(_MealsEvent):
    """Meals were served (registered at the till) for one tariff."""

    event_type: ClassVar[str] = "meals.meal_served.v1"
    subject_field: ClassVar[str | None] = "registration_id"

    registration_id: UUID
    service_id: UUID
    centre_id: CentreId
    date: date
    tariff: Tariff
    count: PositiveInt
    takeaway: bool
    diner_key: Pseudonym | None = None


class MealRegistrationCorrectedV1(_MealsEvent):
    """A registration's count was corrected (0 withdraws it)."""

    event_type: ClassVar[str] = "meals.meal_registration_corrected.v1"
    subject_field: ClassVar[str | None] = "registration_id"

    registration_id: UUID
    service_id: UUID
    centre_id: CentreId
    date: date
    count: NonNegativeInt
    corrected_at: AwareDatetime
    reason: LongText


class ServiceClosedV1(_MealsEvent):
    """A service was closed with its totals."""

    event_type: ClassVar[str] = "meals.service_closed.v1"
    subject_field: ClassVar[str | None] = "service_id"

    service_id: UUID
    centre_id: CentreId
    date: date
    served_total: NonNegativeInt
    reserved_total: NonNegativeInt
    no_shows: NonNegativeInt


class ReservationMadeV1(_MealsEvent):
    """Seats were reserved for a service, for a pseudonymous diner or anonymously."""

    event_type: ClassVar[str] = "meals.reservation_made.v1"
    subject_field: ClassVar[str | None] = "reservation_id"

    reservation_id: UUID
    service_id: UUID
    centre_id: CentreId
    date: date
    seats: PositiveInt
    diner_key: Pseudonym | None = None
    made_at: AwareDatetime


class ReservationCancelledV1(_MealsEvent):
    """A reservation was cancelled before the service; its seats are free again."""

    event_type: ClassVar[str] = "meals.reservation_cancelled.v1"
    subject_field: ClassVar[str | None] = "reservation_id"

    reservation_id: UUID
    service_id: UUID
    centre_id: CentreId
    date: date
    seats: PositiveInt
    cancelled_at: AwareDatetime


class HaccpCheckDefinedV1(_MealsEvent):
    """A HACCP check definition was created or got a new version."""

    event_type: ClassVar[str] = "meals.haccp_check_defined.v1"
    subject_field: ClassVar[str | None] = "check_id"

    check_id: UUID
    version: PositiveInt
    effective_from: AwareDatetime
    kitchen_id: KitchenId
    centre_id: CentreId
    kind: HaccpCheckKind
    label: ShortText
    schedule: Schedule
    grace_minutes: NonNegativeInt
    limits: Limits | None = None
    level: HaccpLevel
    active: bool


class HaccpCheckRecordedV1(_MealsEvent):
    """A HACCP check was recorded; the outcome was decided by the service against the limits."""

    event_type: ClassVar[str] = "meals.haccp_check_recorded.v1"
    subject_field: ClassVar[str | None] = "record_id"

    record_id: UUID
    check_id: UUID
    limits_version: PositiveInt
    kitchen_id: KitchenId
    centre_id: CentreId
    kind: HaccpCheckKind
    due_at: AwareDatetime | None = None
    recorded_at: AwareDatetime
    value: float | None = None
    raw_value: float | None = None
    unit: str | None = None
    outcome: Literal["ok", "deviation"]
    staff_id: StaffId


class HaccpProcessStartedV1(_MealsEvent):
    """A timed process (cooling, reheating) started."""

    event_type: ClassVar[str] = "meals.haccp_process_started.v1"
    subject_field: ClassVar[str | None] = "process_id"

    process_id: UUID
    check_id: UUID
    kitchen_id: KitchenId
    centre_id: CentreId
    kind: Literal["cooling", "reheating"]
    started_at: AwareDatetime
    start_value: float
    deadline_at: AwareDatetime


class HaccpDeviationDetectedV1(_MealsEvent):
    """A recorded check deviated from its critical limits."""

    event_type: ClassVar[str] = "meals.haccp_deviation_detected.v1"
    subject_field: ClassVar[str | None] = "record_id"

    record_id: UUID
    check_id: UUID
    kitchen_id: KitchenId
    centre_id: CentreId
    kind: HaccpCheckKind
    value: float | None = None
    limits: Limits | None = None
    recorded_at: AwareDatetime


class HaccpCorrectiveActionRecordedV1(_MealsEvent):
    """A corrective action was recorded for a deviation."""

    event_type: ClassVar[str] = "meals.haccp_corrective_action_recorded.v1"
    subject_field: ClassVar[str | None] = "record_id"

    record_id: UUID
    check_id: UUID
    kitchen_id: KitchenId
    centre_id: CentreId
    action: LongText
    recorded_at: AwareDatetime
    staff_id: StaffId


class KitchenRefurbishmentUpdatedV1(_MealsEvent):
    """A refurbishment milestone of a kitchen changed status."""

    event_type: ClassVar[str] = "meals.kitchen_refurbishment_updated.v1"
    subject_field: ClassVar[str | None] = "kitchen_id"

    kitchen_id: KitchenId
    centre_id: CentreId
    milestone: ShortText
    status: Literal["planned", "in_progress", "done"]
    date: date
