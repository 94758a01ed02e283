"""Projection of the meals events: services, registrations and their corrections, first meals."""

import datetime as dt
from collections import defaultdict
from collections.abc import Sequence

from buurtwerk_shared.contracts.events.meals import (
    MealRegistrationCorrectedV1,
    MealServedV1,
    ServiceCancelledV1,
    ServiceChangedV1,
    ServiceClosedV1,
    ServicePlannedV1,
)
from buurtwerk_shared.db.pool import Connection
from reporting.indicators.table import CITY
from reporting.projections.batch import Batch, latest
from reporting.projections.marks import Marks

SERVED_INDICATORS = (
    "meals.served",
    "meals.unique_diners",
    "meals.new_diners",
    "meals.reduced_tariff_share",
    "meals.occupancy",
)
CORRECTED_INDICATORS = ("meals.served", "meals.reduced_tariff_share", "meals.occupancy")
SERVICE_INDICATORS = ("meals.occupancy", "operations.sessions_held_ratio")

# One statement for the whole batch (arrays): the registrations' own ids make it idempotent.
_SERVED = """
INSERT INTO meal_registrations
    (registration_id, service_id, centre_id, date, tariff, takeaway, count, diner_key)
SELECT * FROM unnest($1::uuid[], $2::uuid[], $3::text[], $4::date[], $5::text[], $6::bool[],
                     $7::int[], $8::text[])
ON CONFLICT (registration_id) DO NOTHING
"""
# Kept apart so a correction that arrives before its registration is not lost; the latest
# correction wins whatever order the corrections arrive in.
_CORRECTED = """
INSERT INTO meal_registration_corrections (registration_id, count, corrected_at)
SELECT * FROM unnest($1::uuid[], $2::int[], $3::timestamptz[])
ON CONFLICT (registration_id) DO UPDATE
SET count = excluded.count, corrected_at = excluded.corrected_at
WHERE meal_registration_corrections.corrected_at <= excluded.corrected_at
"""
# A planned service may arrive after a change of its capacity: the change is kept.
_PLANNED = """
INSERT INTO meal_services (service_id, centre_id, date, kitchen_id, starts_at, capacity, planned)
VALUES ($1, $2, $3, $4, $5, $6, true)
ON CONFLICT (service_id) DO UPDATE SET
    kitchen_id = excluded.kitchen_id,
    starts_at = coalesce(meal_services.starts_at, excluded.starts_at),
    capacity = CASE WHEN meal_services.capacity_changed_at IS NULL
                    THEN excluded.capacity ELSE meal_services.capacity END,
    planned = true
"""
_CHANGED = """
INSERT INTO meal_services
    (service_id, centre_id, date, starts_at, capacity, capacity_changed_at)
VALUES ($1, $2, $3, $4, $5, CASE WHEN $5::integer IS NULL THEN NULL ELSE $6::timestamptz END)
ON CONFLICT (service_id) DO UPDATE SET
    date = excluded.date,
    starts_at = coalesce(excluded.starts_at, meal_services.starts_at),
    capacity = CASE WHEN excluded.capacity IS NOT NULL
                         AND (meal_services.capacity_changed_at IS NULL
                              OR meal_services.capacity_changed_at <= $6::timestamptz)
                    THEN excluded.capacity ELSE meal_services.capacity END,
    capacity_changed_at = CASE WHEN excluded.capacity IS NOT NULL
                               THEN greatest(meal_services.capacity_changed_at, $6::timestamptz)
                               ELSE meal_services.capacity_changed_at END
"""
_CANCELLED = """
INSERT INTO meal_services (service_id, centre_id, date, cancelled) VALUES ($1, $2, $3, true)
ON CONFLICT (service_id) DO UPDATE SET cancelled = true
"""
_CLOSED = """
INSERT INTO meal_services (service_id, centre_id, date, closed) VALUES ($1, $2, $3, true)
ON CONFLICT (service_id) DO UPDATE SET closed = true
"""
# The earliest first meal wins; returns the earlier first date where a late meal moved it.
_FIRST_MEALS = """
WITH input AS (
    SELECT * FROM unnest($1::text[], $2::text[], $3::date[]) AS i(diner_key, centre_id, first_date)
), previous AS (
    SELECT f.diner_key, f.centre_id, f.first_date
    FROM meal_first_meals f JOIN input USING (diner_key, centre_id)
), upserted AS (
    INSERT INTO meal_first_meals (diner_key, centre_id, first_date)
    SELECT diner_key, centre_id, first_date FROM input ORDER BY diner_key, centre_id
    ON CONFLICT (diner_key, centre_id) DO UPDATE SET first_date = excluded.first_date
    WHERE excluded.first_date < meal_first_meals.first_date
    RETURNING diner_key, centre_id
)
SELECT DISTINCT p.first_date FROM upserted u JOIN previous p USING (diner_key, centre_id)
"""


