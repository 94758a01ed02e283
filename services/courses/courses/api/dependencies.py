"""What the courses routes take from the request: callers by role, a connection, pseudonyms."""

from collections.abc import AsyncIterator
from typing import Annotated

import asyncpg
from fastapi import Depends, Request

from buurtwerk_shared.db.pool import Connection
from buurtwerk_shared.pseudonyms import Pseudonymizer
from buurtwerk_shared.web.auth import Principal, require_role
from courses.settings import CoursesSettings

# Course coordinators manage the offer; centre coordinators read their centres' offer and keep
# the welcome-desk and computer-corner tallies; analysts read the offer and the tallies (nothing
# about participants). Admins pass everywhere.
Manager = Annotated[Principal, require_role("course_coordinator")]
Reader = Annotated[Principal, require_role("course_coordinator", "centre_coordinator", "analyst")]
TallyKeeper = Annotated[Principal, require_role("course_coordinator", "centre_coordinator")]


async def _connection(request: Request) -> AsyncIterator[Connection]:
    pool: asyncpg.Pool = request.app.state.pool
    async with pool.acquire() as conn:
        yield conn


async def _settings(request: Request) -> CoursesSettings:
    settings: CoursesSettings = request.app.state.settings
    return settings


async def _pseudonymizer(settings: Annotated[CoursesSettings, Depends(_settings)]) -> Pseudonymizer:
    return Pseudonymizer(settings.pseudonym_secrets)


async def _neighbourhoods(settings: Annotated[CoursesSettings, Depends(_settings)]) -> list[str]:
    return settings.neighbourhoods


Db = Annotated[Connection, Depends(_connection)]
Pseudonyms = Annotated[Pseudonymizer, Depends(_pseudonymizer)]
Neighbourhoods = Annotated[list[str], Depends(_neighbourhoods)]
