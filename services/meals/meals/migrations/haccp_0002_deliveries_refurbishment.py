"""HACCP kitchen log: goods receipt with lot traceability to meal services, and refurbishment.

Revision ID: haccp_0002
Revises: haccp_0001
"""

from alembic import op

revision = "haccp_0002"
down_revision = "haccp_0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.execute(
        """
        CREATE TABLE haccp_deliveries (
            delivery_id  uuid PRIMARY KEY,
            kitchen_id   text NOT NULL,
            centre_id    text NOT NULL,
            supplier     text NOT NULL,
            product      text NOT NULL,
            lot          text,
            best_before  date,
            -- The temperature check on arrival (chilled and frozen goods).
            record_id    uuid REFERENCES haccp_records,
            received_at  timestamptz NOT NULL,
            received_by  text NOT NULL,
            CHECK (lot IS NOT NULL OR best_before IS NOT NULL)
        );
        CREATE INDEX haccp_deliveries_kitchen ON haccp_deliveries (kitchen_id, received_at);
        CREATE INDEX haccp_deliveries_recall ON haccp_deliveries (lower(supplier), lower(lot));

        -- Which delivered lots went into which meal service (one step forward).
        CREATE TABLE haccp_lot_usage (
            service_id   uuid NOT NULL REFERENCES meal_services,
            delivery_id  uuid NOT NULL REFERENCES haccp_deliveries,
            linked_by    text NOT NULL,
            linked_at    timestamptz NOT NULL DEFAULT now(),
            PRIMARY KEY (service_id, delivery_id)
        );
        CREATE INDEX haccp_lot_usage_delivery ON haccp_lot_usage (delivery_id);

        CREATE TABLE haccp_refurbishment (
            kitchen_id  text NOT NULL,
            centre_id   text NOT NULL,
            milestone   text NOT NULL,
            status      text NOT NULL CHECK (status IN ('planned', 'in_progress', 'done')),
            date        date NOT NULL,
            updated_by  text NOT NULL,
            updated_at  timestamptz NOT NULL DEFAULT now(),
            PRIMARY KEY (kitchen_id, milestone)
        );
        """
    )


def downgrade() -> None:
    op.execute(
        "DROP TABLE haccp_refurbishment; DROP TABLE haccp_lot_usage; DROP TABLE haccp_deliveries;"
    )
