"""Events published by the reporting service (`/buurtwerk/reporting`)."""

from typing import Annotated, ClassVar
from uuid import UUID

from pydantic import AwareDatetime, Field

from buurtwerk_shared.contracts.events.base import EventData
from buurtwerk_shared.contracts.types import CentreId, KitchenId, LongText, StaffId

SOURCE = "/buurtwerk/reporting"

IndicatorId = Annotated[str, Field(pattern=r"^[a-z_]+\.[a-z_]+$", max_length=80)]
# ISO week `2026-W09`, month `2026-03`, quarter `2026-Q1` or year `2026`, in local time.
Period = Annotated[
    str, Field(pattern=r"^[0-9]{4}(-W(0[1-9]|[1-4][0-9]|5[0-3])|-(0[1-9]|1[0-2])|-Q[1-4])?$")
]
IndicatorValue = float | str | None


class _ReportingEvent(EventData):
    source: ClassVar[str] = SOURCE


class IndicatorUpdatedV1(_ReportingEvent):
    """A published indicator value or breakdown changed (value null when suppressed)."""

    event_type: ClassVar[str] = "reporting.indicator_updated.v1"
    subject_field: ClassVar[str | None] = "indicator_id"

    indicator_id: IndicatorId
    centre_id: CentreId | None = Field(description="null for the whole city")
    period: Period
    unit: str
    value: IndicatorValue
    suppressed: bool
    breakdown: dict[str, IndicatorValue] = Field(default_factory=dict)


class ManualValueRecordedV1(_ReportingEvent):
    """An analyst recorded a value for an indicator that no event measures."""

    event_type: ClassVar[str] = "reporting.manual_value_recorded.v1"
    subject_field: ClassVar[str | None] = "indicator_id"

    indicator_id: IndicatorId
    centre_id: CentreId | None = Field(description="null for the whole city")
    period: Period
    value: float | str
    source_note: LongText
    recorded_at: AwareDatetime
    staff_id: StaffId


class HaccpReminderDueV1(_ReportingEvent):
    """A HACCP check became due; names who is on kitchen duty when known."""

    event_type: ClassVar[str] = "reporting.haccp_reminder_due.v1"
    subject_field: ClassVar[str | None] = "reminder_id"

    reminder_id: UUID
    check_id: UUID
    kitchen_id: KitchenId
    centre_id: CentreId
    due_at: AwareDatetime
    on_duty_volunteer_ids: list[UUID] = Field(default_factory=list)


class HaccpCheckOverdueV1(_ReportingEvent):
    """A required HACCP check was not recorded within its grace time."""

    event_type: ClassVar[str] = "reporting.haccp_check_overdue.v1"
    subject_field: ClassVar[str | None] = "reminder_id"

    reminder_id: UUID
    check_id: UUID
    kitchen_id: KitchenId
    centre_id: CentreId
    due_at: AwareDatetime
    overdue_since: AwareDatetime
