"""Root of the courses branch: the service's own tables follow in later revisions.

Revision ID: courses_0001
Revises:
"""

revision = "courses_0001"
down_revision = None
branch_labels = ("courses",)
depends_on = "plumbing_0001"


def upgrade() -> None:
    pass


def downgrade() -> None:
    pass
