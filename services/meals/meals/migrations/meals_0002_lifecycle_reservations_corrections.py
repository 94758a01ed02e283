"""Service lifecycle (cancel, close), reservations, corrections, prices kept per registration.

Revision ID: meals_0002
Revises: meals_0001
"""

from alembic import op

revision = "meals_0002"
down_revision = "meals_0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.execute(
        """
        ALTER TABLE meal_services
            ADD COLUMN reservations   boolean NOT NULL DEFAULT false,
            ADD COLUMN cancel_reason  text,
            ADD COLUMN cancelled_at   timestamptz,
            ADD COLUMN closed_at      timestamptz,
            ADD COLUMN updated_at     timestamptz NOT NULL DEFAULT now(),
            ADD CONSTRAINT meal_services_cancelled
                CHECK ((status = 'cancelled') = (cancelled_at IS NOT NULL)),
            ADD CONSTRAINT meal_services_closed
                CHECK ((status = 'closed') = (closed_at IS NOT NULL));
        -- A kitchen cannot serve two services starting at the same moment: a second one is a
        -- plan entered twice.
        CREATE UNIQUE INDEX meal_services_kitchen_start
            ON meal_services (kitchen_id, starts_at) WHERE status <> 'cancelled';
        CREATE INDEX meal_services_date ON meal_services (date);

        CREATE TABLE meal_reservations (
            reservation_id  uuid PRIMARY KEY,
            service_id      uuid NOT NULL REFERENCES meal_services,
            seats           integer NOT NULL CHECK (seats > 0),
            diner_key       text,
            status          text NOT NULL DEFAULT 'active'
                            CHECK (status IN ('active', 'cancelled')),
            made_at         timestamptz NOT NULL DEFAULT now(),
            made_by         text NOT NULL,
            cancelled_at    timestamptz,
            cancelled_by    text,
            CHECK ((status = 'cancelled') = (cancelled_at IS NOT NULL))
        );
        CREATE INDEX meal_reservations_service ON meal_reservations (service_id);
        CREATE UNIQUE INDEX meal_reservations_one_per_diner
            ON meal_reservations (service_id, diner_key)
            WHERE status = 'active' AND diner_key IS NOT NULL;

        -- The price is kept with the registration: the cash report stays right when a price
        -- changes during the service. current_count is the count after the latest correction.
        ALTER TABLE meal_registrations
            ADD COLUMN unit_price            integer,
            ADD COLUMN current_count         integer,
            ADD COLUMN diner_key             text,
            ADD COLUMN reservation_id        uuid REFERENCES meal_reservations,
            ADD COLUMN late                  boolean NOT NULL DEFAULT false,
            ADD COLUMN over_capacity_reason  text;
        UPDATE meal_registrations r
        SET unit_price = (s.prices ->> r.tariff)::integer, current_count = r.count
        FROM meal_services s WHERE s.service_id = r.service_id;
        ALTER TABLE meal_registrations
            ALTER COLUMN unit_price SET NOT NULL,
            ALTER COLUMN current_count SET NOT NULL,
            ADD CONSTRAINT meal_registrations_unit_price CHECK (unit_price >= 0),
            ADD CONSTRAINT meal_registrations_current_count CHECK (current_count >= 0);
        CREATE INDEX meal_registrations_reservation
            ON meal_registrations (reservation_id) WHERE reservation_id IS NOT NULL;

        CREATE TABLE meal_registration_corrections (
            correction_id    uuid PRIMARY KEY,
            registration_id  uuid NOT NULL REFERENCES meal_registrations,
            previous_count   integer NOT NULL,
            count            integer NOT NULL CHECK (count >= 0),
            reason           text NOT NULL,
            corrected_at     timestamptz NOT NULL,
            corrected_by     text NOT NULL
        );
        CREATE INDEX meal_registration_corrections_registration
            ON meal_registration_corrections (registration_id);
        """
    )


def downgrade() -> None:
    op.execute(
        """
        DROP TABLE meal_registration_corrections;
        ALTER TABLE meal_registrations
            DROP COLUMN unit_price, DROP COLUMN current_count, DROP COLUMN diner_key,
            DROP COLUMN reservation_id, DROP COLUMN late, DROP COLUMN over_capacity_reason;
        DROP TABLE meal_reservations;
        DROP INDEX meal_services_date;
        DROP INDEX meal_services_kitchen_start;
        ALTER TABLE meal_services
            DROP CONSTRAINT meal_services_closed, DROP CONSTRAINT meal_services_cancelled,
            DROP COLUMN updated_at, DROP COLUMN closed_at, DROP COLUMN cancelled_at,
            DROP COLUMN cancel_reason, DROP COLUMN reservations;
        """
    )