async def apply(conn: Connection, batch: Batch, marks: Marks | None) -> None:
    """Apply the meals events of a batch, one statement per event type."""
    planned = batch.of(ServicePlannedV1)
    changed = batch.of(ServiceChangedV1)
    cancelled = batch.of(ServiceCancelledV1)
    closed = batch.of(ServiceClosedV1)
    served = batch.of(MealServedV1)
    corrected = batch.of(MealRegistrationCorrectedV1)
    if planned:
        await conn.executemany(
            _PLANNED,
            [
                (p.service_id, p.centre_id, p.date, p.kitchen_id, p.starts_at, p.capacity)
                for p in planned
            ],
        )
    if changed:
        await conn.executemany(
            _CHANGED,
            [
                (c.service_id, c.centre_id, c.date, c.starts_at, c.capacity, c.changed_at)
                for c in changed
            ],
        )
    if cancelled:
        await conn.executemany(_CANCELLED, [(c.service_id, c.centre_id, c.date) for c in cancelled])
    if closed:
        await conn.executemany(_CLOSED, [(c.service_id, c.centre_id, c.date) for c in closed])
    if served:
        await conn.execute(
            _SERVED,
            [m.registration_id for m in served],
            [m.service_id for m in served],
            [m.centre_id for m in served],
            [m.date for m in served],
            [m.tariff for m in served],
            [m.takeaway for m in served],
            [m.count for m in served],
            [m.diner_key for m in served],
        )
        await _first_meals(conn, served, marks)
    if corrected:
        winners = latest(corrected, lambda c: c.registration_id, lambda c: c.corrected_at)
        await conn.execute(
            _CORRECTED,
            [c.registration_id for c in winners],
            [c.count for c in winners],
            [c.corrected_at for c in winners],
        )
    if marks is not None:
        marks.dates(
            SERVICE_INDICATORS,
            {p.date for p in planned}
            | {c.date for c in changed}
            | {c.date for c in cancelled}
            | {c.date for c in closed},
        )
        marks.dates(SERVED_INDICATORS, {m.date for m in served})
        marks.dates(CORRECTED_INDICATORS, {c.date for c in corrected})


async def _first_meals(
    conn: Connection, served: Sequence[MealServedV1], marks: Marks | None
) -> None:
    earliest: defaultdict[tuple[str, str], list[dt.date]] = defaultdict(list)
    for meal in served:
        if meal.diner_key is None:
            continue
        for centre in (meal.centre_id, CITY):
            earliest[(meal.diner_key, centre)].append(meal.date)
    if not earliest:
        return
    first = {key: min(dates) for key, dates in earliest.items()}
    keys = sorted(first)
    moved = await conn.fetch(
        _FIRST_MEALS, [k[0] for k in keys], [k[1] for k in keys], [first[k] for k in keys]
    )
    if marks is not None:
        # A late meal that becomes a diner's first takes them out of the earlier period.
        marks.dates(("meals.new_diners",), {row["first_date"] for row in moved})
