"""Stored idempotent responses expire: a background task deletes those older than the period.

A key and its response (`buurtwerk_shared.web.writes`) are kept for
`<SERVICE>_IDEMPOTENCY_KEEP_DAYS` (default 7: longer than any till stays offline before it sends
its queue again); after that a retry with the same key is a new request. The task deletes in
batches, one short transaction each, at start-up and then every
`<SERVICE>_IDEMPOTENCY_SWEEP_SECONDS`. Replicas may sweep at the same time: a row is deleted once.
The clock is injected, as for the retention sweep.
"""

import asyncio
import contextlib
import datetime as dt
import logging

import asyncpg

from buurtwerk_shared.messaging.consumer import TRANSIENT_ERRORS
from buurtwerk_shared.retention import Clock, system_clock
from buurtwerk_shared.service.definition import BackgroundContext, BackgroundTask

log = logging.getLogger(__name__)

BATCH = 1000
_EXPIRE = """
DELETE FROM idempotency_keys WHERE ctid = ANY(ARRAY(
    SELECT ctid FROM idempotency_keys WHERE created_at < $1 LIMIT $2
))
"""


async def expire(pool: asyncpg.Pool, before: dt.datetime) -> int:
    """Delete every stored key and response made before `before`; how many."""
    total = 0
    while True:
        async with pool.acquire() as conn:
            status: str = await conn.execute(_EXPIRE, before, BATCH)
        deleted = int(status.split()[-1])
        total += deleted
        if deleted < BATCH:
            return total


def expiry_task(
    keep: dt.timedelta, every_seconds: float, clock: Clock = system_clock
) -> BackgroundTask:
    """A background task that expires stored responses older than `keep`, at start-up and then
    every `every_seconds`."""

    async def expire_idempotent_responses(context: BackgroundContext) -> None:
        while not context.stopping.is_set():
            try:
                deleted = await expire(context.pool, clock() - keep)
                if deleted:
                    log.info("idempotency: %d stored responses expired", deleted)
            except TRANSIENT_ERRORS as exc:
                log.warning("idempotency: database unavailable, retrying later: %r", exc)
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(context.stopping.wait(), every_seconds)

    return expire_idempotent_responses
