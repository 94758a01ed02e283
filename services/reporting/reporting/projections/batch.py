"""A batch of received events, grouped by type for one statement per event type."""

from collections import defaultdict
from collections.abc import Sequence
from typing import TypeVar, cast

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
