"""Liveness and readiness: ready only when the database and the broker answer.

Both answer HEAD too: load balancers and uptime checkers often probe with it.
"""

import asyncio

import asyncpg
from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse
from faststream.rabbit import RabbitBroker

router = APIRouter(prefix="/health", tags=["health"])

CHECK_TIMEOUT_SECONDS = 2.0


@router.get("/live", summary="The process is running")
@router.head("/live", summary="The process is running")
async def live() -> dict[str, str]:
    """Always 200 while the process serves HTTP."""
    return {"status": "ok"}


@router.get("/ready", summary="The database and the broker answer")
@router.head("/ready", summary="The database and the broker answer")
async def ready(request: Request) -> JSONResponse:
    """200 when PostgreSQL and RabbitMQ both answer within two seconds, else 503."""
    pool: asyncpg.Pool = request.app.state.pool
    broker: RabbitBroker = request.app.state.broker
    checks = {"database": False, "broker": False}
    try:
        async with asyncio.timeout(CHECK_TIMEOUT_SECONDS), pool.acquire() as conn:
            checks["database"] = await conn.fetchval("SELECT true")
    except (OSError, TimeoutError, asyncpg.PostgresError, asyncpg.InterfaceError):
        pass
    checks["broker"] = await broker.ping(timeout=CHECK_TIMEOUT_SECONDS)
    ok = all(checks.values())
    return JSONResponse(
        {"status": "ready" if ok else "unavailable", "checks": checks},
        status_code=200 if ok else 503,
    )
