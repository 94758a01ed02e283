"""Attendance corrections and no-shows: an entry remembers when and by whom it was corrected, an
anonymous drop-in entry withdrawn by a correction stays as not present, and an enrolled
participant can be marked a no-show (absent without notice).

Revision ID: courses_0003
Revises: courses_0002
"""

from alembic import op

revision = "courses_0003"
down_revision = "courses_0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.execute(
        """
        ALTER TABLE attendance
            ADD COLUMN no_show boolean NOT NULL DEFAULT false,
            ADD COLUMN corrected_at timestamptz,
            ADD COLUMN corrected_by text,
            ADD CONSTRAINT attendance_no_show_absent
                CHECK (NOT no_show OR (NOT present AND participant_id IS NOT NULL)),
            ADD CONSTRAINT attendance_anonymous_present_or_withdrawn
                CHECK (participant_id IS NOT NULL OR present OR corrected_at IS NOT NULL);
        DO $$
        DECLARE old text;
        BEGIN
            SELECT conname INTO old FROM pg_constraint
            WHERE conrelid = 'attendance'::regclass
              AND pg_get_constraintdef(oid) = 'CHECK (((participant_id IS NOT NULL) OR present))';
            EXECUTE format('ALTER TABLE attendance DROP CONSTRAINT %I', old);
        END $$;
        """
    )


def downgrade() -> None:
    op.execute(
        """
        DELETE FROM attendance WHERE participant_id IS NULL AND NOT present;
        ALTER TABLE attendance
            DROP CONSTRAINT attendance_anonymous_present_or_withdrawn,
            DROP CONSTRAINT attendance_no_show_absent,
            DROP COLUMN corrected_by,
            DROP COLUMN corrected_at,
            DROP COLUMN no_show,
            ADD CHECK (participant_id IS NOT NULL OR present);
        """
    )
