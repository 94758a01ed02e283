"""Pseudonyms: stable random keys for people, found again through a keyed hash.

Revision ID: plumbing_0002
Revises: plumbing_0001
"""

from alembic import op

revision = "plumbing_0002"
down_revision = "plumbing_0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.execute(
        """
        CREATE TABLE pseudonyms (
            kind        text NOT NULL,
            lookup      bytea NOT NULL,
            key         text NOT NULL,
            created_at  timestamptz NOT NULL DEFAULT now(),
            PRIMARY KEY (kind, lookup)
        );
        CREATE INDEX pseudonyms_key ON pseudonyms (kind, key);
        """
    )


def downgrade() -> None:
    op.execute("DROP TABLE pseudonyms;")
