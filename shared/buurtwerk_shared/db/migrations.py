"""Run a service's migrations with Alembic (run: `python -m <service> migrate`).

Each service has its own database and its own Alembic version directory
(`services/<name>/<name>/migrations/`). The tables every service needs for the plumbing (outbox,
inbox, idempotency keys, audit log) are one more branch, `plumbing`, kept once in this package;
`upgrade heads` brings both branches up to date, in one transaction under a PostgreSQL advisory
lock, so replicas that start together migrate one after the other.
"""

import asyncio
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import asyncpg
from alembic import command
from alembic.config import Config

ALEMBIC_DIR = Path(__file__).with_name("alembic")
PLUMBING_VERSIONS = Path(__file__).with_name("plumbing_versions")
# Any fixed number, the same in every service.
CREATE_DATABASE_LOCK_ID = 72_420_002


def alembic_config(database_url: str, service_versions: Path) -> Config:
    """An Alembic configuration for one service's database, built without an ini file."""
    config = Config()
    config.set_main_option("script_location", str(ALEMBIC_DIR))
    config.set_main_option("path_separator", "os")
    config.set_main_option("version_locations", f"{PLUMBING_VERSIONS}:{service_versions}")
    config.attributes["database_url"] = database_url
    return config


async def ensure_database(database_url: str) -> None:
    """Create the database named in the URL if it does not exist yet."""
    parts = urlsplit(database_url)
    name = parts.path.lstrip("/")
    admin_url = urlunsplit(parts._replace(path="/postgres"))
    conn = await asyncpg.connect(admin_url)
    try:
        # Replicas starting together take turns: two CREATE DATABASE at once fail ("template1
        # is being accessed by other users"). The lock goes with the connection.
        await conn.execute("SELECT pg_advisory_lock($1)", CREATE_DATABASE_LOCK_ID)
        if not await conn.fetchval("SELECT 1 FROM pg_database WHERE datname = $1", name):
            await conn.execute(f'CREATE DATABASE "{name}"')
    finally:
        await conn.close()


def migrate(database_url: str, service_versions: Path) -> None:
    """Create the database if needed and upgrade it to the latest revision of every branch."""
    asyncio.run(ensure_database(database_url))
    command.upgrade(alembic_config(database_url, service_versions), "heads")
