"""Manual values, as recorded by analysts and read back from the archive on a rebuild."""

from uuid import UUID

from buurtwerk_shared.contracts.events.reporting import ManualValueRecordedV1
from buurtwerk_shared.db.pool import Connection
from reporting.indicators.periods import parse_period
from reporting.indicators.table import CITY
from reporting.projections.batch import Batch
from reporting.projections.marks import Marks

_INSERT = """
INSERT INTO manual_values (event_id, indicator_id, centre_id, period, period_first, value,
                           source_note, recorded_at, staff_id)
VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)
ON CONFLICT (event_id) DO NOTHING
"""


def row(envelope_id: object, value: ManualValueRecordedV1) -> tuple[object, ...]:
    """The `manual_values` row of a recorded manual value."""
    return (
        envelope_id,
        value.indicator_id,
        value.centre_id or CITY,
        value.period,
        parse_period(value.period).first,
        value.value,
        value.source_note,
        value.recorded_at,
        value.staff_id,
    )


async def insert(conn: Connection, event_id: UUID, value: ManualValueRecordedV1) -> None:
    """Keep one recorded manual value (its event id makes it idempotent)."""
    await conn.execute(_INSERT, *row(event_id, value))


def mark(marks: Marks, value: ManualValueRecordedV1) -> None:
    """A manual value holds from its period on: every later period may change."""
    marks.since((value.indicator_id,), parse_period(value.period).first)


async def apply(conn: Connection, batch: Batch, marks: Marks | None) -> None:
    """Apply the manual values of a batch (a value holds from its period on)."""
    values = batch.with_envelopes(ManualValueRecordedV1)
    if not values:
        return
    await conn.executemany(_INSERT, [row(envelope.id, value) for envelope, value in values])
    if marks is not None:
        for _, value in values:
            mark(marks, value)
