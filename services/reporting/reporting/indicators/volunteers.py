"""Indicators of AP1.2.e computed from the volunteers projections."""

from buurtwerk_shared.db.pool import Connection
from reporting.indicators.periods import Period
from reporting.indicators.sql import add, cell, city_row, sums, zero_table
from reporting.indicators.table import CITY, Table, empty_table, ratio

_ACTIVE = """
SELECT grouping(centre_id) AS city, centre_id, count(DISTINCT volunteer_id) AS n
FROM volunteer_shifts
WHERE date >= $1 AND date < $2 AND hours > 0
GROUP BY GROUPING SETS ((centre_id), ())
"""
_HOURS = """
SELECT centre_id, role, sum(hours) AS n FROM volunteer_shifts
WHERE date >= $1 AND date < $2
GROUP BY centre_id, role
"""
# A volunteer counts at each centre of the status change that first made them active.
_NEW = """
WITH firsts AS (
    SELECT DISTINCT ON (volunteer_id) volunteer_id, date, centre_ids
    FROM volunteer_status_changes WHERE status = 'active'
    ORDER BY volunteer_id, changed_at
)
SELECT grouping(c.centre_id) AS city, c.centre_id, count(DISTINCT f.volunteer_id) AS n
FROM firsts f LEFT JOIN LATERAL unnest(f.centre_ids) AS c(centre_id) ON true
WHERE f.date >= $1 AND f.date < $2
GROUP BY GROUPING SETS ((c.centre_id), ())
"""
_CONVERSION = """
WITH applications AS (
    SELECT a.volunteer_id, a.changed_at, a.centre_ids,
           EXISTS (
               SELECT 1 FROM volunteer_status_changes s
               WHERE s.volunteer_id = a.volunteer_id AND s.status = 'active'
                 AND s.changed_at >= a.changed_at
                 AND s.changed_at <= a.changed_at + interval '90 days'
           ) AS converted
    FROM volunteer_status_changes a
    WHERE a.status = 'applied' AND a.date >= $1 AND a.date < $2
)
SELECT grouping(c.centre_id) AS city, c.centre_id,
       count(DISTINCT (a.volunteer_id, a.changed_at)) AS applied,
       count(DISTINCT (a.volunteer_id, a.changed_at)) FILTER (WHERE a.converted) AS converted
FROM applications a LEFT JOIN LATERAL unnest(a.centre_ids) AS c(centre_id) ON true
GROUP BY GROUPING SETS ((c.centre_id), ())
"""
_MILESTONES = """
SELECT centre_id, milestone, count(*) AS n FROM volunteer_milestones
WHERE date >= $1 AND date < $2
GROUP BY centre_id, milestone
"""
_APPRECIATIONS = """
SELECT centre_id, count(*) AS n FROM volunteer_appreciations
WHERE date >= $1 AND date < $2
GROUP BY centre_id
"""


async def active(conn: Connection, period: Period, centres: tuple[str, ...]) -> Table:
    """`volunteers.active`: distinct volunteers with a completed shift (hours after corrections)."""
    table = zero_table(centres)
    for row in await conn.fetch(_ACTIVE, period.first, period.end):
        cell(table, CITY if city_row(row) else row["centre_id"]).value = row["n"]
    return table


async def new(conn: Connection, period: Period, centres: tuple[str, ...]) -> Table:
    """`volunteers.new`: volunteers who became active for the first time."""
    table = zero_table(centres)
    for row in await conn.fetch(_NEW, period.first, period.end):
        if city_row(row) or row["centre_id"] is not None:
            cell(table, CITY if city_row(row) else row["centre_id"]).value = row["n"]
    return table


async def hours(conn: Connection, period: Period, centres: tuple[str, ...]) -> Table:
    """`volunteers.hours`: hours after corrections, by role."""
    table = zero_table(centres)
    sums(table, await conn.fetch(_HOURS, period.first, period.end), "role", "role")
    return table


async def onboarding_conversion(
    conn: Connection, period: Period, centres: tuple[str, ...]
) -> Table:
    """`volunteers.onboarding_conversion`: of those who applied, the share active within 90 days."""
    table = empty_table(centres)
    for key in table:
        table[key].breakdown = {"applied": 0, "active_within_90_days": 0}
    for row in await conn.fetch(_CONVERSION, period.first, period.end):
        if not city_row(row) and row["centre_id"] is None:
            continue
        target = cell(table, CITY if city_row(row) else row["centre_id"])
        target.value = ratio(row["converted"], row["applied"])
        target.breakdown = {"applied": row["applied"], "active_within_90_days": row["converted"]}
    return table


async def milestones(conn: Connection, period: Period, centres: tuple[str, ...]) -> Table:
    """`volunteers.milestones`: milestones reached; appreciation moments in the breakdown.

    City-wide appreciation moments (no centre) count for the city only.
    """
    table = zero_table(centres)
    for key in table:
        table[key].breakdown["appreciation_moments"] = 0
    for row in await conn.fetch(_MILESTONES, period.first, period.end):
        targets = [CITY] if row["centre_id"] is None else [CITY, row["centre_id"]]
        for target in targets:
            c = cell(table, target)
            c.value = float(c.value or 0) + row["n"]
            key = f"milestone:{row['milestone']}"
            c.breakdown[key] = float(c.breakdown.get(key) or 0) + row["n"]
    for row in await conn.fetch(_APPRECIATIONS, period.first, period.end):
        if row["centre_id"] is None:
            c = cell(table, CITY)
            c.breakdown["appreciation_moments"] = (
                float(c.breakdown["appreciation_moments"] or 0) + row["n"]
            )
        else:
            add(table, row["centre_id"], "appreciation_moments", row["n"])
    return table
