"""Shift changes: a shift not yet started can be cancelled (it stays, marked, with who did it).

Revision ID: volunteers_0003
Revises: volunteers_0002
"""

from alembic import op

revision = "volunteers_0003"
down_revision = "volunteers_0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.execute(
        """
        ALTER TABLE shifts
            ADD COLUMN cancelled_at timestamptz,
            ADD COLUMN cancelled_by text,
            ADD CONSTRAINT shifts_cancelled_by
                CHECK ((cancelled_at IS NULL) = (cancelled_by IS NULL));
        """
    )


def downgrade() -> None:
    op.execute(
        "ALTER TABLE shifts DROP CONSTRAINT shifts_cancelled_by, "
        "DROP COLUMN cancelled_by, DROP COLUMN cancelled_at;"
    )
