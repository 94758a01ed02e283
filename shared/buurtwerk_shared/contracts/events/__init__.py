"""Every public event type, by its CloudEvents `type` (which is also its routing key)."""

from buurtwerk_shared.contracts.events import courses, meals, operations, reporting, volunteers
from buurtwerk_shared.contracts.events.base import EventData

_MODULES = (meals, volunteers, courses, reporting, operations)

EVENT_TYPES: dict[str, type[EventData]] = {
    cls.event_type: cls
    for module in _MODULES
    for cls in vars(module).values()
    if isinstance(cls, type) and issubclass(cls, EventData) and "event_type" in vars(cls)
}


def events_of(source: str) -> list[type[EventData]]:
    """The event types one service publishes, in catalogue order."""
    return [cls for cls in EVENT_TYPES.values() if cls.source == source]


__all__ = ["EVENT_TYPES", "EventData", "events_of"]
