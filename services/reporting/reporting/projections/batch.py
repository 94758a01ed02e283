"""A batch of received events, grouped by type for one statement per event type."""

from collections import defaultdict
from collections.abc import Callable, Sequence
from typing import Any, TypeVar, cast

from buurtwerk_shared.contracts.envelope import Envelope
from buurtwerk_shared.contracts.events import EventData
from buurtwerk_shared.messaging.consumer import ReceivedEvent

T = TypeVar("T", bound=EventData)


class Batch:
    """The events of one batch by type, in arrival order."""

    def __init__(self, events: Sequence[ReceivedEvent]) -> None:
        self._by_type: defaultdict[str, list[ReceivedEvent]] = defaultdict(list)
        for event in events:
            self._by_type[event.envelope.type].append(event)

    def of(self, event_class: type[T]) -> list[T]:
        """The data of every event of one type."""
        return [cast(T, e.data) for e in self._by_type.get(event_class.event_type, ())]

    def with_envelopes(self, event_class: type[T]) -> list[tuple[Envelope, T]]:
        """Every event of one type with its envelope (for the publication time)."""
        return [
            (e.envelope, cast(T, e.data)) for e in self._by_type.get(event_class.event_type, ())
        ]


K = TypeVar("K")
R = TypeVar("R")


def latest(items: Sequence[R], key: Callable[[R], K], order: Callable[[R], Any]) -> list[R]:
    """One item per key: the greatest by `order`, the later arrival on a tie.

    A set-based upsert (one INSERT of all rows) may not touch a row twice, so a batch that holds
    two versions of the same row keeps the one a row-by-row upsert would have kept.
    """
    chosen: dict[K, tuple[Any, int, R]] = {}
    for index, item in enumerate(items):
        k = key(item)
        candidate = (order(item), index, item)
        if k not in chosen or candidate[:2] >= chosen[k][:2]:
            chosen[k] = candidate
    return [entry[2] for entry in chosen.values()]


def columns(rows: Sequence[tuple[Any, ...]]) -> list[list[Any]]:
    """Rows as one array per column, for a set-based `INSERT ... SELECT FROM unnest(...)`."""
    return [list(column) for column in zip(*rows, strict=True)]
