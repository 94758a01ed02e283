"""Services close themselves: a background task closes every service whose `closes_at` passed.

The rules already treat such a service as closed from `closes_at` on (the till refuses it); this
task writes it down and announces it exactly as a close at the till does (`close`: the same
`meals.service_closed.v1` with its totals and no-shows, the same audit action), as the system
actor `AUTO_CLOSE_ACTOR`, with `closed_at` set to `closes_at` so that a coordinator's 7 days of
late entries count from then. Replicas claim disjoint batches (`FOR UPDATE SKIP LOCKED`), and a
closed service is no longer a candidate: each service is closed and announced once.
"""

import asyncio
import contextlib
import datetime as dt
import logging

import asyncpg

from buurtwerk_shared.messaging.consumer import TRANSIENT_ERRORS
from buurtwerk_shared.observability.tracing import continue_trace
from buurtwerk_shared.retention import Clock, system_clock
from buurtwerk_shared.service.definition import BackgroundContext, BackgroundTask
from buurtwerk_shared.web.auth import ALL_CENTRES, Principal
from buurtwerk_shared.web.writes import WriteContext
from meals.domain.services import close

log = logging.getLogger(__name__)

# The actor the audit log names for a service that closed itself.
AUTO_CLOSE_ACTOR = Principal(sub="system:auto-close", role="admin", centres=(ALL_CENTRES,))

_DUE = """
SELECT * FROM meal_services
WHERE status = 'planned' AND closes_at <= $1
ORDER BY closes_at, service_id
LIMIT $2
FOR UPDATE SKIP LOCKED
"""


async def close_due_services(pool: asyncpg.Pool, now: dt.datetime, limit: int) -> int:
    """Close every service whose closing time has passed at `now`, `limit` per transaction;
    how many were closed."""
    continue_trace(None)  # the events of one round share a fresh trace id
    total = 0
    while True:
        async with pool.acquire() as conn, conn.transaction():
            services = await conn.fetch(_DUE, now, limit)
            ctx = WriteContext(conn, AUTO_CLOSE_ACTOR)
            for service in services:
                await close(ctx, service, closed_at=service["closes_at"])
        total += len(services)
        if len(services) < limit:
            return total


def auto_close_task(
    *, every_seconds: float, limit: int, clock: Clock = system_clock
) -> BackgroundTask:
    """A background task that closes due services at start-up and then every `every_seconds`."""

    async def close_services_themselves(context: BackgroundContext) -> None:
        while not context.stopping.is_set():
            try:
                closed = await close_due_services(context.pool, clock(), limit)
                if closed:
                    log.info("closed %d meal services whose day is over", closed)
            except TRANSIENT_ERRORS as exc:
                log.warning("auto-close: database unavailable, retrying later: %r", exc)
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(context.stopping.wait(), every_seconds)

    return close_services_themselves
