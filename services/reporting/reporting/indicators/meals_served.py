"""`meals.served` (AP1.2.c): meals served after corrections, by tariff and take-away."""

from buurtwerk_shared.db.pool import Connection
from reporting.indicators.periods import Period
from reporting.indicators.result import IndicatorResult

INDICATOR_ID = "meals.served"

_QUERY = """
SELECT r.tariff, r.takeaway, sum(coalesce(c.count, r.count))::bigint AS meals
FROM meal_registrations r
LEFT JOIN meal_registration_corrections c USING (registration_id)
WHERE r.date >= $1 AND r.date < $2 AND ($3::text IS NULL OR r.centre_id = $3)
GROUP BY r.tariff, r.takeaway
"""


async def meals_served(conn: Connection, centre_id: str | None, period: Period) -> IndicatorResult:
    """Meals served in a centre (or the city) in a period."""
    rows = await conn.fetch(_QUERY, period.first, period.end, centre_id)
    breakdown: dict[str, float | str | None] = {}
    for row in rows:
        key = f"tariff:{row['tariff']}"
        breakdown[key] = float(breakdown.get(key) or 0) + row["meals"]
        place = "takeaway" if row["takeaway"] else "on_site"
        breakdown[place] = float(breakdown.get(place) or 0) + row["meals"]
    total = sum(row["meals"] for row in rows)
    return IndicatorResult(
        indicator_id=INDICATOR_ID,
        centre_id=centre_id,
        period=period.label,
        unit="meals",
        value=total,
        suppressed=False,
        breakdown=breakdown,
    )
