"""Indicators of AP1.2.d computed from the HACCP projections."""

from collections import defaultdict

from buurtwerk_shared.db.pool import Connection
from buurtwerk_shared.reference import reference_data
from reporting.indicators.periods import Period
from reporting.indicators.sql import add, sums, zero_table
from reporting.indicators.table import CITY, Table, empty_table, ratio
from reporting.reminders.queries import checks_on_time

_DEVIATIONS = """
SELECT centre_id, kind, count(*) AS n FROM haccp_deviations
WHERE date >= $1 AND date < $2
GROUP BY centre_id, kind
"""
_CORRECTIVE = """
SELECT d.centre_id, count(*) AS deviations, count(*) FILTER (WHERE a.acted) AS acted
FROM haccp_deviations d
LEFT JOIN LATERAL (
    SELECT true AS acted FROM haccp_corrective_actions c
    WHERE c.record_id = d.record_id AND c.recorded_at <= d.recorded_at + interval '24 hours'
    LIMIT 1
) a ON true
WHERE d.date >= $1 AND d.date < $2
GROUP BY d.centre_id
"""
# The status of each milestone at the end of the period: the latest by date (on one date the
# furthest status, whatever order the updates arrived in).
_REFURBISHMENT = """
SELECT DISTINCT ON (kitchen_id, milestone) kitchen_id, centre_id, milestone, status
FROM kitchen_refurbishment
WHERE date < $1
ORDER BY kitchen_id, milestone, date DESC,
         array_position(ARRAY['planned', 'in_progress', 'done'], status) DESC
"""


async def deviations(conn: Connection, period: Period, centres: tuple[str, ...]) -> Table:
    """`haccp.deviations`: deviations, by kind of check."""
    table = zero_table(centres)
    sums(table, await conn.fetch(_DEVIATIONS, period.first, period.end), "kind", "kind")
    return table


async def corrective_action_ratio(
    conn: Connection, period: Period, centres: tuple[str, ...]
) -> Table:
    """`haccp.corrective_action_ratio`: deviations with a corrective action within 24 h."""
    counts = zero_table(centres)
    for row in await conn.fetch(_CORRECTIVE, period.first, period.end):
        add(counts, row["centre_id"], "deviations", row["deviations"])
        add(counts, row["centre_id"], "with_action_within_24h", row["acted"])
    table = empty_table(tuple(key for key in counts if key != CITY))
    for key, counted in counts.items():
        total = float(counted.breakdown.get("deviations") or 0)
        acted = float(counted.breakdown.get("with_action_within_24h") or 0)
        table[key].value = ratio(acted, total)
        table[key].breakdown = {"deviations": total, "with_action_within_24h": acted}
    return table


async def refurbishment_done(conn: Connection, period: Period, centres: tuple[str, ...]) -> Table:
    """`haccp.refurbishment_done`: milestones done / known at the end of the period, per kitchen."""
    done: defaultdict[str, int] = defaultdict(int)
    known: defaultdict[str, int] = defaultdict(int)
    kitchen_centre: dict[str, str] = {k.id: k.centre for k in reference_data().kitchens}
    for row in await conn.fetch(_REFURBISHMENT, period.end):
        kitchen_centre.setdefault(row["kitchen_id"], row["centre_id"])
        known[row["kitchen_id"]] += 1
        done[row["kitchen_id"]] += row["status"] == "done"
    table = empty_table(centres)
    for key in table:
        kitchens = sorted(k for k in known if key == CITY or kitchen_centre[k] == key)
        table[key].value = ratio(sum(done[k] for k in kitchens), sum(known[k] for k in kitchens))
        table[key].breakdown = {f"kitchen:{k}": ratio(done[k], known[k]) for k in kitchens}
    return table


async def checks_on_time_ratio(conn: Connection, period: Period, centres: tuple[str, ...]) -> Table:
    """`haccp.checks_on_time_ratio`: due occurrences of required checks closed within their grace
    time / due occurrences, from the reminders' occurrences (settled ones only: closed, or their
    grace time over)."""
    table = empty_table(centres)
    for key in table:
        on_time, due = await checks_on_time(
            conn, None if key == CITY else key, period.first, period.end
        )
        table[key].value = ratio(on_time, due)
        table[key].breakdown = {"due": float(due), "on_time": float(on_time)}
    return table
