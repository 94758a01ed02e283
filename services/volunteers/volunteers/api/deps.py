"""What the routes share: the callers they accept and a database connection for reads."""

from collections.abc import AsyncIterator
from typing import Annotated

import asyncpg
from fastapi import Depends, Request

from buurtwerk_shared.db.pool import Connection
from buurtwerk_shared.web.auth import Principal, require_role

Coordinator = Annotated[Principal, require_role("volunteer_coordinator")]
# What holds nothing about a person (shifts and their staffing, roles, caps): analysts read it too.
PlanReader = Annotated[Principal, require_role("volunteer_coordinator", "analyst")]
Notifier = Annotated[Principal, require_role("notifier")]


async def _connection(request: Request) -> AsyncIterator[Connection]:
    pool: asyncpg.Pool = request.app.state.pool
    async with pool.acquire() as conn:
        yield conn


Db = Annotated[Connection, Depends(_connection)]
