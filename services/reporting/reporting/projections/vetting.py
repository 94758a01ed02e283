"""What no schema can say about an event, and reporting knows: refused before it is counted.

- a meal (a service, a registration, a correction, a closing) at a centre without a kitchen, by
  the reference data: no kitchen, no meals;
- a session (scheduled, cancelled, held) of an activity reporting never saw published, before
  or in the same batch: the courses service publishes an activity before any of its sessions.
  Attendances are not refused so: they may come before their activity's late publication, and
  land where their activity is once it arrives.

The live consumer dead-letters what is refused, with the reason (`centre_without_kitchen`,
`unknown_activity`), and applies the rest; a rebuild skips it likewise. Replayed from the DLQ once
the rule is met (the activity arrived late), such an event is applied. A set lookup per event and
one query per batch that holds sessions: the projection's speed stays where it was.
"""

from collections.abc import Sequence
from functools import cache
from uuid import UUID

from buurtwerk_shared.contracts.events.courses import (
    ActivityPublishedV1,
    SessionCancelledV1,
    SessionHeldV1,
    SessionScheduledV1,
)
from buurtwerk_shared.contracts.events.meals import (
    MealRegistrationCorrectedV1,
    MealServedV1,
    ServiceCancelledV1,
    ServiceChangedV1,
    ServiceClosedV1,
    ServicePlannedV1,
)
from buurtwerk_shared.db.pool import Connection
from buurtwerk_shared.messaging.consumer import InvalidMessage, ReceivedEvent
from buurtwerk_shared.reference import reference_data

_MEALS = (
    ServicePlannedV1,
    ServiceChangedV1,
    ServiceCancelledV1,
    MealServedV1,
    MealRegistrationCorrectedV1,
    ServiceClosedV1,
)
_SESSIONS = (SessionScheduledV1, SessionCancelledV1, SessionHeldV1)
_KNOWN_ACTIVITIES = "SELECT activity_id FROM activities WHERE activity_id = ANY($1::uuid[])"


@cache
def _centres_with_a_kitchen() -> frozenset[str]:
    return frozenset(kitchen.centre for kitchen in reference_data().kitchens)


async def refusals(conn: Connection, events: Sequence[ReceivedEvent]) -> dict[UUID, InvalidMessage]:
    """The events of a batch that reporting refuses, by event id, with the reason."""
    refused: dict[UUID, InvalidMessage] = {}
    kitchens = _centres_with_a_kitchen()
    activities: dict[UUID, list[ReceivedEvent]] = {}
    published: set[UUID] = set()
    for event in events:
        data = event.data
        if isinstance(data, _MEALS) and data.centre_id not in kitchens:
            refused[event.envelope.id] = InvalidMessage(
                "centre_without_kitchen",
                f"'{event.envelope.type}' at centre '{data.centre_id}', which has no kitchen",
            )
        elif isinstance(data, _SESSIONS):
            activities.setdefault(data.activity_id, []).append(event)
        elif isinstance(data, ActivityPublishedV1):
            published.add(data.activity_id)
    unseen = [activity for activity in activities if activity not in published]
    if unseen:
        known = {row["activity_id"] for row in await conn.fetch(_KNOWN_ACTIVITIES, unseen)}
        for activity in unseen:
            if activity in known:
                continue
            for event in activities[activity]:
                refused[event.envelope.id] = InvalidMessage(
                    "unknown_activity",
                    f"'{event.envelope.type}' of activity {activity}, never published",
                )
    return refused
