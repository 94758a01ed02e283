"""Alembic environment shared by every service: plain SQL migrations, no ORM models.

All pending migrations run in one transaction that holds an advisory lock, so replicas starting
together migrate one after the other and a failed migration leaves nothing half-applied.
"""

from alembic import context
from sqlalchemy import create_engine, text

# Any fixed number: every replica migrating the same database takes the same lock.
MIGRATION_LOCK_ID = 72_420_001


def _sync_url(database_url: str) -> str:
    scheme, rest = database_url.split("://", 1)
    return f"postgresql+psycopg://{rest}" if scheme in ("postgres", "postgresql") else database_url


engine = create_engine(_sync_url(context.config.attributes["database_url"]))
with engine.connect() as connection:
    context.configure(connection=connection, target_metadata=None)
    with context.begin_transaction():
        connection.execute(text(f"SELECT pg_advisory_xact_lock({MIGRATION_LOCK_ID})"))
        context.run_migrations()
engine.dispose()
