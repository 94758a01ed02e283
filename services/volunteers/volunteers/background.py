"""The years-of-service sweep: anniversaries pass without anyone writing, so the service looks
for them itself, at start-up and then periodically.

It runs in the lifespan of a route-less router, which FastAPI nests inside the service's own
lifespan: the database pool exists before the sweep starts and the sweep stops before the pool
closes. Replicas may sweep at the same time; each milestone is still recorded and announced once.
"""

import asyncio
import contextlib
import logging
from collections.abc import AsyncIterator

import asyncpg
from fastapi import APIRouter, FastAPI

from volunteers.domain.clock import now
from volunteers.domain.milestones import detect_years_milestones

log = logging.getLogger(__name__)


async def sweep_years_milestones(pool: asyncpg.Pool) -> int:
    """Record and announce every years milestone reached by now; how many were new."""
    async with pool.acquire() as conn, conn.transaction():
        return await detect_years_milestones(conn, now())


async def _sweep_forever(pool: asyncpg.Pool, every_seconds: float) -> None:
    while True:
        try:
            found = await sweep_years_milestones(pool)
            if found:
                log.info("years milestones reached: %d", found)
        except (OSError, asyncpg.PostgresError, asyncpg.InterfaceError):
            log.exception("years milestone sweep failed; retrying at the next interval")
        await asyncio.sleep(every_seconds)


def milestone_sweeper(every_seconds: float) -> APIRouter:
    """A router without routes whose lifespan runs the sweep every `every_seconds`."""

    @contextlib.asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        task = asyncio.create_task(
            _sweep_forever(app.state.pool, every_seconds), name="milestone-sweep"
        )
        try:
            yield
        finally:
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await task

    return APIRouter(lifespan=lifespan)
