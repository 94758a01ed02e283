"""Which indicator tables (indicator, period) an applied batch of events may have changed.

The projection handlers note the local dates their events touch, per indicator; `flush` turns
them into the week, month, quarter and year that contain each date and marks those tables dirty
in the same transaction. A mark is due `debounce` seconds after it was first made: more events for
the same table before then leave it as it is, so the publisher recomputes it once. A mark that a
publisher holds (leased) gets its version bumped, so the publisher knows to compute it again; a
mark that is not leased is only locked (ON CONFLICT DO UPDATE locks the row even where its WHERE
is false), which keeps a publisher from claiming it until the batch commits, without writing it.
"""

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from functools import lru_cache

from buurtwerk_shared.db.pool import Connection
from reporting.indicators.periods import GRANULARITIES, labels_containing, periods_between, today

_MARK = """
INSERT INTO indicator_dirty (indicator_id, period, due_at)
SELECT indicator_id, period, now() + make_interval(secs => $3)
FROM unnest($1::text[], $2::text[]) AS m(indicator_id, period)
ORDER BY indicator_id, period
ON CONFLICT (indicator_id, period) DO UPDATE SET version = indicator_dirty.version + 1
WHERE indicator_dirty.lease_until IS NOT NULL
"""


@lru_cache(maxsize=4096)
def _labels(day: dt.date) -> tuple[str, str, str, str]:
    return labels_containing(day)


class Marks:
    """Dates and periods touched by one batch, per indicator."""

    def __init__(self) -> None:
        self._dates: defaultdict[dt.date, set[str]] = defaultdict(set)
        self._periods: set[tuple[str, str]] = set()

    def dates(self, indicators: Iterable[str], dates: Iterable[dt.date]) -> None:
        """The indicators' values for the periods containing these dates may have changed."""
        indicator_set = set(indicators)
        for day in dates:
            self._dates[day].update(indicator_set)

    def since(self, indicators: Iterable[str], first: dt.date) -> None:
        """The indicators may have changed for every period from `first` up to today."""
        last = max(first, today())
        for indicator in indicators:
            for granularity in GRANULARITIES:
                for period in periods_between(first, last, granularity):
                    self._periods.add((indicator, period.label))

    def all(self) -> set[tuple[str, str]]:
        """Every (indicator, period) marked."""
        marked = set(self._periods)
        for day, indicators in self._dates.items():
            for label in _labels(day):
                marked.update((indicator, label) for indicator in indicators)
        return marked

    async def flush(self, conn: Connection, debounce_seconds: float) -> None:
        """Mark the touched tables dirty (sorted, so concurrent batches lock in one order)."""
        marked = sorted(self.all())
        if marked:
            await conn.execute(
                _MARK, [m[0] for m in marked], [m[1] for m in marked], debounce_seconds
            )
