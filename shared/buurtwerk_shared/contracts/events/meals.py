"""Events published by the meals service (`/buurtwerk/meals`)."""

from typing import ClassVar, Literal
from uuid import UUID

from pydantic import BaseModel, ConfigDict, Field

from buurtwerk_shared.contracts.events.base import EventData
from buurtwerk_shared.contracts.events.haccp import HaccpCheckKind, HaccpLevel, Limits, Schedule
from buurtwerk_shared.contracts.types import (
    Allergen,
    CentreId,
    EventDate,
    EventInstant,
    KitchenId,
    LongText,
    MealCount,
    MealCountOrZero,
    Minutes,
    PriceCents,
    Pseudonym,
    Reading,
    Seats,
    ShortText,
    StaffId,
    Tariff,
    Total,
    Unit,
    Version,
)

SOURCE = "/buurtwerk/meals"


class Dish(BaseModel):
    """A dish on the menu with its EU-14 allergens."""

    model_config = ConfigDict(frozen=True)

    name: ShortText
    allergens: list[Allergen] = Field(default_factory=list, max_length=14)


class _MealsEvent(EventData):
    source: ClassVar[str] = SOURCE


class ServicePlannedV1(_MealsEvent):
    """A meal service was planned."""

    event_type: ClassVar[str] = "meals.service_planned.v1"
    subject_field: ClassVar[str | None] = "service_id"

    service_id: UUID
    centre_id: CentreId
    kitchen_id: KitchenId
    date: EventDate
    starts_at: EventInstant
    capacity: Seats
    prices: dict[Tariff, PriceCents] = Field(description="Tariff to price in euro cents.")
    dishes: list[Dish] = Field(max_length=20)
    reservations: bool = Field(
        default=False, description="Whether seats can be reserved for this service."
    )


class ServiceChangedV1(_MealsEvent):
    """A planned service changed; only the changed fields are present."""

    event_type: ClassVar[str] = "meals.service_changed.v1"
    subject_field: ClassVar[str | None] = "service_id"

    service_id: UUID
    centre_id: CentreId
    date: EventDate
    changed_at: EventInstant
    starts_at: EventInstant | None = None
    capacity: Seats | None = None
    prices: dict[Tariff, PriceCents] | None = None
    dishes: list[Dish] | None = Field(default=None, max_length=20)
    reservations: bool | None = None


class ServiceCancelledV1(_MealsEvent):
    """A planned service was cancelled."""

    event_type: ClassVar[str] = "meals.service_cancelled.v1"
    subject_field: ClassVar[str | None] = "service_id"

    service_id: UUID
    centre_id: CentreId
    date: EventDate
    reason: LongText


class MealServedV1(_MealsEvent):
    """Meals were served (registered at the till) for one tariff."""

    event_type: ClassVar[str] = "meals.meal_served.v1"
    subject_field: ClassVar[str | None] = "registration_id"

    registration_id: UUID
    service_id: UUID
    centre_id: CentreId
    date: EventDate
    tariff: Tariff
    count: MealCount
    takeaway: bool
    diner_key: Pseudonym | None = None


class MealRegistrationCorrectedV1(_MealsEvent):
    """A registration's count was corrected (0 withdraws it)."""

    event_type: ClassVar[str] = "meals.meal_registration_corrected.v1"
    subject_field: ClassVar[str | None] = "registration_id"

    registration_id: UUID
    service_id: UUID
    centre_id: CentreId
    date: EventDate
    count: MealCountOrZero
    corrected_at: EventInstant
    reason: LongText


class ServiceClosedV1(_MealsEvent):
    """A service was closed with its totals."""

    event_type: ClassVar[str] = "meals.service_closed.v1"
    subject_field: ClassVar[str | None] = "service_id"

    service_id: UUID
    centre_id: CentreId
    date: EventDate
    served_total: Total
    reserved_total: Total
    no_shows: Total


class ReservationMadeV1(_MealsEvent):
    """Seats were reserved for a service, for a pseudonymous diner or anonymously."""

    event_type: ClassVar[str] = "meals.reservation_made.v1"
    subject_field: ClassVar[str | None] = "reservation_id"

    reservation_id: UUID
    service_id: UUID
    centre_id: CentreId
    date: EventDate
    seats: MealCount
    diner_key: Pseudonym | None = None
    made_at: EventInstant


class ReservationCancelledV1(_MealsEvent):
    """A reservation was cancelled before the service; its seats are free again."""

    event_type: ClassVar[str] = "meals.reservation_cancelled.v1"
    subject_field: ClassVar[str | None] = "reservation_id"

    reservation_id: UUID
    service_id: UUID
    centre_id: CentreId
    date: EventDate
    seats: MealCount
    cancelled_at: EventInstant


class HaccpCheckDefinedV1(_MealsEvent):
    """A HACCP check definition was created or got a new version."""

    event_type: ClassVar[str] = "meals.haccp_check_defined.v1"
    subject_field: ClassVar[str | None] = "check_id"

    check_id: UUID
    version: Version
    effective_from: EventInstant
    kitchen_id: KitchenId
    centre_id: CentreId
    kind: HaccpCheckKind
    label: ShortText
    schedule: Schedule
    grace_minutes: Minutes
    limits: Limits | None = None
    level: HaccpLevel
    active: bool


class HaccpCheckRecordedV1(_MealsEvent):
    """A HACCP check was recorded; the outcome was decided by the service against the limits."""

    event_type: ClassVar[str] = "meals.haccp_check_recorded.v1"
    subject_field: ClassVar[str | None] = "record_id"

    record_id: UUID
    check_id: UUID
    limits_version: Version
    kitchen_id: KitchenId
    centre_id: CentreId
    kind: HaccpCheckKind
    due_at: EventInstant | None = None
    recorded_at: EventInstant
    value: Reading | None = None
    raw_value: Reading | None = None
    unit: Unit | None = None
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
    started_at: EventInstant
    start_value: Reading
    deadline_at: EventInstant


class HaccpDeviationDetectedV1(_MealsEvent):
    """A recorded check deviated from its critical limits."""

    event_type: ClassVar[str] = "meals.haccp_deviation_detected.v1"
    subject_field: ClassVar[str | None] = "record_id"

    record_id: UUID
    check_id: UUID
    kitchen_id: KitchenId
    centre_id: CentreId
    kind: HaccpCheckKind
    value: Reading | None = None
    limits: Limits | None = None
    recorded_at: EventInstant


class HaccpCorrectiveActionRecordedV1(_MealsEvent):
    """A corrective action was recorded for a deviation."""

    event_type: ClassVar[str] = "meals.haccp_corrective_action_recorded.v1"
    subject_field: ClassVar[str | None] = "record_id"

    record_id: UUID
    check_id: UUID
    kitchen_id: KitchenId
    centre_id: CentreId
    action: LongText
    recorded_at: EventInstant
    staff_id: StaffId


class KitchenRefurbishmentUpdatedV1(_MealsEvent):
    """A refurbishment milestone of a kitchen changed status."""

    event_type: ClassVar[str] = "meals.kitchen_refurbishment_updated.v1"
    subject_field: ClassVar[str | None] = "kitchen_id"

    kitchen_id: KitchenId
    centre_id: CentreId
    milestone: ShortText
    status: Literal["planned", "in_progress", "done"]
    date: EventDate
