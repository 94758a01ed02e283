"""Publishes `reporting.indicator_updated.v1` when a published value or breakdown changes.

Driven by PostgreSQL state, so it survives restarts and is safe with several replicas: the
projections mark each (indicator, period) they touch in `indicator_dirty`, due a debounce window
after the first mark. A publisher leases due marks (`FOR UPDATE SKIP LOCKED`), computes each
table, and in one transaction stores what changed in `indicator_published`, emits one event per
changed cell through the outbox and removes the marks it answered. A mark touched again while it
was being computed stays, due a window later, so an indicator, centre and period is published at
most once per window, never once per incoming event. A lease that a dead replica leaves behind
expires and another takes the mark over.
"""

import asyncio
import contextlib
import datetime as dt
import logging

import asyncpg

from buurtwerk_shared import clock
from buurtwerk_shared.contracts.events.reporting import IndicatorUpdatedV1
from buurtwerk_shared.db.pool import Connection
from buurtwerk_shared.messaging.outbox import emit
from reporting.indicators.periods import parse_period
from reporting.indicators.registry import VOLATILE
from reporting.indicators.suppression import PublishedCell
from reporting.indicators.table import CITY
from reporting.indicators.values import Indicators
from reporting.projections.marks import Marks

log = logging.getLogger(__name__)

LEASE_SECONDS = 120

_CLAIM = """
UPDATE indicator_dirty d SET lease_until = now() + make_interval(secs => $2)
FROM (
    SELECT indicator_id, period FROM indicator_dirty
    WHERE due_at <= now() AND (lease_until IS NULL OR lease_until < now())
    ORDER BY due_at
    LIMIT $1
    FOR UPDATE SKIP LOCKED
) due
WHERE d.indicator_id = due.indicator_id AND d.period = due.period
RETURNING d.indicator_id, d.period, d.version
"""
_PREVIOUS = """
SELECT centre_id, value, suppressed, breakdown FROM indicator_published
WHERE indicator_id = $1 AND period = $2
"""
_STORE = """
INSERT INTO indicator_published
    (indicator_id, period, centre_id, unit, value, suppressed, breakdown, published_at)
VALUES ($1, $2, $3, $4, $5, $6, $7, now())
ON CONFLICT (indicator_id, period, centre_id) DO UPDATE SET
    unit = excluded.unit, value = excluded.value, suppressed = excluded.suppressed,
    breakdown = excluded.breakdown, published_at = excluded.published_at
"""
_DONE = "DELETE FROM indicator_dirty WHERE indicator_id = $1 AND period = $2 AND version = $3"
_AGAIN = """
UPDATE indicator_dirty SET lease_until = NULL, due_at = now() + make_interval(secs => $3)
WHERE indicator_id = $1 AND period = $2
"""


def _empty(cell: PublishedCell) -> bool:
    return not cell.suppressed and cell.value in (None, 0) and not any(cell.breakdown.values())


def _same(previous: asyncpg.Record | None, cell: PublishedCell) -> bool:
    if previous is None:
        # Nothing was published before: an empty cell is no news.
        return _empty(cell)
    return (previous["value"], previous["suppressed"], previous["breakdown"]) == (
        cell.value,
        cell.suppressed,
        cell.breakdown,
    )


class IndicatorPublisher:
    """Recomputes dirty indicator tables and publishes what changed."""

    def __init__(
        self,
        pool: asyncpg.Pool,
        indicators: Indicators,
        debounce_seconds: float,
        batch_size: int = 50,
    ) -> None:
        self._pool = pool
        self._indicators = indicators
        self._debounce = debounce_seconds
        self._batch_size = batch_size
        self._stopping = asyncio.Event()
        self._clock_marked: dt.datetime | None = None

    def stop(self) -> None:
        """Finish the tables in hand, then stop."""
        self._stopping.set()

    async def run(self) -> None:
        """Publish due tables until stopped; wait a little when none is due."""
        idle = min(0.5, max(self._debounce / 4, 0.05))
        while not self._stopping.is_set():
            try:
                await self._mark_clock_driven()
                published = await self.publish_due()
            except (OSError, asyncpg.PostgresError, asyncpg.InterfaceError) as exc:
                log.warning("indicator publisher: database unavailable: %r", exc)
                published = 0
            except Exception:
                # A table that cannot be published keeps its lease and is retried after it.
                log.exception("indicator publisher: publishing failed")
                published = 0
            if not published:
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(self._stopping.wait(), idle)

    async def _mark_clock_driven(self) -> None:
        """Once an hour, mark the indicators that change with the clock ("already past") for
        the periods of today and yesterday, so their events follow the time too."""
        hour = clock.local_now().replace(minute=0, second=0, microsecond=0)
        if hour == self._clock_marked:
            return
        marks = Marks()
        marks.dates(VOLATILE, {hour.date(), hour.date() - dt.timedelta(days=1)})
        async with self._pool.acquire() as conn:
            await marks.flush(conn, 0.0)
        self._clock_marked = hour

    async def publish_due(self) -> int:
        """Recompute the due tables once; the number of tables handled."""
        async with self._pool.acquire() as conn:
            claimed = await conn.fetch(_CLAIM, self._batch_size, LEASE_SECONDS)
            for mark in claimed:
                await self._publish(conn, mark["indicator_id"], mark["period"], mark["version"])
        return len(claimed)

    async def _publish(self, conn: Connection, indicator_id: str, label: str, version: int) -> None:
        indicator = self._indicators.plan.indicator(indicator_id)
        table: dict[str, PublishedCell] = {}
        if indicator is not None and self._indicators.computed(indicator):
            table = await self._indicators.compute(conn, indicator, parse_period(label))
        async with conn.transaction():
            previous = {
                row["centre_id"]: row for row in await conn.fetch(_PREVIOUS, indicator_id, label)
            }
            changed = [
                (centre, cell)
                for centre, cell in sorted(table.items())
                if not (centre in previous and _same(previous[centre], cell))
            ]
            if changed and indicator is not None:
                await conn.executemany(
                    _STORE,
                    [
                        (
                            indicator_id,
                            label,
                            centre,
                            indicator.unit,
                            cell.value,
                            cell.suppressed,
                            cell.breakdown,
                        )
                        for centre, cell in changed
                    ],
                )
                for centre, cell in changed:
                    if not _same(previous.get(centre), cell):
                        await emit(conn, _event(indicator_id, indicator.unit, centre, label, cell))
            if await conn.execute(_DONE, indicator_id, label, version) == "DELETE 0":
                await conn.execute(_AGAIN, indicator_id, label, self._debounce)


def _event(
    indicator_id: str, unit: str, centre: str, period: str, cell: PublishedCell
) -> IndicatorUpdatedV1:
    return IndicatorUpdatedV1(
        indicator_id=indicator_id,
        centre_id=None if centre == CITY else centre,
        period=period,
        unit=unit,
        value=cell.value,
        suppressed=cell.suppressed,
        breakdown=cell.breakdown,
    )
