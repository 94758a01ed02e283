"""Small-count suppression of everything the service publishes.

Primary: a person count `n` with 0 < n < threshold is withheld (zero reveals nobody and is
published). Secondary, so that no withheld cell can be recomputed from what is published:
- within a cell, when exactly one non-zero count of a breakdown group (`target_group:*`, ...)
  is withheld while the cell's total is published, the smallest other non-zero count of the group
  is withheld too (or else the total);
- across the table, when exactly one centre's count is withheld while the city's is published,
  the smallest other non-zero centre count is withheld too (or else the city's);
- when a cell's total is withheld, so are its breakdown groups; a share derived from a withheld
  count is withheld with it.
The rules repeat until nothing changes. Choices are deterministic (smallest value, then name),
so a table gets the same pattern each time it is computed.
"""

from dataclasses import dataclass

from buurtwerk_shared.contracts.events.reporting import IndicatorValue
from reporting.catalogue.plan import Indicator
from reporting.indicators.table import CITY, Table

# A field of a cell: "" is the value, otherwise a breakdown key.
VALUE = ""


@dataclass(frozen=True)
class PublishedCell:
    """A cell as it may leave the service."""

    value: IndicatorValue
    suppressed: bool
    breakdown: dict[str, IndicatorValue]


def _number(value: IndicatorValue) -> float | None:
    return value if isinstance(value, int | float) and not isinstance(value, bool) else None


def _get(table: Table, centre: str, field: str) -> float | None:
    cell = table[centre]
    return _number(cell.value if field == VALUE else cell.breakdown.get(field))


def _person_fields(indicator: Indicator, table: Table, centre: str) -> list[str]:
    fields = [VALUE] if indicator.persons else []
    for key in sorted(table[centre].breakdown):
        entry = indicator.breakdown_entry(key)
        if entry is not None and entry.persons:
            fields.append(key)
    return fields


def _groups(indicator: Indicator, table: Table, centre: str) -> list[list[str]]:
    groups: list[list[str]] = []
    for entry in indicator.breakdown:
        if entry.persons and entry.group is not None:
            keys = sorted(k for k in table[centre].breakdown if entry.matches(k))
            if keys:
                groups.append(keys)
    return groups


def _smallest(candidates: list[tuple[float, str]]) -> str | None:
    return min(candidates)[1] if candidates else None


def suppress(indicator: Indicator, table: Table, threshold: int) -> dict[str, PublishedCell]:
    """The publishable form of an indicator's table for one period."""
    hidden: set[tuple[str, str]] = set()
    for centre in table:
        for field in _person_fields(indicator, table, centre):
            n = _get(table, centre, field)
            if n is not None and 0 < n < threshold:
                hidden.add((centre, field))
    centres = [key for key in table if key != CITY]
    changed = True
    while changed:
        before = len(hidden)
        for centre in table:
            _secondary_within_cell(indicator, table, centre, hidden)
        if CITY in table:
            fields = {f for c in table for f in _person_fields(indicator, table, c)}
            for field in sorted(fields):
                _secondary_across_centres(table, centres, field, hidden)
        changed = len(hidden) != before
    return {centre: _published(indicator, table, centre, hidden) for centre in table}


def _secondary_within_cell(
    indicator: Indicator, table: Table, centre: str, hidden: set[tuple[str, str]]
) -> None:
    total_hidden = (centre, VALUE) in hidden
    for keys in _groups(indicator, table, centre):
        if total_hidden:
            hidden.update((centre, key) for key in keys if _get(table, centre, key))
            continue
        nonzero = [k for k in keys if _get(table, centre, k)]
        withheld = [k for k in nonzero if (centre, k) in hidden]
        if len(withheld) != 1:
            continue
        choice = _smallest(
            [(_get(table, centre, k) or 0, k) for k in nonzero if (centre, k) not in hidden]
        )
        if choice is not None:
            hidden.add((centre, choice))
        elif indicator.persons:
            hidden.add((centre, VALUE))


def _secondary_across_centres(
    table: Table, centres: list[str], field: str, hidden: set[tuple[str, str]]
) -> None:
    if (CITY, field) in hidden or _get(table, CITY, field) is None:
        return
    nonzero = [c for c in centres if _get(table, c, field)]
    withheld = [c for c in nonzero if (c, field) in hidden]
    if len(withheld) != 1:
        return
    choice = _smallest(
        [(_get(table, c, field) or 0, c) for c in nonzero if (c, field) not in hidden]
    )
    hidden.add((choice, field) if choice is not None else (CITY, field))


def _published(
    indicator: Indicator, table: Table, centre: str, hidden: set[tuple[str, str]]
) -> PublishedCell:
    cell = table[centre]
    value_hidden = (centre, VALUE) in hidden
    breakdown: dict[str, IndicatorValue] = {}
    for key, value in cell.breakdown.items():
        entry = indicator.breakdown_entry(key)
        derived_hidden = (
            entry is not None
            and entry.derived_from is not None
            and (value_hidden or (centre, entry.derived_from) in hidden)
        )
        breakdown[key] = None if (centre, key) in hidden or derived_hidden else value
    return PublishedCell(
        value=None if value_hidden else cell.value, suppressed=value_hidden, breakdown=breakdown
    )
