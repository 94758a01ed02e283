"""Replays of the erasures made after a restored backup (`buurtwerk_shared.erasure_replay`).

Revision ID: plumbing_0005
Revises: plumbing_0004
"""

from alembic import op

revision = "plumbing_0005"
down_revision = "plumbing_0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.execute(
        """
        CREATE TABLE erasure_replays (
            id            bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
            since         timestamptz NOT NULL,
            requested_at  timestamptz NOT NULL DEFAULT now(),
            replayed_at   timestamptz,
            replayed      integer
        );
        """
    )


def downgrade() -> None:
    op.execute("DROP TABLE erasure_replays")
