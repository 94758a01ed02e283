"""Events published by the reporting service (`/buurtwerk/reporting`)."""

from typing import Annotated, ClassVar
from uuid import UUID

from pydantic import Field

from buurtwerk_shared.contracts.events.base import EventData
from buurtwerk_shared.contracts.types import (
    CentreId,
    EventInstant,
    KitchenId,
    LongText,
    StaffId,
)

SOURCE = "/buurtwerk/reporting"

IndicatorId = Annotated[str, Field(pattern=r"^[a-z_]+\.[a-z_]+$", max_length=80)]
# ISO week `2026-W09`, month `2026-03`, quarter `2026-Q1` or year `2026`, in local time.
Period = Annotated[
    str,
    Field(
        max_length=8, pattern=r"^[0-9]{4}(-W(0[1-9]|[1-4][0-9]|5[0-3])|-(0[1-9]|1[0-2])|-Q[1-4])?$"
    ),
]
# A figure (finite) or a text value (a status, a manually recorded note).
Figure = Annotated[float, Field(ge=-1e12, le=1e12, allow_inf_nan=False)]
TextValue = Annotated[str, Field(max_length=200)]
IndicatorValue = Figure | TextValue | None


class _ReportingEvent(EventData):
    source: ClassVar[str] = SOURCE


class IndicatorUpdatedV1(_ReportingEvent):
    """A published indicator value or breakdown changed (value null when suppressed)."""

    event_type: ClassVar[str] = "reporting.indicator_updated.v1"
    subject_field: ClassVar[str | None] = "indicator_id"

    indicator_id: IndicatorId
    centre_id: CentreId | None = Field(description="null for the whole city")
    period: Period
    unit: Annotated[str, Field(min_length=1, max_length=40)]
    value: IndicatorValue
    suppressed: bool
    breakdown: dict[Annotated[str, Field(max_length=80)], IndicatorValue] = Field(
        default_factory=dict, max_length=500
    )


class ManualValueRecordedV1(_ReportingEvent):
    """An analyst recorded a value for an indicator that no event measures."""

    event_type: ClassVar[str] = "reporting.manual_value_recorded.v1"
    subject_field: ClassVar[str | None] = "indicator_id"

    indicator_id: IndicatorId
    centre_id: CentreId | None = Field(description="null for the whole city")
    period: Period
    value: Figure | TextValue
    source_note: LongText
    recorded_at: EventInstant
    staff_id: StaffId


class HaccpReminderDueV1(_ReportingEvent):
    """A HACCP check became due; names who is on kitchen duty when known."""

    event_type: ClassVar[str] = "reporting.haccp_reminder_due.v1"
    subject_field: ClassVar[str | None] = "reminder_id"

    reminder_id: UUID
    check_id: UUID
    kitchen_id: KitchenId
    centre_id: CentreId
    due_at: EventInstant
    on_duty_volunteer_ids: list[UUID] = Field(default_factory=list, max_length=100)


class HaccpCheckOverdueV1(_ReportingEvent):
    """A required HACCP check was not recorded within its grace time."""

    event_type: ClassVar[str] = "reporting.haccp_check_overdue.v1"
    subject_field: ClassVar[str | None] = "reminder_id"

    reminder_id: UUID
    check_id: UUID
    kitchen_id: KitchenId
    centre_id: CentreId
    due_at: EventInstant
    overdue_since: EventInstant
