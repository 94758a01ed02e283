"""An indicator's values for one period: a cell per centre and one for the whole city."""

from dataclasses import dataclass, field

from buurtwerk_shared.contracts.events.reporting import IndicatorValue

# The key of the whole city's cell in a table (centre ids are slugs, never empty).
CITY = ""


@dataclass
class Cell:
    """The raw (unsuppressed) value of one indicator for one centre or the city and period."""

    value: IndicatorValue = None
    breakdown: dict[str, IndicatorValue] = field(default_factory=dict)


# Centre id (or CITY) -> cell. Every reference centre and the city have a cell.
Table = dict[str, Cell]


def empty_table(centres: tuple[str, ...], value: IndicatorValue = None) -> Table:
    """A table with an empty cell for each centre and the city."""
    return {key: Cell(value) for key in (CITY, *centres)}


def ratio(numerator: float, denominator: float) -> float | None:
    """A fraction between 0 and 1, or None without a denominator."""
    return numerator / denominator if denominator else None
