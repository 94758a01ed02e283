"""Mail to a volunteer: only with their consent to e-mail, to an address that did not bounce, in
the language they chose; queued in the caller's transaction."""

import datetime as dt
from collections.abc import Callable
from uuid import UUID

from buurtwerk_shared.db.pool import Connection
from buurtwerk_shared.mail.outbox import Mail, enqueue
from volunteers.selfservice.texts import Language

# The consent purpose that covers every mail of the self-service (reminders, invitations).
EMAIL_CONSENT = "reminders_email"

_REACHABLE = """
SELECT v.given_name, v.email, coalesce(m.language, 'nl') AS language
FROM volunteers v LEFT JOIN volunteer_mail m USING (volunteer_id)
WHERE v.volunteer_id = $1 AND v.erased_at IS NULL AND v.email IS NOT NULL
  AND (SELECT c.given FROM consents c
       WHERE c.volunteer_id = v.volunteer_id AND c.purpose = $2
       ORDER BY c.given_at DESC, c.consent_id DESC LIMIT 1)
  AND NOT EXISTS (SELECT 1 FROM mail_bounces b WHERE b.address = lower(trim(v.email)))
"""
# The same conditions for a query over many volunteers (`v` is the volunteers row).
REACHABLE_CONDITION = f"""
v.erased_at IS NULL AND v.email IS NOT NULL
AND (SELECT c.given FROM consents c
     WHERE c.volunteer_id = v.volunteer_id AND c.purpose = '{EMAIL_CONSENT}'
     ORDER BY c.given_at DESC, c.consent_id DESC LIMIT 1)
AND NOT EXISTS (SELECT 1 FROM mail_bounces b WHERE b.address = lower(trim(v.email)))
"""

# Given the language and the volunteer's given name: the subject and the body.
Compose = Callable[[Language, str], tuple[str, str]]


async def mail_volunteer(
    conn: Connection, volunteer_id: UUID, kind: str, compose: Compose, at: dt.datetime
) -> bool:
    """Queue a mail to the volunteer if they may be mailed; whether it was queued."""
    row = await conn.fetchrow(_REACHABLE, volunteer_id, EMAIL_CONSENT)
    if row is None:
        return False
    language: Language = "en" if row["language"] == "en" else "nl"
    subject, body = compose(language, row["given_name"])
    await enqueue(conn, Mail(row["email"], subject, body, kind, language), at)
    await conn.execute(
        """
        INSERT INTO volunteer_mail (volunteer_id, last_contacted_at) VALUES ($1, $2)
        ON CONFLICT (volunteer_id) DO UPDATE SET last_contacted_at = EXCLUDED.last_contacted_at
        """,
        volunteer_id,
        at,
    )
    return True


async def set_language(conn: Connection, volunteer_id: UUID, language: Language) -> None:
    """The language the volunteer's mail is written in."""
    await conn.execute(
        """
        INSERT INTO volunteer_mail (volunteer_id, language) VALUES ($1, $2)
        ON CONFLICT (volunteer_id) DO UPDATE SET language = EXCLUDED.language
        """,
        volunteer_id,
        language,
    )


async def forget_volunteer(
    conn: Connection, volunteer_id: UUID, email: str | None, at: dt.datetime
) -> None:
    """On erasure: the mail to the volunteer's address (queued or kept as sent) is deleted and
    their open links stop working."""
    if email:
        await conn.execute(
            "DELETE FROM mail_outbox WHERE lower(recipient) = lower(trim($1))", email
        )
    await conn.execute(
        "UPDATE volunteer_links SET revoked_at = $2, revoked_by = 'erasure' "
        "WHERE volunteer_id = $1 AND revoked_at IS NULL",
        volunteer_id,
        at,
    )
