"""Activities changed after publishing: the time of the latest change applied, so that a change
arriving late (or the publication redelivered) never overwrites a later one.

Revision ID: reporting_0003_activity_changes
Revises: reporting_0002
"""

from alembic import op

revision = "reporting_0003_activity_changes"
down_revision = "reporting_0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.execute("ALTER TABLE activities ADD COLUMN changed_at timestamptz")


def downgrade() -> None:
    op.execute("ALTER TABLE activities DROP COLUMN changed_at")
