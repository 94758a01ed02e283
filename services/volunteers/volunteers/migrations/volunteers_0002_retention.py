"""Retention: find the volunteers whose personal data is due for erasure without a full scan.

Revision ID: volunteers_0002
Revises: volunteers_0001

The retention sweep (`volunteers.domain.retention`) looks for volunteers not erased and neither
active nor paused, by the time of their last status change.
"""

from alembic import op

revision = "volunteers_0002"
down_revision = "volunteers_0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.execute(
        """
        CREATE INDEX volunteers_retention ON volunteers (status_changed_at)
            WHERE erased_at IS NULL AND status NOT IN ('active', 'paused');
        """
    )


def downgrade() -> None:
    op.execute("DROP INDEX volunteers_retention;")
