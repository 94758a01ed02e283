"""Voided events (`operations.events_voided.v1`): recorded, and kept out of the projections.

A void names events that already reached the archive and may already be counted. The live
consumer records the ids and from then on skips those events (a replay, a late copy); what they
already contributed is taken out by a rebuild from the archive that skips every voided id
(`reporting.void_rebuilds`), swapped in at once for every projection table. Recomputing rather
than subtracting: a forged event may have moved state that is not a sum (a first meal, the latest
correction, a day total), and only a replay without it gives what the figures would have been.
"""

from collections.abc import Sequence
from uuid import UUID

from buurtwerk_shared.contracts.events.operations import EventsVoidedV1
from buurtwerk_shared.db.pool import Connection
from buurtwerk_shared.messaging.consumer import ReceivedEvent

_RECORD = """
INSERT INTO voided_events (event_id, void_id, voided_at)
SELECT unnest($1::uuid[]), $2, $3
ON CONFLICT (event_id) DO NOTHING
"""
_VOIDED_AMONG = "SELECT event_id FROM voided_events WHERE event_id = ANY($1::uuid[])"


async def record(conn: Connection, voids: Sequence[EventsVoidedV1]) -> None:
    """Record the ids every void names (a void applied twice changes nothing)."""
    for void in voids:
        await conn.execute(_RECORD, void.event_ids, void.void_id, void.voided_at)


async def without_voided(conn: Connection, events: Sequence[ReceivedEvent]) -> list[ReceivedEvent]:
    """Record the batch's voids; the batch's other events less those voided (one query)."""
    voids = [e.data for e in events if isinstance(e.data, EventsVoidedV1)]
    await record(conn, voids)
    others = [e for e in events if not isinstance(e.data, EventsVoidedV1)]
    if not others:
        return []
    voided = {
        row["event_id"] for row in await conn.fetch(_VOIDED_AMONG, [e.envelope.id for e in others])
    }
    return [e for e in others if e.envelope.id not in voided]


async def pending_and_done(conn: Connection) -> tuple[set[UUID], set[UUID]]:
    """Every voided id: those no rebuild has taken out yet, and those already taken out."""
    pending: set[UUID] = set()
    done: set[UUID] = set()
    for row in await conn.fetch("SELECT event_id, taken_out FROM voided_events"):
        (done if row["taken_out"] else pending).add(row["event_id"])
    return pending, done


async def mark_taken_out(conn: Connection, event_ids: set[UUID]) -> None:
    """The voids a swapped-in rebuild skipped from the first event on."""
    if event_ids:
        await conn.execute(
            "UPDATE voided_events SET taken_out = true WHERE event_id = ANY($1::uuid[])",
            list(event_ids),
        )
