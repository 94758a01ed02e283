"""Outbox rows the broker refuses are set aside, so they do not hold up the rows behind them.

Revision ID: plumbing_0006
Revises: plumbing_0005
"""

from alembic import op

revision = "plumbing_0006"
down_revision = "plumbing_0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.execute(
        """
        ALTER TABLE outbox ADD COLUMN refused_at timestamptz, ADD COLUMN refused_reason text;
        DROP INDEX outbox_unpublished;
        CREATE INDEX outbox_unpublished ON outbox (seq)
            WHERE published_at IS NULL AND refused_at IS NULL;
        CREATE INDEX outbox_refused ON outbox (seq) WHERE refused_at IS NOT NULL;
        """
    )


def downgrade() -> None:
    op.execute(
        """
        DROP INDEX outbox_refused;
        DROP INDEX outbox_unpublished;
        CREATE INDEX outbox_unpublished ON outbox (seq) WHERE published_at IS NULL;
        ALTER TABLE outbox DROP COLUMN refused_at, DROP COLUMN refused_reason;
        """
    )
