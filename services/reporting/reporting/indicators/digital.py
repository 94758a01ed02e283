"""Indicators of AP1.2.a, AP1.2.f and AP1.2.g: desk contacts, computer corners and courses,
youth referrals."""

from buurtwerk_shared.db.pool import Connection
from reporting.indicators.periods import Period
from reporting.indicators.sql import cell, city_row, sums, zero_table
from reporting.indicators.table import CITY, Table, ratio

_DESK = """
SELECT centre_id, category, sum(count)::bigint AS n FROM desk_contacts
WHERE date >= $1 AND date < $2
GROUP BY centre_id, category
"""
_VISITS = """
SELECT centre_id, sum(visits)::bigint AS n FROM computer_corner_visits
WHERE date >= $1 AND date < $2
GROUP BY centre_id
"""
_COURSE = """
WITH enrolled AS (
    SELECT e.centre_id, e.participant_key, e.status, coalesce(a.partner, 'none') AS partner
    FROM enrolment_changes e JOIN activities a USING (activity_id)
    WHERE a.kind = 'computer_course' AND e.date >= $1 AND e.date < $2
      AND e.status IN ('enrolled', 'promoted', 'completed')
)
SELECT grouping(centre_id) AS city, grouping(partner) AS all_partners, centre_id, partner,
       count(DISTINCT participant_key) AS n,
       count(DISTINCT participant_key) FILTER (WHERE status = 'completed') AS completed
FROM enrolled
GROUP BY GROUPING SETS ((centre_id, partner), (centre_id), (partner), ())
"""
_REFERRALS = """
SELECT grouping(r.centre_id) AS city, r.centre_id,
       count(DISTINCT r.participant_key) AS persons,
       count(DISTINCT r.participant_key) FILTER (WHERE o.outcome = 'joined') AS joined,
       count(*) AS referrals,
       count(*) FILTER (WHERE o.outcome = 'joined') AS joined_referrals
FROM youth_referrals r LEFT JOIN youth_referral_outcomes o USING (referral_id)
WHERE r.date >= $1 AND r.date < $2
GROUP BY GROUPING SETS ((r.centre_id), ())
"""


async def desk_contacts(conn: Connection, period: Period, centres: tuple[str, ...]) -> Table:
    """`hub.desk_contacts`: welcome-desk contacts (day totals), by category."""
    table = zero_table(centres)
    sums(table, await conn.fetch(_DESK, period.first, period.end), "category", "category")
    return table


async def computer_corner_visits(
    conn: Connection, period: Period, centres: tuple[str, ...]
) -> Table:
    """`digital.computer_corner_visits`: computer-corner visits (day totals)."""
    table = zero_table(centres)
    sums(table, await conn.fetch(_VISITS, period.first, period.end), None, "")
    return table


async def computer_course_participants(
    conn: Connection, period: Period, centres: tuple[str, ...]
) -> Table:
    """`digital.computer_course_participants`: distinct enrolled; completed and partners beside."""
    table = zero_table(centres)
    for key in table:
        table[key].breakdown["completed"] = 0
    for row in await conn.fetch(_COURSE, period.first, period.end):
        target = cell(table, CITY if city_row(row) else row["centre_id"])
        if row["all_partners"]:
            target.value = row["n"]
            target.breakdown["completed"] = row["completed"]
        else:
            target.breakdown[f"partner:{row['partner']}"] = row["n"]
    return table


async def youth_referrals(conn: Connection, period: Period, centres: tuple[str, ...]) -> Table:
    """`youth.referrals`: distinct young people referred; who joined and the share beside."""
    table = zero_table(centres)
    for key in table:
        table[key].breakdown = {"joined": 0, "joined_share": None}
    for row in await conn.fetch(_REFERRALS, period.first, period.end):
        target = cell(table, CITY if city_row(row) else row["centre_id"])
        target.value = row["persons"]
        target.breakdown = {
            "joined": row["joined"],
            "joined_share": ratio(row["joined_referrals"], row["referrals"]),
        }
    return table
