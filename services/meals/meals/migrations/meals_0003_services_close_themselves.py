"""Services close themselves (`closes_at`); the device time of a tap at the till (`tapped_at`).

Revision ID: meals_0003
Revises: meals_0002
"""

from alembic import op

revision = "meals_0003"
down_revision = "meals_0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.execute(
        """
        -- Set when a service is planned, from the closing time then configured. Services planned
        -- before this revision close themselves at midnight (Brussels) after their day, or after
        -- the day they were planned if that was later.
        ALTER TABLE meal_services ADD COLUMN closes_at timestamptz;
        UPDATE meal_services
        SET closes_at = ((greatest(date, (created_at AT TIME ZONE 'Europe/Brussels')::date) + 1)
                         + time '00:00') AT TIME ZONE 'Europe/Brussels';
        ALTER TABLE meal_services ALTER COLUMN closes_at SET NOT NULL;
        CREATE INDEX meal_services_closing ON meal_services (closes_at) WHERE status = 'planned';

        -- The device's clock when the tap was made (it may be off, and it may be long before the
        -- tap reached the service): kept beside registered_at and corrected_at, the service's.
        ALTER TABLE meal_registrations ADD COLUMN tapped_at timestamptz;
        ALTER TABLE meal_registration_corrections ADD COLUMN tapped_at timestamptz;
        """
    )


def downgrade() -> None:
    op.execute(
        """
        ALTER TABLE meal_registration_corrections DROP COLUMN tapped_at;
        ALTER TABLE meal_registrations DROP COLUMN tapped_at;
        DROP INDEX meal_services_closing;
        ALTER TABLE meal_services DROP COLUMN closes_at;
        """
    )
