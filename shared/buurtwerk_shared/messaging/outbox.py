"""Writing events into the transactional outbox, in the caller's database transaction."""

from uuid import UUID, uuid4

from buurtwerk_shared import clock
from buurtwerk_shared.contracts.envelope import Envelope
from buurtwerk_shared.contracts.events import EventData
from buurtwerk_shared.db.pool import Connection
from buurtwerk_shared.observability.tracing import current_traceparent

OUTBOX_COLUMNS = (
    "event_id",
    "event_type",
    "source",
    "subject",
    "occurred_at",
    "traceparent",
    "data",
)
_INSERT = """
INSERT INTO outbox (event_id, event_type, source, subject, occurred_at, traceparent, data)
VALUES ($1, $2, $3, $4, $5, $6, $7)
ON CONFLICT (event_id) DO NOTHING
"""


def envelope_for(event: EventData, event_id: UUID | None = None) -> Envelope:
    """The CloudEvents envelope of an event emitted now, in the current trace."""
    return Envelope(
        id=event_id or uuid4(),
        source=event.source,
        type=event.event_type,
        time=clock.now(),
        subject=event.subject(),
        traceparent=current_traceparent(),
    )


def outbox_row(envelope: Envelope, event: EventData) -> tuple[object, ...]:
    """The values of an event's outbox row, in the order of `OUTBOX_COLUMNS`."""
    return (
        envelope.id,
        envelope.type,
        envelope.source,
        envelope.subject,
        envelope.time,
        envelope.traceparent,
        event.to_json(),
    )


async def emit(conn: Connection, event: EventData, event_id: UUID | None = None) -> UUID:
    """Add an event to the outbox; it is published only if the caller's transaction commits.

    Pass `event_id` for facts that must be published once whoever emits them (a deterministic
    id: a second emit of the same id is ignored).
    """
    envelope = envelope_for(event, event_id)
    await conn.execute(_INSERT, *outbox_row(envelope, event))
    return envelope.id
