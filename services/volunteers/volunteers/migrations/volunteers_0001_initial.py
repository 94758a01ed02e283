"""Root of the volunteers branch: the service's own tables follow in later revisions.

Revision ID: volunteers_0001
Revises:
"""

revision = "volunteers_0001"
down_revision = None
branch_labels = ("volunteers",)
depends_on = "plumbing_0001"


def upgrade() -> None:
    pass


def downgrade() -> None:
    pass
