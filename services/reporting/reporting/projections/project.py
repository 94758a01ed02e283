"""The batch handler of the projections consumer: every event type the indicators need.

A batch is applied with one statement per event type (`executemany`); every statement is an
idempotent upsert keyed by the ids in the events, so a redelivered or replayed event changes
nothing even without the inbox. Events that arrive late or out of order land where their business
time says: corrections kept apart from what they correct, the latest correction or day total
winning by its own time, histories kept whole and read as of a date.
"""

from collections.abc import Sequence

from buurtwerk_shared.contracts.events.courses import (
    ActivityChangedV1,
    ActivityPublishedV1,
    AttendanceRecordedV1,
    ComputerCornerVisitsRecordedV1,
    DeskContactsRecordedV1,
    EnrolmentChangedV1,
    SessionCancelledV1,
    SessionHeldV1,
    SessionScheduledV1,
    YouthReferralOutcomeRecordedV1,
    YouthReferralRecordedV1,
)
from buurtwerk_shared.contracts.events.meals import (
    HaccpCorrectiveActionRecordedV1,
    HaccpDeviationDetectedV1,
    KitchenRefurbishmentUpdatedV1,
    MealRegistrationCorrectedV1,
    MealServedV1,
    ServiceCancelledV1,
    ServiceChangedV1,
    ServiceClosedV1,
    ServicePlannedV1,
)
from buurtwerk_shared.contracts.events.operations import EventsVoidedV1
from buurtwerk_shared.contracts.events.reporting import ManualValueRecordedV1
from buurtwerk_shared.contracts.events.volunteers import (
    AppreciationRecordedV1,
    HoursCorrectedV1,
    MilestoneReachedV1,
    ShiftCompletedV1,
    VolunteerStatusChangedV1,
)
from buurtwerk_shared.db.pool import Connection
from buurtwerk_shared.messaging.consumer import BatchHandler, ReceivedEvent
from reporting.projections import courses, haccp, manual, meals, voids, volunteers
from reporting.projections.batch import Batch
from reporting.projections.marks import Marks

EVENT_TYPES: tuple[str, ...] = tuple(
    cls.event_type
    for cls in (
        ServicePlannedV1,
        ServiceChangedV1,
        ServiceCancelledV1,
        MealServedV1,
        MealRegistrationCorrectedV1,
        ServiceClosedV1,
        HaccpDeviationDetectedV1,
        HaccpCorrectiveActionRecordedV1,
        KitchenRefurbishmentUpdatedV1,
        VolunteerStatusChangedV1,
        ShiftCompletedV1,
        HoursCorrectedV1,
        MilestoneReachedV1,
        AppreciationRecordedV1,
        ActivityPublishedV1,
        ActivityChangedV1,
        SessionScheduledV1,
        SessionCancelledV1,
        SessionHeldV1,
        EnrolmentChangedV1,
        AttendanceRecordedV1,
        ComputerCornerVisitsRecordedV1,
        DeskContactsRecordedV1,
        YouthReferralRecordedV1,
        YouthReferralOutcomeRecordedV1,
        ManualValueRecordedV1,
        EventsVoidedV1,
    )
)

# Held shared by every live batch, exclusively by a rebuild while it swaps the tables in.
PROJECTION_LOCK = 7_000_001

_SHARED_LOCK = "SELECT pg_advisory_xact_lock_shared($1)"


async def apply(conn: Connection, events: Sequence[ReceivedEvent], marks: Marks | None) -> None:
    """Apply a batch of events to the projection tables the connection resolves to."""
    batch = Batch(events)
    for module in (meals, haccp, volunteers, courses, manual):
        await module.apply(conn, batch, marks)


def live_handler(debounce_seconds: float) -> BatchHandler:
    """The consumer's handler: record voids, apply the batch's events that are not voided, and
    mark the indicator tables it changed."""

    async def handle(conn: Connection, events: Sequence[ReceivedEvent]) -> None:
        await conn.execute(_SHARED_LOCK, PROJECTION_LOCK)
        marks = Marks()
        await apply(conn, await voids.without_voided(conn, events), marks)
        await marks.flush(conn, debounce_seconds)

    return handle
