"""Helpers to turn grouped query rows into an indicator table."""

from collections.abc import Iterable

import asyncpg

from reporting.indicators.table import CITY, Cell, Table, empty_table


def zero_table(centres: tuple[str, ...]) -> Table:
    """A table where every centre and the city start at 0."""
    return empty_table(centres, 0)


def cell(table: Table, centre: str | None) -> Cell:
    """The cell of a centre (None or CITY for the city), added if the centre is new."""
    key = CITY if centre is None else centre
    if key not in table:
        table[key] = Cell(0)
    return table[key]


def city_row(row: asyncpg.Record) -> bool:
    """Whether a row of a `GROUPING SETS ((centre_id, ...), (...))` query is the city's."""
    return bool(row["city"])


def add(table: Table, centre: str, key: str | None, amount: float) -> None:
    """Add to a centre's value (key None) or breakdown key, and to the city's."""
    for target in {centre, CITY}:
        c = cell(table, target)
        if key is None:
            c.value = _num(c.value) + amount
        else:
            c.breakdown[key] = _num(c.breakdown.get(key)) + amount


def _num(value: object) -> float:
    return value if isinstance(value, int | float) else 0


def sums(table: Table, rows: Iterable[asyncpg.Record], key_of: str | None, prefix: str) -> None:
    """Add rows of (centre_id, [key column], n) to the values and `prefix:key` breakdowns."""
    for row in rows:
        add(table, row["centre_id"], None, row["n"])
        if key_of is not None:
            add(table, row["centre_id"], f"{prefix}:{row[key_of]}", row["n"])
