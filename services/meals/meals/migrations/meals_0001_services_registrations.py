"""Meal services and served-meal registrations.

Revision ID: meals_0001
Revises:
"""

from alembic import op

revision = "meals_0001"
down_revision = None
branch_labels = ("meals",)
depends_on = "plumbing_0001"


def upgrade() -> None:
    op.execute(
        """
        CREATE TABLE meal_services (
            service_id  uuid PRIMARY KEY,
            centre_id   text NOT NULL,
            kitchen_id  text NOT NULL,
            date        date NOT NULL,
            starts_at   timestamptz NOT NULL,
            capacity    integer NOT NULL CHECK (capacity > 0),
            prices      jsonb NOT NULL,
            dishes      jsonb NOT NULL,
            status      text NOT NULL DEFAULT 'planned'
                        CHECK (status IN ('planned', 'cancelled', 'closed')),
            created_at  timestamptz NOT NULL DEFAULT now()
        );
        CREATE INDEX meal_services_centre_date ON meal_services (centre_id, date);

        CREATE TABLE meal_registrations (
            registration_id  uuid PRIMARY KEY,
            service_id       uuid NOT NULL REFERENCES meal_services,
            tariff           text NOT NULL,
            count            integer NOT NULL CHECK (count > 0),
            takeaway         boolean NOT NULL,
            registered_at    timestamptz NOT NULL DEFAULT now(),
            registered_by    text NOT NULL
        );
        CREATE INDEX meal_registrations_service ON meal_registrations (service_id);
        """
    )


def downgrade() -> None:
    op.execute("DROP TABLE meal_registrations; DROP TABLE meal_services;")
