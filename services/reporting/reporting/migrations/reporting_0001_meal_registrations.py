"""Projection of served meals and their corrections.

Revision ID: reporting_0001
Revises:
"""

from alembic import op

revision = "reporting_0001"
down_revision = None
branch_labels = ("reporting",)
depends_on = "plumbing_0001"


def upgrade() -> None:
    op.execute(
        """
        CREATE TABLE meal_registrations (
            registration_id uuid PRIMARY KEY,
            service_id      uuid NOT NULL,
            centre_id       text NOT NULL,
            date            date NOT NULL,
            tariff          text NOT NULL,
            takeaway        boolean NOT NULL,
            count           integer NOT NULL,
            diner_key       text
        );
        CREATE INDEX meal_registrations_centre_date ON meal_registrations (centre_id, date);
        CREATE INDEX meal_registrations_date ON meal_registrations (date);

        -- Kept apart so a correction that arrives before its registration is not lost.
        CREATE TABLE meal_registration_corrections (
            registration_id uuid PRIMARY KEY,
            count           integer NOT NULL,
            corrected_at    timestamptz NOT NULL
        );
        """
    )


def downgrade() -> None:
    op.execute("DROP TABLE meal_registration_corrections; DROP TABLE meal_registrations;")
