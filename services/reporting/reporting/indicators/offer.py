"""Indicators of AP1.2.b and AP1.2.h computed from enrolments and attendances."""

from buurtwerk_shared.db.pool import Connection
from reporting.indicators.periods import Period
from reporting.indicators.sql import add, cell, city_row, zero_table
from reporting.indicators.table import CITY, Table

# Statuses that mean a person took part (a waiting list or a cancellation does not).
_TAKING_PART = "('enrolled', 'promoted', 'completed')"

_PARTICIPANTS = f"""
WITH people AS (
    SELECT centre_id, participant_key, coalesce(target_group, 'unknown') AS target_group
    FROM enrolment_changes
    WHERE date >= $1 AND date < $2 AND status IN {_TAKING_PART}
    UNION ALL
    SELECT centre_id, participant_key, coalesce(target_group, 'unknown')
    FROM attendances
    WHERE date >= $1 AND date < $2 AND present AND participant_key IS NOT NULL
)
SELECT grouping(centre_id) AS city, grouping(target_group) AS all_groups, centre_id, target_group,
       count(DISTINCT participant_key) AS n
FROM people
GROUP BY GROUPING SETS ((centre_id, target_group), (centre_id), (target_group), ())
"""
_DROP_INS = """
SELECT centre_id, sum(count)::bigint AS n FROM attendances
WHERE date >= $1 AND date < $2 AND present AND participant_key IS NULL
GROUP BY centre_id
"""
_CONVERSATION = """
SELECT grouping(a.centre_id) AS city, a.centre_id,
       count(DISTINCT a.participant_key) AS n, sum(a.count)::bigint AS attendances
FROM attendances a JOIN activities act USING (activity_id)
WHERE a.date >= $1 AND a.date < $2 AND a.present
  AND act.kind IN ('conversation_group', 'language_lesson')
GROUP BY GROUPING SETS ((a.centre_id), ())
"""
CHILDREN_CENTRES = ("wilsele-dorp", "koksijdewijk")
_CHILDREN = f"""
WITH children AS (
    SELECT e.centre_id, e.participant_key, e.age_band
    FROM enrolment_changes e JOIN activities a USING (activity_id)
    WHERE e.date >= $1 AND e.date < $2 AND e.status IN {_TAKING_PART}
      AND a.kind IN ('toddler', 'teen', 'homework_support')
      AND e.centre_id = ANY($3::text[]) AND e.age_band IN ('0-2', '3-5', '6-11', '12-17')
    UNION ALL
    SELECT t.centre_id, t.participant_key, t.age_band
    FROM attendances t JOIN activities a USING (activity_id)
    WHERE t.date >= $1 AND t.date < $2 AND t.present AND t.participant_key IS NOT NULL
      AND a.kind IN ('toddler', 'teen', 'homework_support')
      AND t.centre_id = ANY($3::text[]) AND t.age_band IN ('0-2', '3-5', '6-11', '12-17')
)
SELECT grouping(centre_id) AS city, grouping(age_band) AS all_bands, centre_id, age_band,
       count(DISTINCT participant_key) AS n
FROM children
GROUP BY GROUPING SETS ((centre_id, age_band), (centre_id), (age_band), ())
"""


async def participants_by_target_group(
    conn: Connection, period: Period, centres: tuple[str, ...]
) -> Table:
    """`offer.participants_by_target_group`: distinct known participants, by target group;
    anonymous drop-in attendances beside them."""
    table = zero_table(centres)
    for key in table:
        table[key].breakdown["drop_in_attendances"] = 0
    for row in await conn.fetch(_PARTICIPANTS, period.first, period.end):
        target = cell(table, CITY if city_row(row) else row["centre_id"])
        if row["all_groups"]:
            target.value = row["n"]
        else:
            target.breakdown[f"target_group:{row['target_group']}"] = row["n"]
    for row in await conn.fetch(_DROP_INS, period.first, period.end):
        add(table, row["centre_id"], "drop_in_attendances", row["n"])
    return table


async def conversation_group_participants(
    conn: Connection, period: Period, centres: tuple[str, ...]
) -> Table:
    """`offer.conversation_group_participants`: distinct participants of conversation groups
    and language lessons; all attendances (anonymous ones too) beside them."""
    table = zero_table(centres)
    for key in table:
        table[key].breakdown["attendances"] = 0
    for row in await conn.fetch(_CONVERSATION, period.first, period.end):
        target = cell(table, CITY if city_row(row) else row["centre_id"])
        target.value = row["n"]
        target.breakdown["attendances"] = row["attendances"]
    return table


async def wilsele_children(conn: Connection, period: Period, centres: tuple[str, ...]) -> Table:
    """`children.wilsele_participants`: distinct children in toddler, teen and homework-support
    activities at Wilsele-dorp and Koksijdewijk, by age band (other centres stay 0)."""
    table = zero_table(centres)
    for row in await conn.fetch(_CHILDREN, period.first, period.end, list(CHILDREN_CENTRES)):
        target = cell(table, CITY if city_row(row) else row["centre_id"])
        if row["all_bands"]:
            target.value = row["n"]
        else:
            target.breakdown[f"age_band:{row['age_band']}"] = row["n"]
    return table
