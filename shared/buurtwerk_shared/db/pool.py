"""asyncpg connection pools with JSON codecs."""

import json
from typing import TypeAlias

import asyncpg
from asyncpg.pool import PoolConnectionProxy

# What handlers and queries receive: a plain connection or one borrowed from a pool.
Connection: TypeAlias = asyncpg.Connection | PoolConnectionProxy


async def _init_connection(conn: asyncpg.Connection) -> None:
    for type_name in ("json", "jsonb"):
        await conn.set_type_codec(
            type_name, encoder=json.dumps, decoder=json.loads, schema="pg_catalog"
        )


# A server that accepts the connection but does not answer (hung, or a broken network in between)
# is given up on after this long, not asyncpg's default of a minute: a request then answers 503.
CONNECT_TIMEOUT_SECONDS = 5.0


async def create_pool(database_url: str, size: int = 10) -> asyncpg.Pool:
    """A pool whose connections read and write json/jsonb as Python objects."""
    pool = await asyncpg.create_pool(
        database_url,
        min_size=1,
        max_size=size,
        init=_init_connection,
        timeout=CONNECT_TIMEOUT_SECONDS,
    )
    assert pool is not None
    return pool
