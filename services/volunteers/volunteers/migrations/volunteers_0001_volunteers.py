"""Volunteers, groups, the pipeline, qualifications, shifts, hours, milestones, appreciation,
expense allowances.

Personal data lives only in `volunteers` (nullable columns, emptied on erasure), `consents` and
`volunteer_qualifications` (rows deleted on erasure). Every other table holds ids, codes, dates
and numbers, so the statistics survive an erasure.

Revision ID: volunteers_0001
Revises:
"""

from alembic import op

revision = "volunteers_0001"
down_revision = None
branch_labels = ("volunteers",)
depends_on = "plumbing_0001"


def upgrade() -> None:
    op.execute(
        """
        -- For the exclusion constraint that refuses overlapping shifts of one volunteer.
        CREATE EXTENSION IF NOT EXISTS btree_gist;

        CREATE TABLE volunteer_groups (
            group_id           uuid PRIMARY KEY,
            name               text NOT NULL,
            kind               text NOT NULL
                               CHECK (kind IN ('school_class', 'company_team',
                                               'neighbourhood_group', 'other')),
            centre_ids         text[] NOT NULL CHECK (cardinality(centre_ids) > 0),
            status             text NOT NULL,
            status_changed_at  timestamptz NOT NULL,
            created_at         timestamptz NOT NULL DEFAULT now(),
            created_by         text NOT NULL
        );

        CREATE TABLE group_status_changes (
            change_id        bigserial PRIMARY KEY,
            group_id         uuid NOT NULL REFERENCES volunteer_groups,
            previous_status  text,
            status           text NOT NULL,
            changed_at       timestamptz NOT NULL,
            changed_by       text NOT NULL
        );

        CREATE TABLE volunteers (
            volunteer_id       uuid PRIMARY KEY,
            status             text NOT NULL
                               CHECK (status IN ('applied', 'intake', 'onboarding', 'active',
                                                 'paused', 'left')),
            status_changed_at  timestamptz NOT NULL,
            first_active_at    timestamptz,
            centre_ids         text[] NOT NULL CHECK (cardinality(centre_ids) > 0),
            -- Personal data: emptied on erasure.
            given_name         text,
            family_name        text,
            email              text,
            phone              text,
            address            text,
            languages          text[] NOT NULL DEFAULT '{}',
            skills             text[] NOT NULL DEFAULT '{}',
            bvw_member_since   date,
            erased_at          timestamptz,
            created_at         timestamptz NOT NULL DEFAULT now(),
            created_by         text NOT NULL,
            CHECK (erased_at IS NOT NULL OR (given_name IS NOT NULL AND family_name IS NOT NULL)),
            CHECK (erased_at IS NULL OR (given_name IS NULL AND family_name IS NULL
                   AND email IS NULL AND phone IS NULL AND address IS NULL
                   AND languages = '{}' AND skills = '{}' AND bvw_member_since IS NULL))
        );
        CREATE INDEX volunteers_centres ON volunteers USING gin (centre_ids);
        CREATE INDEX volunteers_status ON volunteers (status);

        CREATE TABLE consents (
            consent_id    bigserial PRIMARY KEY,
            volunteer_id  uuid NOT NULL REFERENCES volunteers,
            purpose       text NOT NULL,
            given         boolean NOT NULL,
            given_at      timestamptz NOT NULL,
            recorded_at   timestamptz NOT NULL DEFAULT now(),
            recorded_by   text NOT NULL
        );
        CREATE INDEX consents_volunteer ON consents (volunteer_id, purpose, given_at DESC);

        CREATE TABLE group_members (
            group_id      uuid NOT NULL REFERENCES volunteer_groups,
            volunteer_id  uuid NOT NULL REFERENCES volunteers,
            joined_at     timestamptz NOT NULL DEFAULT now(),
            PRIMARY KEY (group_id, volunteer_id)
        );
        CREATE INDEX group_members_volunteer ON group_members (volunteer_id);

        CREATE TABLE status_changes (
            change_id        bigserial PRIMARY KEY,
            volunteer_id     uuid NOT NULL REFERENCES volunteers,
            previous_status  text,
            status           text NOT NULL,
            changed_at       timestamptz NOT NULL,
            changed_by       text NOT NULL,
            group_id         uuid REFERENCES volunteer_groups
        );
        CREATE INDEX status_changes_volunteer ON status_changes (volunteer_id, changed_at);

        CREATE TABLE qualification_types (
            qualification  text PRIMARY KEY,
            nl             text NOT NULL,
            en             text NOT NULL
        );
        INSERT INTO qualification_types (qualification, nl, en) VALUES
            ('food_hygiene', 'Opleiding voedselhygiëne', 'Food hygiene training'),
            ('first_aid', 'EHBO', 'First aid'),
            ('good_conduct_certificate', 'Uittreksel uit het strafregister (model 2)',
             'Certificate of good conduct (model 2)');

        CREATE TABLE role_requirements (
            role           text NOT NULL,
            qualification  text NOT NULL REFERENCES qualification_types,
            PRIMARY KEY (role, qualification)
        );
        INSERT INTO role_requirements (role, qualification) VALUES ('kitchen', 'food_hygiene');

        CREATE TABLE volunteer_qualifications (
            record_id      uuid PRIMARY KEY,
            volunteer_id   uuid NOT NULL REFERENCES volunteers,
            qualification  text NOT NULL REFERENCES qualification_types,
            obtained_on    date NOT NULL,
            expires_on     date CHECK (expires_on IS NULL OR expires_on >= obtained_on),
            recorded_at    timestamptz NOT NULL DEFAULT now(),
            recorded_by    text NOT NULL
        );
        CREATE INDEX volunteer_qualifications_volunteer
            ON volunteer_qualifications (volunteer_id, qualification);

        CREATE TABLE shift_templates (
            template_id  uuid PRIMARY KEY,
            centre_id    text NOT NULL,
            role         text NOT NULL,
            weekday      smallint NOT NULL CHECK (weekday BETWEEN 1 AND 7),
            start_time   time NOT NULL,
            end_time     time NOT NULL CHECK (end_time > start_time),
            needed       integer NOT NULL CHECK (needed > 0),
            valid_from   date NOT NULL,
            valid_until  date CHECK (valid_until IS NULL OR valid_until >= valid_from),
            created_at   timestamptz NOT NULL DEFAULT now(),
            created_by   text NOT NULL
        );
        CREATE INDEX shift_templates_centre ON shift_templates (centre_id, role);

        CREATE TABLE shifts (
            shift_id     uuid PRIMARY KEY,
            template_id  uuid REFERENCES shift_templates,
            centre_id    text NOT NULL,
            role         text NOT NULL,
            date         date NOT NULL,
            starts_at    timestamptz NOT NULL,
            ends_at      timestamptz NOT NULL CHECK (ends_at > starts_at),
            needed       integer NOT NULL CHECK (needed > 0),
            created_at   timestamptz NOT NULL DEFAULT now(),
            created_by   text NOT NULL,
            -- Generating a template's shifts twice creates each date once.
            UNIQUE (template_id, date)
        );
        CREATE INDEX shifts_centre_start ON shifts (centre_id, starts_at);
        CREATE INDEX shifts_start ON shifts (starts_at);

        CREATE TABLE assignments (
            shift_id      uuid NOT NULL REFERENCES shifts,
            volunteer_id  uuid NOT NULL REFERENCES volunteers,
            assigned      boolean NOT NULL,
            via           text NOT NULL CHECK (via IN ('sign_up', 'coordinator')),
            -- The shift's times, copied so the database itself refuses a double booking.
            starts_at     timestamptz NOT NULL,
            ends_at       timestamptz NOT NULL,
            changed_at    timestamptz NOT NULL,
            changed_by    text NOT NULL,
            PRIMARY KEY (shift_id, volunteer_id),
            CONSTRAINT assignments_no_double_booking EXCLUDE USING gist
                (volunteer_id WITH =, tstzrange(starts_at, ends_at) WITH &&) WHERE (assigned)
        );
        CREATE INDEX assignments_volunteer ON assignments (volunteer_id, starts_at);

        CREATE TABLE shift_hours (
            shift_id      uuid NOT NULL REFERENCES shifts,
            volunteer_id  uuid NOT NULL REFERENCES volunteers,
            centre_id     text NOT NULL,
            role          text NOT NULL,
            date          date NOT NULL,
            hours         numeric(4, 2) NOT NULL CHECK (hours BETWEEN 0 AND 24),
            recorded_at   timestamptz NOT NULL DEFAULT now(),
            recorded_by   text NOT NULL,
            PRIMARY KEY (shift_id, volunteer_id)
        );
        CREATE INDEX shift_hours_volunteer ON shift_hours (volunteer_id);

        CREATE TABLE hours_corrections (
            correction_id   bigserial PRIMARY KEY,
            shift_id        uuid NOT NULL,
            volunteer_id    uuid NOT NULL,
            previous_hours  numeric(4, 2) NOT NULL,
            hours           numeric(4, 2) NOT NULL,
            corrected_at    timestamptz NOT NULL,
            corrected_by    text NOT NULL,
            FOREIGN KEY (shift_id, volunteer_id) REFERENCES shift_hours
        );

        CREATE TABLE milestones (
            volunteer_id  uuid NOT NULL REFERENCES volunteers,
            milestone     text NOT NULL,
            reached_at    timestamptz NOT NULL,
            centre_id     text,
            detected_at   timestamptz NOT NULL DEFAULT now(),
            PRIMARY KEY (volunteer_id, milestone)
        );
        CREATE INDEX milestones_reached ON milestones (reached_at);

        CREATE TABLE appreciations (
            appreciation_id  uuid PRIMARY KEY,
            centre_id        text,
            kind             text NOT NULL CHECK (kind IN ('event', 'gift', 'thank_you')),
            title            text NOT NULL,
            date             date NOT NULL,
            created_at       timestamptz NOT NULL DEFAULT now(),
            created_by       text NOT NULL
        );
        CREATE TABLE appreciation_recipients (
            appreciation_id  uuid NOT NULL REFERENCES appreciations,
            volunteer_id     uuid NOT NULL REFERENCES volunteers,
            PRIMARY KEY (appreciation_id, volunteer_id)
        );

        -- The legal caps of the flat-rate expense allowance (Belgian volunteer law of
        -- 3 July 2005), indexed each calendar year. Sources: participate-autisme.be (2023),
        -- vlaanderenvrijwilligt.be (2024), vlaanderen.be (2025). Later years are recorded by an
        -- administrator (PUT /allowance-caps/{year}).
        CREATE TABLE allowance_caps (
            year            integer PRIMARY KEY CHECK (year BETWEEN 2000 AND 2100),
            per_day_cents   integer NOT NULL CHECK (per_day_cents > 0),
            per_year_cents  integer NOT NULL CHECK (per_year_cents >= per_day_cents),
            updated_at      timestamptz NOT NULL DEFAULT now(),
            updated_by      text NOT NULL
        );
        INSERT INTO allowance_caps (year, per_day_cents, per_year_cents, updated_by) VALUES
            (2023, 4067, 162677, 'migration'),
            (2024, 4148, 165929, 'migration'),
            (2025, 4231, 169251, 'migration');

        CREATE TABLE allowances (
            allowance_id  uuid PRIMARY KEY,
            volunteer_id  uuid NOT NULL REFERENCES volunteers,
            date          date NOT NULL,
            amount_cents  integer NOT NULL CHECK (amount_cents > 0),
            recorded_at   timestamptz NOT NULL DEFAULT now(),
            recorded_by   text NOT NULL
        );
        CREATE INDEX allowances_volunteer_date ON allowances (volunteer_id, date);
        """
    )


def downgrade() -> None:
    op.execute(
        """
        DROP TABLE allowances; DROP TABLE allowance_caps;
        DROP TABLE appreciation_recipients; DROP TABLE appreciations;
        DROP TABLE milestones; DROP TABLE hours_corrections; DROP TABLE shift_hours;
        DROP TABLE assignments; DROP TABLE shifts; DROP TABLE shift_templates;
        DROP TABLE volunteer_qualifications; DROP TABLE role_requirements;
        DROP TABLE qualification_types; DROP TABLE status_changes; DROP TABLE group_members;
        DROP TABLE consents; DROP TABLE volunteers; DROP TABLE group_status_changes;
        DROP TABLE volunteer_groups;
        """
    )
