"""Plumbing every service needs: outbox, inbox, idempotency keys, audit log.

Revision ID: plumbing_0001
Revises:
"""

from alembic import op

revision = "plumbing_0001"
down_revision = None
branch_labels = ("plumbing",)
depends_on = None


def upgrade() -> None:
    op.execute(
        """
        CREATE TABLE outbox (
            seq          bigserial PRIMARY KEY,
            event_id     uuid NOT NULL UNIQUE,
            event_type   text NOT NULL,
            source       text NOT NULL,
            subject      text,
            occurred_at  timestamptz NOT NULL,
            traceparent  text,
            data         text NOT NULL,
            created_at   timestamptz NOT NULL DEFAULT now(),
            published_at timestamptz
        );
        CREATE INDEX outbox_unpublished ON outbox (seq) WHERE published_at IS NULL;
        CREATE INDEX outbox_published_at ON outbox (published_at) WHERE published_at IS NOT NULL;

        -- Wakes the relay when events are committed; polling covers lost notifications.
        CREATE FUNCTION outbox_notify() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
            PERFORM pg_notify('buurtwerk_outbox', '');
            RETURN NULL;
        END $$;
        CREATE TRIGGER outbox_notify AFTER INSERT ON outbox
            FOR EACH STATEMENT EXECUTE FUNCTION outbox_notify();

        CREATE TABLE processed_events (
            consumer     text NOT NULL,
            event_id     uuid NOT NULL,
            processed_at timestamptz NOT NULL DEFAULT now(),
            PRIMARY KEY (consumer, event_id)
        );

        CREATE TABLE idempotency_keys (
            actor         text NOT NULL,
            key           text NOT NULL,
            method        text NOT NULL,
            path          text NOT NULL,
            request_hash  text NOT NULL,
            status_code   integer,
            response      jsonb,
            created_at    timestamptz NOT NULL DEFAULT now(),
            PRIMARY KEY (actor, key)
        );

        CREATE TABLE audit_log (
            id           bigserial PRIMARY KEY,
            at           timestamptz NOT NULL DEFAULT now(),
            actor        text NOT NULL,
            role         text NOT NULL,
            action       text NOT NULL,
            record_type  text NOT NULL,
            record_id    text,
            details      jsonb NOT NULL DEFAULT '{}'::jsonb,
            trace_id     text
        );
        CREATE INDEX audit_log_at ON audit_log (at);
        CREATE INDEX audit_log_record ON audit_log (record_type, record_id);

        -- The audit log is append-only: no update or delete, whoever asks.
        CREATE FUNCTION audit_log_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
            RAISE EXCEPTION 'audit_log is append-only';
        END $$;
        CREATE TRIGGER audit_log_append_only BEFORE UPDATE OR DELETE ON audit_log
            FOR EACH ROW EXECUTE FUNCTION audit_log_append_only();
        """
    )


def downgrade() -> None:
    op.execute(
        """
        DROP TABLE audit_log;
        DROP FUNCTION audit_log_append_only();
        DROP TABLE idempotency_keys;
        DROP TABLE processed_events;
        DROP TABLE outbox;
        DROP FUNCTION outbox_notify();
        """
    )
