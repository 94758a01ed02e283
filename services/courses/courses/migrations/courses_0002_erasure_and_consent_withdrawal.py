"""Erasure of participants, and the withdrawal of a guardian's consent.

Revision ID: courses_0002
Revises: courses_0001

An erased participant keeps their row (enrolments, attendance and referrals still point at it, so
the figures stay) with every personal column emptied; only the centre, the coarse age band and
the target group remain, as the attendance rows carry them anyway. A guardian's consent records
when it was withdrawn and who recorded that.
"""

from alembic import op

revision = "courses_0002"
down_revision = "courses_0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.execute(
        """
        ALTER TABLE participants
            ALTER COLUMN given_name DROP NOT NULL,
            ADD COLUMN erased_at timestamptz,
            ADD CONSTRAINT participants_named
                CHECK (erased_at IS NOT NULL OR given_name IS NOT NULL),
            ADD CONSTRAINT participants_erased CHECK (erased_at IS NULL OR (
                given_name IS NULL AND family_name IS NULL AND phone IS NULL AND email IS NULL
                AND birth_date IS NULL AND neighbourhood IS NULL));

        ALTER TABLE guardian_consents
            ADD COLUMN withdrawn_on date,
            ADD COLUMN withdrawn_at timestamptz,
            ADD COLUMN withdrawn_by text,
            ADD CONSTRAINT guardian_consents_withdrawal CHECK (
                (withdrawn_on IS NULL) = (withdrawn_at IS NULL)
                AND (withdrawn_on IS NULL) = (withdrawn_by IS NULL)
                AND (withdrawn_on IS NULL OR withdrawn_on >= given_on));
        """
    )


def downgrade() -> None:
    op.execute(
        """
        ALTER TABLE guardian_consents
            DROP CONSTRAINT guardian_consents_withdrawal,
            DROP COLUMN withdrawn_by, DROP COLUMN withdrawn_at, DROP COLUMN withdrawn_on;
        ALTER TABLE participants
            DROP CONSTRAINT participants_erased, DROP CONSTRAINT participants_named,
            DROP COLUMN erased_at,
            ALTER COLUMN given_name SET NOT NULL;
        """
    )
