"""The totals the demo data adds up to, per indicator and month, for the whole city.

The loader reports them so that whoever checks the demo (the end-to-end test, a curious
developer) can compare them with what reporting shows.
"""

import datetime as dt
from collections import defaultdict


class Figures:
    """Sums per indicator id and month label (`2026-11`)."""

    def __init__(self) -> None:
        self._sums: defaultdict[str, defaultdict[str, float]] = defaultdict(
            lambda: defaultdict(float)
        )

    def add(self, indicator_id: str, day: dt.date, amount: float) -> None:
        """Add an amount to the indicator's total of the day's month."""
        self._sums[indicator_id][f"{day:%Y-%m}"] += amount

    def merge(self, other: "Figures") -> None:
        """Add another set of figures to this one."""
        for indicator_id, months in other._sums.items():
            for month, amount in months.items():
                self._sums[indicator_id][month] += amount

    def as_dict(self) -> dict[str, dict[str, float]]:
        """The sums as plain dictionaries."""
        return {key: dict(sorted(months.items())) for key, months in sorted(self._sums.items())}
