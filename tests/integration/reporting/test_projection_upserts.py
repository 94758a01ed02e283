"""Each projection's upsert is idempotent and order-independent on its own (without the inbox):
the scenario applied in any order, in any batch sizes, and then again, gives the same tables."""

import random
from typing import Any

import asyncpg

from buurtwerk_shared.messaging.consumer import ReceivedEvent
from buurtwerk_shared.messaging.outbox import envelope_for
from reporting.projections.marks import Marks
from reporting.projections.project import apply
from reporting.rebuild import PROJECTION_TABLES
from reporting.service import definition
from tests.integration.reporting.scenario import march_2026
from tests.support.databases import DatabaseFactory


async def tables(conn: asyncpg.Connection) -> dict[str, list[Any]]:
    """Every projection table's rows, sorted."""
    return {
        table: sorted(map(tuple, await conn.fetch(f"SELECT * FROM {table}")), key=repr)
        for table in PROJECTION_TABLES
        if table != "manual_values"
    }


async def project(conn: asyncpg.Connection, events: list[ReceivedEvent], size: int) -> None:
    for start in range(0, len(events), size):
        async with conn.transaction():
            await apply(conn, events[start : start + size], Marks())


async def test_any_order_any_batches_and_again_give_the_same_tables(
    databases: DatabaseFactory,
) -> None:
    # The envelopes (and their publication times) are fixed once, as in the archive.
    events = [
        ReceivedEvent(envelope_for(event, event_id), event)
        for event, event_id in march_2026().published
    ]
    reference_url = await databases.create(definition().migrations)
    shuffled_url = await databases.create(definition().migrations)
    reference = await asyncpg.connect(reference_url)
    shuffled = await asyncpg.connect(shuffled_url)
    try:
        await project(reference, events, 1)
        expected = await tables(reference)
        assert all(expected[t] for t in ("meal_registrations", "attendances", "desk_contacts"))
        rng = random.Random(7)
        for size in (len(events), 5, 13):
            order = events[:]
            rng.shuffle(order)
            await project(shuffled, order, size)
            assert await tables(shuffled) == expected, f"shuffled, batches of {size}"
    finally:
        await reference.close()
        await shuffled.close()
