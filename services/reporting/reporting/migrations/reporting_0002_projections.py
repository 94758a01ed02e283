"""Projections of every service's events, manual values, and the published indicator values.

Revision ID: reporting_0002
Revises: reporting_0001

Projection tables hold facts at the grain the indicators need, keyed by the ids in the events so
that applying an event twice changes nothing; `rebuild` recreates them from the archive and swaps
them in. `indicator_dirty` and `indicator_published` are the publisher's state and survive a
rebuild. A centre id of '' stands for the whole city.
"""

from alembic import op

revision = "reporting_0002"
down_revision = "reporting_0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.execute(
        """
        CREATE INDEX meal_registrations_diner ON meal_registrations (date, centre_id)
            INCLUDE (diner_key) WHERE diner_key IS NOT NULL;

        CREATE TABLE meal_services (
            service_id          uuid PRIMARY KEY,
            centre_id           text NOT NULL,
            date                date NOT NULL,
            kitchen_id          text,
            starts_at           timestamptz,
            capacity            integer,
            capacity_changed_at timestamptz,
            planned             boolean NOT NULL DEFAULT false,
            cancelled           boolean NOT NULL DEFAULT false,
            closed              boolean NOT NULL DEFAULT false
        );
        CREATE INDEX meal_services_date ON meal_services (date);

        -- First meal ever per diner (centre_id '') and first meal per diner and centre.
        CREATE TABLE meal_first_meals (
            diner_key  text NOT NULL,
            centre_id  text NOT NULL,
            first_date date NOT NULL,
            PRIMARY KEY (diner_key, centre_id)
        );
        CREATE INDEX meal_first_meals_date ON meal_first_meals (first_date, centre_id);

        CREATE TABLE haccp_deviations (
            record_id   uuid PRIMARY KEY,
            check_id    uuid NOT NULL,
            kitchen_id  text NOT NULL,
            centre_id   text NOT NULL,
            kind        text NOT NULL,
            recorded_at timestamptz NOT NULL,
            date        date NOT NULL
        );
        CREATE INDEX haccp_deviations_date ON haccp_deviations (date);

        CREATE TABLE haccp_corrective_actions (
            record_id   uuid NOT NULL,
            recorded_at timestamptz NOT NULL,
            PRIMARY KEY (record_id, recorded_at)
        );

        CREATE TABLE kitchen_refurbishment (
            kitchen_id text NOT NULL,
            centre_id  text NOT NULL,
            milestone  text NOT NULL,
            date       date NOT NULL,
            status     text NOT NULL,
            PRIMARY KEY (kitchen_id, milestone, date, status)
        );

        CREATE TABLE volunteer_shifts (
            shift_id     uuid NOT NULL,
            volunteer_id uuid NOT NULL,
            centre_id    text NOT NULL,
            role         text NOT NULL,
            date         date NOT NULL,
            hours        double precision NOT NULL,
            corrected_at timestamptz,
            PRIMARY KEY (shift_id, volunteer_id)
        );
        CREATE INDEX volunteer_shifts_date ON volunteer_shifts (date);

        CREATE TABLE volunteer_status_changes (
            volunteer_id uuid NOT NULL,
            changed_at   timestamptz NOT NULL,
            status       text NOT NULL,
            centre_ids   text[] NOT NULL,
            date         date NOT NULL,
            PRIMARY KEY (volunteer_id, changed_at, status)
        );
        CREATE INDEX volunteer_status_changes_status ON volunteer_status_changes (status, date);

        CREATE TABLE volunteer_milestones (
            volunteer_id uuid NOT NULL,
            milestone    text NOT NULL,
            centre_id    text,
            reached_at   timestamptz NOT NULL,
            date         date NOT NULL,
            PRIMARY KEY (volunteer_id, milestone)
        );

        CREATE TABLE volunteer_appreciations (
            appreciation_id uuid PRIMARY KEY,
            centre_id       text,
            kind            text NOT NULL,
            date            date NOT NULL,
            volunteer_count integer NOT NULL
        );

        CREATE TABLE activities (
            activity_id   uuid PRIMARY KEY,
            centre_id     text NOT NULL,
            kind          text NOT NULL,
            partner       text,
            target_groups text[] NOT NULL,
            mode          text NOT NULL
        );

        CREATE TABLE activity_sessions (
            session_id  uuid PRIMARY KEY,
            activity_id uuid NOT NULL,
            centre_id   text NOT NULL,
            starts_at   timestamptz NOT NULL,
            date        date NOT NULL,
            scheduled   boolean NOT NULL DEFAULT false,
            cancelled   boolean NOT NULL DEFAULT false,
            held        boolean NOT NULL DEFAULT false
        );
        CREATE INDEX activity_sessions_date ON activity_sessions (date);

        CREATE TABLE enrolment_changes (
            enrolment_id    uuid NOT NULL,
            changed_at      timestamptz NOT NULL,
            status          text NOT NULL,
            activity_id     uuid NOT NULL,
            centre_id       text NOT NULL,
            participant_key text NOT NULL,
            age_band        text NOT NULL,
            target_group    text,
            date            date NOT NULL,
            PRIMARY KEY (enrolment_id, changed_at, status)
        );
        CREATE INDEX enrolment_changes_date ON enrolment_changes (date);
        CREATE INDEX enrolment_changes_activity ON enrolment_changes (activity_id);

        -- Re-recorded attendances replace earlier ones (ordered by the event's publication time).
        CREATE TABLE attendances (
            attendance_id   uuid PRIMARY KEY,
            session_id      uuid NOT NULL,
            activity_id     uuid NOT NULL,
            centre_id       text NOT NULL,
            date            date NOT NULL,
            participant_key text,
            count           integer NOT NULL,
            age_band        text NOT NULL,
            target_group    text,
            present         boolean NOT NULL,
            recorded_at     timestamptz NOT NULL
        );
        CREATE INDEX attendances_date ON attendances (date);
        CREATE INDEX attendances_activity ON attendances (activity_id);

        -- Day totals: a later event for the same key replaces the earlier total.
        CREATE TABLE computer_corner_visits (
            centre_id   text NOT NULL,
            date        date NOT NULL,
            visits      integer NOT NULL,
            recorded_at timestamptz NOT NULL,
            PRIMARY KEY (centre_id, date)
        );
        CREATE TABLE desk_contacts (
            centre_id   text NOT NULL,
            date        date NOT NULL,
            category    text NOT NULL,
            count       integer NOT NULL,
            recorded_at timestamptz NOT NULL,
            PRIMARY KEY (centre_id, date, category)
        );

        CREATE TABLE youth_referrals (
            referral_id     uuid PRIMARY KEY,
            centre_id       text NOT NULL,
            date            date NOT NULL,
            participant_key text NOT NULL,
            age_band        text NOT NULL
        );
        CREATE INDEX youth_referrals_date ON youth_referrals (date);
        CREATE TABLE youth_referral_outcomes (
            referral_id uuid PRIMARY KEY,
            outcome     text NOT NULL,
            date        date NOT NULL,
            recorded_at timestamptz NOT NULL
        );

        -- Every manual value ever recorded (the history); the latest applies.
        CREATE TABLE manual_values (
            event_id     uuid PRIMARY KEY,
            indicator_id text NOT NULL,
            centre_id    text NOT NULL,
            period       text NOT NULL,
            period_first date NOT NULL,
            value        jsonb NOT NULL,
            source_note  text NOT NULL,
            recorded_at  timestamptz NOT NULL,
            staff_id     text NOT NULL
        );
        CREATE INDEX manual_values_lookup ON manual_values (indicator_id, centre_id, period_first);

        -- (indicator, period) tables to recompute and republish; due_at is the debounce.
        CREATE TABLE indicator_dirty (
            indicator_id text NOT NULL,
            period       text NOT NULL,
            due_at       timestamptz NOT NULL,
            version      bigint NOT NULL DEFAULT 1,
            lease_until  timestamptz,
            PRIMARY KEY (indicator_id, period)
        );
        CREATE INDEX indicator_dirty_due ON indicator_dirty (due_at);

        -- What was last published per indicator, centre ('' = city) and period (suppressed form).
        CREATE TABLE indicator_published (
            indicator_id text NOT NULL,
            period       text NOT NULL,
            centre_id    text NOT NULL,
            unit         text NOT NULL,
            value        jsonb,
            suppressed   boolean NOT NULL,
            breakdown    jsonb NOT NULL,
            published_at timestamptz NOT NULL,
            PRIMARY KEY (indicator_id, period, centre_id)
        );
        """
    )


def downgrade() -> None:
    op.execute(
        """
        DROP TABLE indicator_published, indicator_dirty, manual_values, youth_referral_outcomes,
            youth_referrals, desk_contacts, computer_corner_visits, attendances,
            enrolment_changes, activity_sessions, activities, volunteer_appreciations,
            volunteer_milestones, volunteer_status_changes, volunteer_shifts,
            kitchen_refurbishment, haccp_corrective_actions, haccp_deviations, meal_first_meals,
            meal_services;
        DROP INDEX meal_registrations_diner;
        """
    )
