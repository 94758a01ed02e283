"""Reporting follows the courses' planning changes: a published activity's new target groups and
partner, and a corrected attendance (an entry published again replaces the first one; a no-show
and an anonymous entry withdrawn are not counted as attendance)."""

import datetime as dt
from uuid import UUID, uuid4

import asyncpg

from buurtwerk_shared.contracts.events import EventData
from buurtwerk_shared.contracts.events.courses import (
    ActivityChangedV1,
    ActivityPublishedV1,
    AttendanceRecordedV1,
)
from buurtwerk_shared.messaging.consumer import ReceivedEvent
from buurtwerk_shared.messaging.outbox import envelope_for
from reporting.indicators.offer import conversation_group_participants
from reporting.indicators.periods import parse_period
from reporting.projections.marks import Marks
from reporting.projections.project import apply
from reporting.service import definition
from tests.support.databases import DatabaseFactory

CENTRE = "mannenstraat"
DAY = dt.date(2026, 11, 24)
PUBLISHED = dt.datetime(2026, 11, 2, 9, tzinfo=dt.UTC)


def received(event: EventData, minute: int) -> ReceivedEvent:
    """The event as published at 10:<minute> on DAY (publication time orders replacements)."""
    envelope = envelope_for(event).model_copy(
        update={"time": dt.datetime(2026, 11, 24, 10, minute, tzinfo=dt.UTC)}
    )
    return ReceivedEvent(envelope, event)


async def test_a_correction_replaces_the_attendance_it_corrects(
    databases: DatabaseFactory,
) -> None:
    conn = await asyncpg.connect(await databases.create(definition().migrations))
    try:
        activity, session = uuid4(), uuid4()
        lesson = ActivityPublishedV1(
            activity_id=activity,
            centre_id=CENTRE,
            kind="language_lesson",
            title="Nederlands 1",
            target_groups=["newcomers"],
            capacity=2,
            mode="enrolment",
            published_at=PUBLISHED,
        )
        anna, bert = uuid4(), uuid4()

        def attendance(
            attendance_id: UUID, key: str, present: bool, no_show: bool = False
        ) -> AttendanceRecordedV1:
            return AttendanceRecordedV1(
                attendance_id=attendance_id,
                session_id=session,
                activity_id=activity,
                centre_id=CENTRE,
                date=DAY,
                participant_key=key,
                present=present,
                no_show=no_show,
            )

        first = [attendance(anna, "key-anna", True), attendance(bert, "key-bert", True)]
        correction = attendance(bert, "key-bert", False, no_show=True)
        changed = ActivityChangedV1(
            activity_id=activity,
            centre_id=CENTRE,
            kind="language_lesson",
            title="Nederlands 1 (avond)",
            partner="diversiteitsdienst",
            target_groups=["newcomers", "low_income"],
            capacity=3,
            mode="enrolment",
            changed_fields=["capacity", "partner", "target_groups", "title"],
            changed_at=dt.datetime(2026, 11, 20, 9, tzinfo=dt.UTC),
        )
        # The correction and the change arrive before what they correct: the order of arrival
        # does not matter, the publication time does.
        for batch in ([correction, changed], [lesson, *first]):
            async with conn.transaction():
                await apply(
                    conn,
                    [received(e, 30 if e is correction else 0) for e in batch],
                    Marks(),
                )
        table = await conversation_group_participants(conn, parse_period("2026-11"), (CENTRE,))
        assert (table[CENTRE].value, table[CENTRE].breakdown["attendances"]) == (1, 1)
        row = await conn.fetchrow(
            "SELECT partner, target_groups FROM activities WHERE activity_id = $1", activity
        )
        assert row is not None
        assert (row["partner"], list(row["target_groups"])) == (
            "diversiteitsdienst",
            ["newcomers", "low_income"],
        )
    finally:
        await conn.close()
