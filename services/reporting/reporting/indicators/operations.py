"""`operations.sessions_held_ratio` (AP1.1.c): the regular offer that went ahead."""

from buurtwerk_shared.db.pool import Connection
from reporting.indicators.periods import Period, today
from reporting.indicators.sql import add, zero_table
from reporting.indicators.table import CITY, Table, empty_table, ratio

# Already past: started by now (a service whose start is unknown: dated before today).
_SERVICES = """
SELECT centre_id,
       count(*) FILTER (WHERE closed) AS held,
       count(*) FILTER (WHERE cancelled AND NOT closed) AS cancelled
FROM meal_services
WHERE date >= $1 AND date < $2 AND coalesce(starts_at <= now(), date < $3)
GROUP BY centre_id
"""
_SESSIONS = """
SELECT centre_id,
       count(*) FILTER (WHERE held) AS held,
       count(*) FILTER (WHERE cancelled AND NOT held) AS cancelled
FROM activity_sessions
WHERE date >= $1 AND date < $2 AND starts_at <= now()
GROUP BY centre_id
"""
KEYS = ("meal_services_closed", "meal_services_cancelled", "sessions_held", "sessions_cancelled")


async def sessions_held_ratio(conn: Connection, period: Period, centres: tuple[str, ...]) -> Table:
    """Meal services closed and sessions held / those plus the cancelled ones, already past."""
    counts = zero_table(centres)
    for key in counts:
        counts[key].breakdown = dict.fromkeys(KEYS, 0)
    for row in await conn.fetch(_SERVICES, period.first, period.end, today()):
        add(counts, row["centre_id"], "meal_services_closed", row["held"])
        add(counts, row["centre_id"], "meal_services_cancelled", row["cancelled"])
    for row in await conn.fetch(_SESSIONS, period.first, period.end):
        add(counts, row["centre_id"], "sessions_held", row["held"])
        add(counts, row["centre_id"], "sessions_cancelled", row["cancelled"])
    table = empty_table(tuple(key for key in counts if key != CITY))
    for key, counted in counts.items():
        b = {k: float(counted.breakdown.get(k) or 0) for k in KEYS}
        held = b["meal_services_closed"] + b["sessions_held"]
        table[key].value = ratio(
            held, held + b["meal_services_cancelled"] + b["sessions_cancelled"]
        )
        table[key].breakdown = dict(b)
    return table
