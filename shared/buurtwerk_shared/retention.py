"""Retention: personal data is erased when its retention period has passed, by a background task.

A service says how to erase one batch of what has passed retention at a given time: it claims the
people concerned with `SELECT ... FOR UPDATE SKIP LOCKED` and erases each of them with the same
function as an erasure on request, as the system actor `RETENTION_ACTOR`, so the erasure is
audited and announced exactly as one a coordinator asks for. This module runs that batch after
batch, one transaction each, until a batch comes back short, and again every `every_seconds`.
Replicas claim disjoint batches, and someone already erased is no longer a candidate: sweeping
twice, or on two replicas at once, erases nobody twice. The clock is injected, so a test moves
time forward instead of sleeping.
"""

import asyncio
import contextlib
import datetime as dt
import logging
from collections.abc import Awaitable, Callable

import asyncpg

from buurtwerk_shared import clock
from buurtwerk_shared.messaging.consumer import TRANSIENT_ERRORS
from buurtwerk_shared.observability.tracing import continue_trace
from buurtwerk_shared.service.definition import BackgroundContext, BackgroundTask
from buurtwerk_shared.web.auth import ALL_CENTRES, Principal
from buurtwerk_shared.web.writes import WriteContext

log = logging.getLogger(__name__)

# The actor of every erasure the retention rules make, as the audit log names it. It acts for
# the city over every centre, with the powers an administrator has.
RETENTION_ACTOR = Principal(sub="system:retention", role="admin", centres=(ALL_CENTRES,))

Clock = Callable[[], dt.datetime]
# Erase at most `limit` people whose retention has passed at `now`, in the context's open
# transaction; the number erased.
EraseBatch = Callable[[WriteContext, dt.datetime, int], Awaitable[int]]


def system_clock() -> dt.datetime:
    """The real time, in UTC."""
    return clock.now()


async def sweep(pool: asyncpg.Pool, erase_batch: EraseBatch, now: dt.datetime, limit: int) -> int:
    """Erase everyone whose retention has passed at `now`, `limit` per transaction; how many."""
    continue_trace(None)  # the events of one sweep share a fresh trace id
    total = 0
    while True:
        async with pool.acquire() as conn, conn.transaction():
            erased = await erase_batch(WriteContext(conn, RETENTION_ACTOR), now, limit)
        total += erased
        if erased < limit:
            return total


def retention_task(
    erase_batch: EraseBatch,
    *,
    every_seconds: float,
    limit: int,
    clock: Clock = system_clock,
) -> BackgroundTask:
    """A background task that sweeps at start-up and then every `every_seconds`."""

    async def run_retention(context: BackgroundContext) -> None:
        while not context.stopping.is_set():
            try:
                erased = await sweep(context.pool, erase_batch, clock(), limit)
                if erased:
                    log.info("retention: erased the personal data of %d people", erased)
            except TRANSIENT_ERRORS as exc:
                log.warning("retention: database unavailable, retrying later: %r", exc)
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(context.stopping.wait(), every_seconds)

    return run_retention
