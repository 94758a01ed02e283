"""Projection of the meals events that the meal indicators are computed from."""

from collections.abc import Sequence

from buurtwerk_shared.contracts.events.meals import MealRegistrationCorrectedV1, MealServedV1
from buurtwerk_shared.db.pool import Connection
from buurtwerk_shared.messaging.consumer import ReceivedEvent

EVENT_TYPES = (MealServedV1.event_type, MealRegistrationCorrectedV1.event_type)

_SERVED = """
INSERT INTO meal_registrations
    (registration_id, service_id, centre_id, date, tariff, takeaway, count, diner_key)
VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
ON CONFLICT (registration_id) DO NOTHING
"""
# The latest correction wins, whatever order the corrections arrive in.
_CORRECTED = """
INSERT INTO meal_registration_corrections (registration_id, count, corrected_at)
VALUES ($1, $2, $3)
ON CONFLICT (registration_id) DO UPDATE
SET count = excluded.count, corrected_at = excluded.corrected_at
WHERE meal_registration_corrections.corrected_at <= excluded.corrected_at
"""


async def project(conn: Connection, events: Sequence[ReceivedEvent]) -> None:
    """Apply a batch of meals events (one statement per event type)."""
    served = [e.data for e in events if isinstance(e.data, MealServedV1)]
    corrected = [e.data for e in events if isinstance(e.data, MealRegistrationCorrectedV1)]
    if served:
        await conn.executemany(
            _SERVED,
            [
                (
                    m.registration_id,
                    m.service_id,
                    m.centre_id,
                    m.date,
                    m.tariff,
                    m.takeaway,
                    m.count,
                    m.diner_key,
                )
                for m in served
            ],
        )
    if corrected:
        await conn.executemany(
            _CORRECTED, [(c.registration_id, c.count, c.corrected_at) for c in corrected]
        )
