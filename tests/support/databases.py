"""Throw-away databases: one migrated template per service, a fresh copy per test."""

import asyncio
import secrets
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import asyncpg

from buurtwerk_shared.db.migrations import migrate


async def tables_holding(conn: asyncpg.Connection, needles: list[str]) -> dict[str, list[str]]:
    """Which tables of a database still hold any of the strings, in any column (any case)."""
    found: dict[str, list[str]] = {}
    tables = await conn.fetch(
        "SELECT table_name FROM information_schema.tables "
        "WHERE table_schema = 'public' AND table_type = 'BASE TABLE'"
    )
    for table in tables:
        name = table["table_name"]
        for needle in needles:
            hits = await conn.fetchval(
                f'SELECT count(*) FROM "{name}" t WHERE t::text ILIKE $1', f"%{needle}%"
            )
            if hits:
                found.setdefault(name, []).append(needle)
    return found


DROP_CONCURRENCY = 8


def database_url(admin_url: str, name: str) -> str:
    """The URL of database `name` on the server of `admin_url`."""
    return urlunsplit(urlsplit(admin_url)._replace(path=f"/{name}"))


class DatabaseFactory:
    """Creates databases for tests and drops every one of them at the end."""

    def __init__(self, admin_url: str) -> None:
        self._admin_url = admin_url
        self._templates: dict[Path, str] = {}
        self._created: list[str] = []
        self._run = secrets.token_hex(3)

    async def _execute(self, sql: str) -> None:
        conn = await asyncpg.connect(self._admin_url)
        try:
            await conn.execute(sql)
        finally:
            await conn.close()

    async def _template(self, migrations: Path) -> str:
        if migrations not in self._templates:
            name = f"bw_tmpl_{migrations.parent.name}_{self._run}"
            self._created.append(name)
            # Alembic runs its own event loop: give it a thread.
            await asyncio.to_thread(migrate, database_url(self._admin_url, name), migrations)
            self._templates[migrations] = name
        return self._templates[migrations]

    async def create(self, migrations: Path) -> str:
        """A fresh, migrated database for the service whose migrations are given."""
        template = await self._template(migrations)
        name = f"bw_test_{secrets.token_hex(6)}"
        await self._execute(f'CREATE DATABASE "{name}" TEMPLATE "{template}"')
        self._created.append(name)
        return database_url(self._admin_url, name)

    async def drop_all(self) -> None:
        """Drop every database this factory created, templates last, several at a time.

        One `DROP DATABASE` waits a good part of its ~0.1-0.25 s on the server rather than working;
        one after the other, the few hundred of a run took one to two minutes.
        """
        templates = set(self._templates.values())
        slots = asyncio.Semaphore(DROP_CONCURRENCY)

        async def drop(name: str) -> None:
            async with slots:
                await self._execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')

        await asyncio.gather(*(drop(n) for n in self._created if n not in templates))
        await asyncio.gather(*(drop(n) for n in templates))
        self._created.clear()
        self._templates.clear()
