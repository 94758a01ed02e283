"""Searching what a run left behind for personal data: the broker traffic, the databases, the logs.

A privacy test captures every message published in its namespace (a queue bound to `#` on the
events exchange), dumps databases as text and reads the services' logs, then looks for every form
a personal value could take there.
"""

import contextlib
import re
from collections.abc import AsyncIterator, Iterable

import aio_pika
import asyncpg
from aio_pika.abc import AbstractIncomingMessage

from tests.support.broker import BrokerNamespace, collect


@contextlib.asynccontextmanager
async def broker_traffic(
    namespace: BrokerNamespace,
) -> AsyncIterator[list[AbstractIncomingMessage]]:
    """Every message published to the namespace's events exchange while the context is open (the
    exchange must exist: start a service first)."""
    connection = await aio_pika.connect_robust(namespace.amqp_url)
    try:
        channel = await connection.channel()
        probe = await channel.declare_queue(namespace.name("probe.everything"), durable=True)
        await probe.bind(namespace.topology.events_exchange.name, routing_key="#")
        async with collect(connection, probe.name) as published:
            yield published
        await channel.close()
    finally:
        await connection.close()


def message_texts(messages: Iterable[AbstractIncomingMessage]) -> str:
    """The messages as text: routing key, body, headers (CloudEvents attributes) and message id."""
    return "\n".join(
        f"{m.routing_key} {m.body.decode()} {m.headers!r} {m.message_id!r}" for m in messages
    )


async def database_dump(url: str) -> str:
    """Every row of every table of a database, as text."""
    conn = await asyncpg.connect(url)
    try:
        tables = await conn.fetch(
            "SELECT table_name FROM information_schema.tables "
            "WHERE table_schema = 'public' AND table_type = 'BASE TABLE'"
        )
        dump: list[str] = []
        for table in tables:
            rows = await conn.fetch(f'SELECT t::text AS row FROM "{table["table_name"]}" t')
            dump.extend(f"{table['table_name']}: {row['row']}" for row in rows)
        return "\n".join(dump)
    finally:
        await conn.close()


def forms_of(value: str) -> list[str]:
    """Every form a typed value (a card or phone number, a name) could take in stored or logged
    text: as typed, without separators, in upper and lower case, with dashes for spaces, and JSON's
    escape of a non-ASCII letter."""
    bare = re.sub(r"[^0-9A-Za-z]", "", value)
    escaped = value.encode("ascii", "backslashreplace").decode().replace("\\x", "\\u00")
    forms = [value, bare, bare.upper(), bare.lower(), value.replace(" ", "-"), escaped]
    return list(dict.fromkeys(form for form in forms if len(form) >= 4))


def leaks(texts: dict[str, str], values: Iterable[str]) -> list[str]:
    """Where any form of any value appears (case-insensitively), as `'form' in where`."""
    found = []
    for value in values:
        for form in forms_of(value):
            for where, text in texts.items():
                if form.lower() in text.lower():
                    found.append(f"{form!r} in {where}")
    return found
