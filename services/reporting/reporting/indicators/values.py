"""Indicator values as they leave the service: computed, then suppressed.

A read takes the values last published for an (indicator, period) when no event has touched it
since (no dirty mark), and computes them from the projections otherwise, so it is always exact.
"""

from collections.abc import Mapping

from buurtwerk_shared.contracts.events.reporting import IndicatorValue
from buurtwerk_shared.db.pool import Connection
from buurtwerk_shared.reference import reference_data
from reporting.catalogue.plan import Indicator, Plan
from reporting.indicators.periods import Period
from reporting.indicators.registry import COMPUTATIONS, VOLATILE, Computation
from reporting.indicators.result import IndicatorResult
from reporting.indicators.suppression import PublishedCell, suppress
from reporting.indicators.table import CITY

_PUBLISHED = """
SELECT centre_id, value, suppressed, breakdown FROM indicator_published
WHERE indicator_id = $1 AND period = $2
AND NOT EXISTS (SELECT 1 FROM indicator_dirty WHERE indicator_id = $1 AND period = $2)
"""


class NotComputed(Exception):
    """The catalogue has the indicator but this service has no computation for it (yet)."""


class Indicators:
    """The plan's indicators with their computations and the suppression threshold."""

    def __init__(
        self,
        plan: Plan,
        threshold: int,
        computations: Mapping[str, Computation] = COMPUTATIONS,
    ) -> None:
        self.plan = plan
        self.threshold = threshold
        self._computations = computations
        self.centres: tuple[str, ...] = reference_data().codes("centres")

    def computed(self, indicator: Indicator) -> bool:
        """Whether this service computes the indicator."""
        return indicator.id in self._computations

    async def compute(
        self, conn: Connection, indicator: Indicator, period: Period
    ) -> dict[str, PublishedCell]:
        """The suppressed table of an indicator for a period, computed from the projections."""
        computation = self._computations.get(indicator.id)
        if computation is None:
            raise NotComputed(indicator.id)
        table = await computation(conn, period, self.centres)
        return suppress(indicator, table, self.threshold)

    async def table(
        self, conn: Connection, indicator: Indicator, period: Period
    ) -> dict[str, PublishedCell]:
        """The suppressed table: as last published if still current, else computed."""
        if indicator.id not in self._computations:
            raise NotComputed(indicator.id)
        if indicator.id not in VOLATILE:
            rows = await conn.fetch(_PUBLISHED, indicator.id, period.label)
            if rows and {row["centre_id"] for row in rows} >= {CITY, *self.centres}:
                return {
                    row["centre_id"]: PublishedCell(
                        row["value"], row["suppressed"], dict(row["breakdown"])
                    )
                    for row in rows
                }
        return await self.compute(conn, indicator, period)

    async def value(
        self, conn: Connection, indicator: Indicator, centre_id: str | None, period: Period
    ) -> IndicatorResult:
        """One published value: a centre's, or the whole city's for None."""
        table = await self.table(conn, indicator, period)
        cell = table.get(centre_id or CITY) or PublishedCell(None, False, {})
        return result(indicator, centre_id, period.label, cell)


def result(
    indicator: Indicator, centre_id: str | None, period: str, cell: PublishedCell
) -> IndicatorResult:
    """The API and event shape of one published cell."""
    breakdown: dict[str, IndicatorValue] = dict(cell.breakdown)
    return IndicatorResult(
        indicator_id=indicator.id,
        centre_id=centre_id or None,
        period=period,
        unit=indicator.unit,
        value=cell.value,
        suppressed=cell.suppressed,
        breakdown=breakdown,
    )
