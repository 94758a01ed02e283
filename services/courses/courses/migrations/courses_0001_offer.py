"""The centres' offer: activities, sessions, participants, enrolments, attendance, day tallies and
youth referrals.

Revision ID: courses_0001
Revises:
"""

from alembic import op

revision = "courses_0001"
down_revision = None
branch_labels = ("courses",)
# plumbing_0002 brings the pseudonyms table that participant keys are filed in.
depends_on = "plumbing_0002"


def upgrade() -> None:
    op.execute(
        """
        CREATE TABLE activities (
            activity_id    uuid PRIMARY KEY,
            centre_id      text NOT NULL,
            kind           text NOT NULL CHECK (kind IN ('computer_course', 'language_lesson',
                               'conversation_group', 'homework_support', 'toddler', 'teen',
                               'other')),
            title          text NOT NULL,
            description    text,
            partner_id     text,
            target_groups  text[] NOT NULL DEFAULT '{}',
            mode           text NOT NULL CHECK (mode IN ('enrolment', 'drop_in')),
            capacity       integer CHECK (capacity > 0),
            status         text NOT NULL DEFAULT 'draft' CHECK (status IN ('draft', 'published')),
            published_at   timestamptz,
            created_at     timestamptz NOT NULL DEFAULT now(),
            created_by     text NOT NULL,
            -- Enrolment needs seats to count; a drop-in group may give a room size or none.
            CHECK (mode = 'drop_in' OR capacity IS NOT NULL),
            CHECK ((status = 'published') = (published_at IS NOT NULL))
        );
        CREATE INDEX activities_centre ON activities (centre_id, created_at);

        -- Contact data of participants stays in this table and in the consents below; events
        -- carry the participant's pseudonym and coarse attributes only.
        CREATE TABLE participants (
            participant_id  uuid PRIMARY KEY,
            centre_id       text NOT NULL,
            given_name      text NOT NULL,
            family_name     text,
            phone           text,
            email           text,
            birth_date      date,
            age_band        text,
            target_group    text,
            neighbourhood   text,
            created_at      timestamptz NOT NULL DEFAULT now(),
            updated_at      timestamptz NOT NULL DEFAULT now(),
            -- A minor needs a guardian's consent, so the age must be known one way or another.
            CHECK (birth_date IS NOT NULL OR age_band IS NOT NULL)
        );
        CREATE INDEX participants_centre ON participants (centre_id, family_name, given_name);

        CREATE TABLE guardian_consents (
            consent_id      uuid PRIMARY KEY,
            participant_id  uuid NOT NULL REFERENCES participants ON DELETE CASCADE,
            guardian_name   text NOT NULL,
            relationship    text NOT NULL CHECK (relationship IN ('parent', 'guardian')),
            guardian_phone  text,
            given_on        date NOT NULL,
            recorded_at     timestamptz NOT NULL DEFAULT now(),
            recorded_by     text NOT NULL
        );
        CREATE INDEX guardian_consents_participant ON guardian_consents (participant_id);

        CREATE TABLE enrolments (
            enrolment_id    uuid PRIMARY KEY,
            activity_id     uuid NOT NULL REFERENCES activities,
            participant_id  uuid NOT NULL REFERENCES participants,
            -- Arrival order, assigned under the activity's lock: the waiting list's order.
            arrival         bigint GENERATED ALWAYS AS IDENTITY UNIQUE,
            status          text NOT NULL
                            CHECK (status IN ('enrolled', 'waitlisted', 'cancelled', 'completed')),
            requested_at    timestamptz NOT NULL,
            promoted_at     timestamptz,
            changed_at      timestamptz NOT NULL,
            recorded_by     text NOT NULL
        );
        -- No double enrolment: one live enrolment per participant and activity.
        CREATE UNIQUE INDEX enrolments_once ON enrolments (activity_id, participant_id)
            WHERE status IN ('enrolled', 'waitlisted', 'completed');
        CREATE INDEX enrolments_queue ON enrolments (activity_id, status, arrival);
        CREATE INDEX enrolments_participant ON enrolments (participant_id);

        CREATE TABLE sessions (
            session_id     uuid PRIMARY KEY,
            activity_id    uuid NOT NULL REFERENCES activities,
            centre_id      text NOT NULL,
            starts_at      timestamptz NOT NULL,
            ends_at        timestamptz NOT NULL,
            status         text NOT NULL DEFAULT 'scheduled'
                           CHECK (status IN ('scheduled', 'cancelled', 'held')),
            cancel_reason  text,
            attendees      integer CHECK (attendees >= 0),
            changed_at     timestamptz NOT NULL DEFAULT now(),
            CHECK (ends_at > starts_at),
            CHECK ((status = 'cancelled') = (cancel_reason IS NOT NULL)),
            CHECK ((status = 'held') = (attendees IS NOT NULL)),
            UNIQUE (activity_id, starts_at)
        );
        CREATE INDEX sessions_centre ON sessions (centre_id, starts_at);

        -- One model for enrolled participants, known drop-ins and anonymous drop-ins: a known
        -- person is one row (count 1), anonymous drop-ins are a number.
        CREATE TABLE attendance (
            attendance_id   uuid PRIMARY KEY,
            session_id      uuid NOT NULL REFERENCES sessions,
            participant_id  uuid REFERENCES participants,
            count           integer NOT NULL CHECK (count > 0),
            present         boolean NOT NULL,
            age_band        text NOT NULL,
            target_group    text,
            recorded_at     timestamptz NOT NULL DEFAULT now(),
            recorded_by     text NOT NULL,
            CHECK (participant_id IS NULL OR count = 1),
            CHECK (participant_id IS NOT NULL OR present)
        );
        CREATE UNIQUE INDEX attendance_once ON attendance (session_id, participant_id)
            WHERE participant_id IS NOT NULL;
        CREATE INDEX attendance_session ON attendance (session_id, recorded_at);
        CREATE INDEX attendance_participant ON attendance (participant_id);

        CREATE TABLE computer_corner_visits (
            centre_id   text NOT NULL,
            date        date NOT NULL,
            visits      integer NOT NULL CHECK (visits >= 0),
            updated_at  timestamptz NOT NULL DEFAULT now(),
            updated_by  text NOT NULL,
            PRIMARY KEY (centre_id, date)
        );

        CREATE TABLE desk_contacts (
            centre_id   text NOT NULL,
            date        date NOT NULL,
            category    text NOT NULL,
            count       integer NOT NULL CHECK (count >= 0),
            updated_at  timestamptz NOT NULL DEFAULT now(),
            updated_by  text NOT NULL,
            PRIMARY KEY (centre_id, date, category)
        );

        CREATE TABLE youth_referrals (
            referral_id     uuid PRIMARY KEY,
            participant_id  uuid NOT NULL REFERENCES participants,
            centre_id       text NOT NULL,
            date            date NOT NULL,
            association     text NOT NULL,
            age_band        text NOT NULL,
            outcome         text CHECK (outcome IN ('joined', 'not_joined', 'unknown')),
            outcome_date    date,
            created_at      timestamptz NOT NULL DEFAULT now(),
            recorded_by     text NOT NULL,
            CHECK ((outcome IS NULL) = (outcome_date IS NULL)),
            CHECK (outcome_date IS NULL OR outcome_date >= date)
        );
        CREATE INDEX youth_referrals_centre ON youth_referrals (centre_id, date);
        CREATE INDEX youth_referrals_participant ON youth_referrals (participant_id);
        """
    )


def downgrade() -> None:
    op.execute(
        """
        DROP TABLE youth_referrals;
        DROP TABLE desk_contacts;
        DROP TABLE computer_corner_visits;
        DROP TABLE attendance;
        DROP TABLE sessions;
        DROP TABLE enrolments;
        DROP TABLE guardian_consents;
        DROP TABLE participants;
        DROP TABLE activities;
        """
    )
