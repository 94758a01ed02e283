"""Projection of the HACCP events the indicators need: deviations, corrective actions and the
kitchen refurbishment milestones (the reminders keep their own state in `reporting.reminders`)."""

from buurtwerk_shared.contracts.events.meals import (
    HaccpCorrectiveActionRecordedV1,
    HaccpDeviationDetectedV1,
    KitchenRefurbishmentUpdatedV1,
)
from buurtwerk_shared.db.pool import Connection
from reporting.indicators.periods import local_date
from reporting.projections.batch import Batch
from reporting.projections.marks import Marks

_DEVIATION = """
INSERT INTO haccp_deviations (record_id, check_id, kitchen_id, centre_id, kind, recorded_at, date)
VALUES ($1, $2, $3, $4, $5, $6, $7)
ON CONFLICT (record_id) DO NOTHING
"""
_ACTION = """
INSERT INTO haccp_corrective_actions (record_id, recorded_at) VALUES ($1, $2)
ON CONFLICT DO NOTHING
"""
_DEVIATION_DATES = "SELECT DISTINCT date FROM haccp_deviations WHERE record_id = ANY($1::uuid[])"
_REFURBISHMENT = """
INSERT INTO kitchen_refurbishment (kitchen_id, centre_id, milestone, date, status)
VALUES ($1, $2, $3, $4, $5)
ON CONFLICT DO NOTHING
"""


async def apply(conn: Connection, batch: Batch, marks: Marks | None) -> None:
    """Apply the HACCP events of a batch, one statement per event type."""
    deviations = batch.of(HaccpDeviationDetectedV1)
    actions = batch.of(HaccpCorrectiveActionRecordedV1)
    refurbishments = batch.of(KitchenRefurbishmentUpdatedV1)
    if deviations:
        await conn.executemany(
            _DEVIATION,
            [
                (
                    d.record_id,
                    d.check_id,
                    d.kitchen_id,
                    d.centre_id,
                    d.kind,
                    d.recorded_at,
                    local_date(d.recorded_at),
                )
                for d in deviations
            ],
        )
    if actions:
        await conn.executemany(_ACTION, [(a.record_id, a.recorded_at) for a in actions])
    if refurbishments:
        await conn.executemany(
            _REFURBISHMENT,
            [(r.kitchen_id, r.centre_id, r.milestone, r.date, r.status) for r in refurbishments],
        )
    if marks is None:
        return
    marks.dates(
        ("haccp.deviations", "haccp.corrective_action_ratio"),
        {local_date(d.recorded_at) for d in deviations},
    )
    if actions:
        rows = await conn.fetch(_DEVIATION_DATES, list({a.record_id for a in actions}))
        marks.dates(("haccp.corrective_action_ratio",), {row["date"] for row in rows})
    if refurbishments:
        # The state at the end of every later period changes too.
        marks.since(("haccp.refurbishment_done",), min(r.date for r in refurbishments))
