"""The audit log is read over HTTP: an index per filter, and no truncation either.

Revision ID: plumbing_0003
Revises: plumbing_0002
"""

from alembic import op

revision = "plumbing_0003"
down_revision = "plumbing_0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.execute(
        """
        CREATE INDEX audit_log_actor ON audit_log (actor, at);
        CREATE INDEX audit_log_action ON audit_log (action, at);

        -- Row triggers do not see TRUNCATE: refuse it with a statement trigger.
        CREATE TRIGGER audit_log_no_truncate BEFORE TRUNCATE ON audit_log
            FOR EACH STATEMENT EXECUTE FUNCTION audit_log_append_only();
        """
    )


def downgrade() -> None:
    op.execute(
        """
        DROP TRIGGER audit_log_no_truncate ON audit_log;
        DROP INDEX audit_log_action;
        DROP INDEX audit_log_actor;
        """
    )
