"""Stored idempotent responses expire: an index to find the old ones.

Revision ID: plumbing_0004
Revises: plumbing_0003
"""

from alembic import op

revision = "plumbing_0004"
down_revision = "plumbing_0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.execute("CREATE INDEX idempotency_keys_created_at ON idempotency_keys (created_at)")


def downgrade() -> None:
    op.execute("DROP INDEX idempotency_keys_created_at")
