"""Indicators that no event measures, from the values analysts record (`team.staff_fte`,
`kettekeet.status`). A value holds from the period it was entered for until a later one: the
value of a period is the one entered for the latest period that started by its end (the latest
recorded one among values entered for the same period)."""

from collections.abc import Awaitable, Callable

from buurtwerk_shared.db.pool import Connection
from reporting.indicators.periods import Period
from reporting.indicators.sql import cell
from reporting.indicators.table import Table, empty_table

_LATEST = """
SELECT DISTINCT ON (centre_id) centre_id, value, period, source_note
FROM manual_values
WHERE indicator_id = $1 AND period_first < $2
ORDER BY centre_id, period_first DESC, recorded_at DESC
"""


def manual(indicator_id: str) -> Callable[[Connection, Period, tuple[str, ...]], Awaitable[Table]]:
    """The computation of a manual indicator."""

    async def compute(conn: Connection, period: Period, centres: tuple[str, ...]) -> Table:
        table = empty_table(centres)
        for row in await conn.fetch(_LATEST, indicator_id, period.end):
            target = cell(table, row["centre_id"])
            target.value = row["value"]
            target.breakdown = {"entered_for": row["period"], "source_note": row["source_note"]}
        return table

    compute.__doc__ = f"`{indicator_id}`: the latest manual value."
    return compute
