"""What the HACCP routes share: the callers by role, and a database connection for reads."""

from collections.abc import AsyncIterator
from typing import Annotated

import asyncpg
from fastapi import Depends, Request

from buurtwerk_shared.db.pool import Connection
from buurtwerk_shared.web.auth import Principal, require_role

# Kitchen staff record in their centre's kitchen; coordinators define the checks and read exports;
# analysts read the log (never write it).
Staff = Annotated[Principal, require_role("kitchen_staff", "centre_coordinator")]
Reader = Annotated[Principal, require_role("kitchen_staff", "centre_coordinator", "analyst")]
Coordinator = Annotated[Principal, require_role("centre_coordinator")]


async def _connection(request: Request) -> AsyncIterator[Connection]:
    pool: asyncpg.Pool = request.app.state.pool
    async with pool.acquire() as conn:
        yield conn


Db = Annotated[Connection, Depends(_connection)]
