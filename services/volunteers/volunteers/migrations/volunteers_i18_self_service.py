"""Self-service by link: the mail outbox and bounced addresses, mail languages, the links mailed
to volunteers, shift reminders and their answers, invitations to fill a gap.

Revision ID: volunteers_i18_self_service
Revises: volunteers_0003

Personal data: `mail_outbox` holds addresses (sent mail is deleted after 30 days, and a
volunteer's queued mail on erasure), `mail_bounces` holds addresses. Links are stored only as the
SHA-256 of their token: the database does not hold a usable link.
"""

from alembic import op

revision = "volunteers_i18_self_service"
down_revision = "volunteers_0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.execute(
        """
        CREATE TABLE mail_outbox (
            mail_id          uuid PRIMARY KEY,
            recipient        text NOT NULL,
            subject          text NOT NULL,
            body             text NOT NULL,
            kind             text NOT NULL,
            language         text NOT NULL CHECK (language IN ('nl', 'en')),
            queued_at        timestamptz NOT NULL,
            next_attempt_at  timestamptz NOT NULL,
            attempts         integer NOT NULL DEFAULT 0,
            sent_at          timestamptz,
            failed_at        timestamptz,
            last_error       text
        );
        CREATE INDEX mail_outbox_due ON mail_outbox (next_attempt_at)
            WHERE sent_at IS NULL AND failed_at IS NULL;

        CREATE TABLE mail_bounces (
            address     text PRIMARY KEY,
            bounced_at  timestamptz NOT NULL,
            code        integer NOT NULL,
            reason      text NOT NULL
        );

        -- The language a volunteer reads their mail in, and when the service last wrote to
        -- them (invitations go to those contacted least recently first).
        CREATE TABLE volunteer_mail (
            volunteer_id       uuid PRIMARY KEY REFERENCES volunteers,
            language           text NOT NULL DEFAULT 'nl' CHECK (language IN ('nl', 'en')),
            last_contacted_at  timestamptz
        );

        CREATE TABLE volunteer_links (
            token_hash    bytea PRIMARY KEY,
            purpose       text NOT NULL
                          CHECK (purpose IN ('shift_confirm', 'shift_decline', 'gap_take')),
            volunteer_id  uuid NOT NULL REFERENCES volunteers,
            shift_id      uuid NOT NULL REFERENCES shifts,
            created_at    timestamptz NOT NULL,
            expires_at    timestamptz NOT NULL,
            used_at       timestamptz,
            revoked_at    timestamptz,
            revoked_by    text
        );
        CREATE INDEX volunteer_links_shift ON volunteer_links (shift_id, volunteer_id);
        CREATE INDEX volunteer_links_volunteer ON volunteer_links (volunteer_id);

        CREATE TABLE shift_reminders (
            shift_id      uuid NOT NULL REFERENCES shifts,
            volunteer_id  uuid NOT NULL REFERENCES volunteers,
            reminded_at   timestamptz NOT NULL,
            -- Whether a mail went out: not without consent to e-mail, an address, or after a
            -- hard bounce. The coordinator then knows to call.
            mailed        boolean NOT NULL,
            answer        text CHECK (answer IN ('confirmed', 'declined')),
            answered_at   timestamptz,
            PRIMARY KEY (shift_id, volunteer_id)
        );

        CREATE TABLE gap_invitations (
            shift_id      uuid NOT NULL REFERENCES shifts,
            volunteer_id  uuid NOT NULL REFERENCES volunteers,
            invited_at    timestamptz NOT NULL,
            answer        text CHECK (answer IN ('taken', 'already_filled', 'not_possible')),
            answered_at   timestamptz,
            PRIMARY KEY (shift_id, volunteer_id)
        );
        CREATE INDEX gap_invitations_shift ON gap_invitations (shift_id, invited_at);
        """
    )


def downgrade() -> None:
    op.execute(
        """
        DROP TABLE gap_invitations; DROP TABLE shift_reminders; DROP TABLE volunteer_links;
        DROP TABLE volunteer_mail; DROP TABLE mail_bounces; DROP TABLE mail_outbox;
        """
    )
