"""HACCP reminders: what reporting knows of the checks, kitchens in use, records and kitchen duty,
and every due occurrence with whether it was reminded, escalated and closed.

Revision ID: reminders_0001
Revises:
"""

from alembic import op

revision = "reminders_0001"
down_revision = None
branch_labels = ("reminders",)
depends_on = "reporting_0001"


def upgrade() -> None:
    op.execute(
        """
        CREATE TABLE reminder_check_versions (
            check_id        uuid NOT NULL,
            version         integer NOT NULL,
            effective_from  timestamptz NOT NULL,
            kitchen_id      text NOT NULL,
            centre_id       text NOT NULL,
            kind            text NOT NULL,
            label           text NOT NULL,
            schedule        jsonb NOT NULL,
            grace_minutes   integer NOT NULL,
            level           text NOT NULL,
            active          boolean NOT NULL,
            PRIMARY KEY (check_id, version)
        );

        -- One row per check: the schedulers claim it (FOR UPDATE SKIP LOCKED) to materialise its
        -- occurrences up to now; `scanned_until` is how far that went, `next_due_at` when to look
        -- again (null: nothing scheduled until an event changes the check).
        CREATE TABLE reminder_checks (
            check_id       uuid PRIMARY KEY,
            kitchen_id     text NOT NULL,
            centre_id      text NOT NULL,
            scanned_until  timestamptz NOT NULL,
            next_due_at    timestamptz
        );
        CREATE INDEX reminder_checks_next ON reminder_checks (next_due_at)
            WHERE next_due_at IS NOT NULL;
        CREATE INDEX reminder_checks_kitchen ON reminder_checks (kitchen_id);

        -- Meal services decide the days a kitchen is in use. Events may arrive out of order
        -- (two replicas), so a change or cancellation can come before the service is known.
        CREATE TABLE reminder_services (
            service_id  uuid PRIMARY KEY,
            kitchen_id  text,
            centre_id   text NOT NULL,
            date        date,
            starts_at   timestamptz,
            changed_at  timestamptz,
            cancelled   boolean NOT NULL DEFAULT false
        );
        CREATE INDEX reminder_services_kitchen ON reminder_services (kitchen_id, date);

        CREATE TABLE reminder_records (
            record_id    uuid PRIMARY KEY,
            check_id     uuid NOT NULL,
            due_at       timestamptz,
            recorded_at  timestamptz NOT NULL
        );
        CREATE INDEX reminder_records_check ON reminder_records (check_id, recorded_at);
        CREATE INDEX reminder_records_answers ON reminder_records (check_id, due_at)
            WHERE due_at IS NOT NULL;

        -- Who is on kitchen duty: the latest assignment state per shift and volunteer.
        CREATE TABLE reminder_shifts (
            shift_id      uuid NOT NULL,
            volunteer_id  uuid NOT NULL,
            centre_id     text NOT NULL,
            role          text NOT NULL,
            starts_at     timestamptz NOT NULL,
            ends_at       timestamptz NOT NULL,
            assigned      boolean NOT NULL,
            changed_at    timestamptz NOT NULL,
            PRIMARY KEY (shift_id, volunteer_id)
        );
        CREATE INDEX reminder_shifts_kitchen_duty ON reminder_shifts (centre_id, starts_at)
            WHERE assigned AND role = 'kitchen';

        -- Every due occurrence, once: the id is the reminder's (uuid5 of check and due time).
        CREATE TABLE reminder_occurrences (
            reminder_id            uuid PRIMARY KEY,
            check_id               uuid NOT NULL,
            version                integer NOT NULL,
            kitchen_id             text NOT NULL,
            centre_id              text NOT NULL,
            label                  text NOT NULL,
            kind                   text NOT NULL,
            level                  text NOT NULL CHECK (level IN ('required', 'recommended')),
            due_at                 timestamptz NOT NULL,
            grace_until            timestamptz NOT NULL,
            -- The next occurrence: a record without due_at from then on answers that one.
            window_end             timestamptz,
            process_id             uuid,
            -- False for occurrences caught up long after they were due: counted, not announced.
            announce               boolean NOT NULL,
            reminded_at            timestamptz,
            on_duty_volunteer_ids  uuid[],
            overdue_at             timestamptz,
            closed_at              timestamptz,
            closed_by              uuid,
            on_time                boolean
        );
        CREATE INDEX reminder_occurrences_to_remind ON reminder_occurrences (due_at)
            WHERE announce AND reminded_at IS NULL AND closed_at IS NULL;
        CREATE INDEX reminder_occurrences_to_escalate ON reminder_occurrences (grace_until)
            WHERE announce AND level = 'required' AND overdue_at IS NULL AND closed_at IS NULL;
        CREATE INDEX reminder_occurrences_check ON reminder_occurrences (check_id, due_at);
        CREATE INDEX reminder_occurrences_open ON reminder_occurrences (kitchen_id, due_at)
            WHERE closed_at IS NULL;
        CREATE INDEX reminder_occurrences_centre ON reminder_occurrences (centre_id, due_at);
        """
    )


def downgrade() -> None:
    op.execute(
        """
        DROP TABLE reminder_occurrences; DROP TABLE reminder_shifts;
        DROP TABLE reminder_records; DROP TABLE reminder_services;
        DROP TABLE reminder_checks; DROP TABLE reminder_check_versions;
        """
    )
