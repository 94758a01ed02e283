"""Indicators of AP1.2.c computed from the meals projections."""

from buurtwerk_shared.db.pool import Connection
from reporting.indicators.periods import Period
from reporting.indicators.sql import add, cell, city_row, zero_table
from reporting.indicators.table import CITY, Table, empty_table, ratio

_SERVED = """
SELECT r.centre_id, r.tariff, r.takeaway, sum(coalesce(c.count, r.count))::bigint AS n
FROM meal_registrations r
LEFT JOIN meal_registration_corrections c USING (registration_id)
WHERE r.date >= $1 AND r.date < $2
GROUP BY r.centre_id, r.tariff, r.takeaway
"""
_UNIQUE = """
SELECT grouping(centre_id) AS city, centre_id, count(DISTINCT diner_key) AS n
FROM meal_registrations
WHERE date >= $1 AND date < $2 AND diner_key IS NOT NULL
GROUP BY GROUPING SETS ((centre_id), ())
"""
_NEW = """
SELECT centre_id, count(*) AS n FROM meal_first_meals
WHERE first_date >= $1 AND first_date < $2
GROUP BY centre_id
"""
_OCCUPANCY = """
WITH services AS (
    SELECT service_id, centre_id, capacity FROM meal_services
    WHERE date >= $1 AND date < $2 AND planned AND NOT cancelled AND capacity IS NOT NULL
), on_site AS (
    SELECT r.service_id, sum(coalesce(c.count, r.count)) AS meals
    FROM meal_registrations r
    LEFT JOIN meal_registration_corrections c USING (registration_id)
    WHERE r.date >= $1 AND r.date < $2 AND NOT r.takeaway
    GROUP BY r.service_id
)
SELECT s.centre_id, sum(s.capacity)::bigint AS capacity, coalesce(sum(o.meals), 0)::bigint AS meals
FROM services s LEFT JOIN on_site o USING (service_id)
GROUP BY s.centre_id
"""


async def served(conn: Connection, period: Period, centres: tuple[str, ...]) -> Table:
    """`meals.served`: meals after corrections, by tariff and on site or take-away."""
    table = zero_table(centres)
    for row in await conn.fetch(_SERVED, period.first, period.end):
        centre, n = row["centre_id"], row["n"]
        add(table, centre, None, n)
        add(table, centre, f"tariff:{row['tariff']}", n)
        add(table, centre, "takeaway" if row["takeaway"] else "on_site", n)
    return table


async def unique_diners(conn: Connection, period: Period, centres: tuple[str, ...]) -> Table:
    """`meals.unique_diners`: distinct diner keys; the city counts each diner once."""
    table = zero_table(centres)
    for row in await conn.fetch(_UNIQUE, period.first, period.end):
        cell(table, CITY if city_row(row) else row["centre_id"]).value = row["n"]
    return table


async def new_diners(conn: Connection, period: Period, centres: tuple[str, ...]) -> Table:
    """`meals.new_diners`: first meal ever (city) or first meal at the centre in the period."""
    table = zero_table(centres)
    for row in await conn.fetch(_NEW, period.first, period.end):
        cell(table, row["centre_id"]).value = row["n"]
    return table


async def reduced_tariff_share(conn: Connection, period: Period, centres: tuple[str, ...]) -> Table:
    """`meals.reduced_tariff_share`: reduced-tariff meals / meals served, after corrections."""
    counts = await served(conn, period, centres)
    table = empty_table(tuple(key for key in counts if key != CITY))
    for key, counted in counts.items():
        total = float(counted.value or 0)
        reduced = float(counted.breakdown.get("tariff:reduced") or 0)
        table[key].value = ratio(reduced, total)
        table[key].breakdown = {"reduced": reduced, "served": total}
    return table


async def occupancy(conn: Connection, period: Period, centres: tuple[str, ...]) -> Table:
    """`meals.occupancy`: on-site meals / capacity over the services not cancelled."""
    sums_table = zero_table(centres)
    for row in await conn.fetch(_OCCUPANCY, period.first, period.end):
        add(sums_table, row["centre_id"], "capacity", row["capacity"])
        add(sums_table, row["centre_id"], "on_site_meals", row["meals"])
    table = empty_table(tuple(key for key in sums_table if key != CITY))
    for key, counted in sums_table.items():
        capacity = float(counted.breakdown.get("capacity") or 0)
        meals = float(counted.breakdown.get("on_site_meals") or 0)
        table[key].value = ratio(meals, capacity)
        table[key].breakdown = {"on_site_meals": meals, "capacity": capacity}
    return table
