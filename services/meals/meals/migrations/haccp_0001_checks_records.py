"""HACCP kitchen log: equipment, versioned check definitions, records, corrective actions and
timed processes.

Revision ID: haccp_0001
Revises:
"""

from alembic import op

revision = "haccp_0001"
down_revision = None
branch_labels = ("haccp",)
depends_on = "meals_0001"


def upgrade() -> None:
    op.execute(
        """
        CREATE TABLE haccp_equipment (
            equipment_id        uuid PRIMARY KEY,
            kitchen_id          text NOT NULL,
            centre_id           text NOT NULL,
            kind                text NOT NULL CHECK (kind IN
                                ('fridge', 'freezer', 'hot_holding', 'thermometer',
                                 'blast_chiller', 'other')),
            label               text NOT NULL,
            -- Added to a thermometer's raw reading; the raw reading is kept beside the result.
            calibration_offset  double precision NOT NULL DEFAULT 0,
            active              boolean NOT NULL DEFAULT true,
            created_at          timestamptz NOT NULL DEFAULT now()
        );
        CREATE INDEX haccp_equipment_kitchen ON haccp_equipment (kitchen_id);

        CREATE TABLE haccp_checks (
            check_id         uuid PRIMARY KEY,
            kitchen_id       text NOT NULL,
            centre_id        text NOT NULL,
            kind             text NOT NULL,
            current_version  integer NOT NULL,
            created_at       timestamptz NOT NULL DEFAULT now()
        );
        CREATE INDEX haccp_checks_kitchen ON haccp_checks (kitchen_id);

        -- Every version is kept: a record is judged by the version in force when it was taken.
        CREATE TABLE haccp_check_versions (
            check_id        uuid NOT NULL REFERENCES haccp_checks,
            version         integer NOT NULL CHECK (version > 0),
            effective_from  timestamptz NOT NULL,
            label           text NOT NULL,
            equipment_id    uuid REFERENCES haccp_equipment,
            schedule        jsonb NOT NULL,
            grace_minutes   integer NOT NULL CHECK (grace_minutes >= 0),
            limits          jsonb,
            level           text NOT NULL CHECK (level IN ('required', 'recommended', 'off')),
            active          boolean NOT NULL,
            defined_by      text NOT NULL,
            PRIMARY KEY (check_id, version)
        );

        CREATE TABLE haccp_records (
            record_id           uuid PRIMARY KEY,
            check_id            uuid NOT NULL REFERENCES haccp_checks,
            limits_version      integer NOT NULL,
            kitchen_id          text NOT NULL,
            centre_id           text NOT NULL,
            kind                text NOT NULL,
            due_at              timestamptz,
            recorded_at         timestamptz NOT NULL,
            value               double precision,
            raw_value           double precision,
            unit                text,
            thermometer_id      uuid REFERENCES haccp_equipment,
            calibration_offset  double precision,
            -- Checklist items (item -> done) or calibration readings, as entered.
            details             jsonb,
            outcome             text NOT NULL CHECK (outcome IN ('ok', 'deviation')),
            staff_id            text NOT NULL,
            entered_at          timestamptz NOT NULL DEFAULT now(),
            FOREIGN KEY (check_id, limits_version) REFERENCES haccp_check_versions
        );
        CREATE INDEX haccp_records_kitchen_time ON haccp_records (kitchen_id, recorded_at);
        CREATE INDEX haccp_records_check_time ON haccp_records (check_id, recorded_at);
        CREATE INDEX haccp_records_deviations ON haccp_records (kitchen_id, recorded_at)
            WHERE outcome = 'deviation';

        CREATE TABLE haccp_corrective_actions (
            action_id   uuid PRIMARY KEY,
            record_id   uuid NOT NULL REFERENCES haccp_records,
            action      text NOT NULL,
            taken_at    timestamptz NOT NULL,
            staff_id    text NOT NULL,
            entered_at  timestamptz NOT NULL DEFAULT now()
        );
        CREATE INDEX haccp_corrective_actions_record ON haccp_corrective_actions (record_id);

        -- Cooling and reheating: started, read until the target, concluded by one record.
        CREATE TABLE haccp_processes (
            process_id          uuid PRIMARY KEY,
            check_id            uuid NOT NULL REFERENCES haccp_checks,
            limits_version      integer NOT NULL,
            kitchen_id          text NOT NULL,
            centre_id           text NOT NULL,
            kind                text NOT NULL CHECK (kind IN ('cooling', 'reheating')),
            product             text NOT NULL,
            started_at          timestamptz NOT NULL,
            start_value         double precision NOT NULL,
            raw_start_value     double precision NOT NULL,
            thermometer_id      uuid REFERENCES haccp_equipment,
            deadline_at         timestamptz NOT NULL,
            started_by          text NOT NULL,
            record_id           uuid REFERENCES haccp_records,
            FOREIGN KEY (check_id, limits_version) REFERENCES haccp_check_versions
        );
        CREATE INDEX haccp_processes_kitchen ON haccp_processes (kitchen_id, started_at);

        CREATE TABLE haccp_process_readings (
            reading_id          uuid PRIMARY KEY,
            process_id          uuid NOT NULL REFERENCES haccp_processes,
            taken_at            timestamptz NOT NULL,
            value               double precision NOT NULL,
            raw_value           double precision NOT NULL,
            thermometer_id      uuid REFERENCES haccp_equipment,
            staff_id            text NOT NULL
        );
        CREATE INDEX haccp_process_readings_process ON haccp_process_readings (process_id);
        """
    )


def downgrade() -> None:
    op.execute(
        """
        DROP TABLE haccp_process_readings; DROP TABLE haccp_processes;
        DROP TABLE haccp_corrective_actions; DROP TABLE haccp_records;
        DROP TABLE haccp_check_versions; DROP TABLE haccp_checks; DROP TABLE haccp_equipment;
        """
    )
