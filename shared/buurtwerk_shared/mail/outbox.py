"""Queueing a mail: a row in the service's `mail_outbox`, in the caller's open transaction.

The tables (`mail_outbox`, `mail_bounces`) are created by each sending service's own migration:
the addresses are personal data and stay in the service that owns the person.
"""

import datetime as dt
from dataclasses import dataclass
from uuid import UUID, uuid4

from buurtwerk_shared.db.pool import Connection


@dataclass(frozen=True)
class Mail:
    """One plain-text mail to one address; `kind` says why it is sent (for the figures)."""

    recipient: str
    subject: str
    body: str
    kind: str
    language: str = "nl"


async def is_bounced(conn: Connection, address: str) -> bool:
    """Whether a mail to this address came back with a permanent failure."""
    return bool(
        await conn.fetchval(
            "SELECT true FROM mail_bounces WHERE address = lower($1)", address.strip()
        )
    )


async def enqueue(conn: Connection, mail: Mail, at: dt.datetime) -> UUID:
    """Queue a mail, due at once; sent after the caller's transaction commits."""
    mail_id = uuid4()
    await conn.execute(
        """
        INSERT INTO mail_outbox (mail_id, recipient, subject, body, kind, language, queued_at,
                                 next_attempt_at)
        VALUES ($1, $2, $3, $4, $5, $6, $7, $7)
        """,
        mail_id,
        mail.recipient.strip(),
        mail.subject,
        mail.body,
        mail.kind,
        mail.language,
        at,
    )
    return mail_id
