"""Events an operator voided (`operations.events_voided.v1`): never counted, skipped by rebuilds.

Revision ID: reporting_0004
Revises: reporting_0003_activity_changes

Not a projection table: it survives every rebuild, which reads it before the archive. A void
is taken out of the projections by a rebuild; `taken_out` says that one has swapped in since.
"""

from alembic import op

revision = "reporting_0004"
down_revision = "reporting_0003_activity_changes"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.execute(
        """
        CREATE TABLE voided_events (
            event_id    uuid PRIMARY KEY,
            void_id     uuid NOT NULL,
            voided_at   timestamptz NOT NULL,
            taken_out   boolean NOT NULL DEFAULT false
        );
        CREATE INDEX voided_events_pending ON voided_events (event_id) WHERE NOT taken_out;
        """
    )


def downgrade() -> None:
    op.execute("DROP TABLE voided_events")
