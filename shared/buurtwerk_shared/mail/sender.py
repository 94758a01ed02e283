"""The mail sender: hands the due rows of the mail outbox to the SMTP server, one at a time.

Each mail is claimed with `FOR UPDATE SKIP LOCKED` (replicas never send one mail at the same
time), sent, and marked in the same transaction. The outcome of a conversation decides:

- accepted: `sent_at` is set. If the process dies between the server's acceptance and the commit,
  the mail is sent again (at least once); its `Message-ID` is the outbox id, so a mail program
  can tell the copies apart.
- the recipient refused with a 5xx code (a hard bounce): the mail is given up and the address is
  recorded in `mail_bounces`, so that no further mail is queued for it until corrected.
- another 5xx answer (the message itself refused): the mail is given up, the address kept.
- a 4xx answer, a refused connection, a timeout: the mail is tried again after a back-off that
  doubles with every attempt (`retry_base_seconds` up to `retry_max_seconds`). A server that is
  down delays the mails and loses none. After a connection failure the round stops, so a dead
  server costs one attempt per round, not one per queued mail.
"""

import asyncio
import contextlib
import datetime as dt
import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from email.message import EmailMessage
from email.utils import format_datetime, make_msgid

import aiosmtplib
import asyncpg

from buurtwerk_shared import clock
from buurtwerk_shared.config import MailSettings
from buurtwerk_shared.db.pool import Connection
from buurtwerk_shared.messaging.consumer import TRANSIENT_ERRORS
from buurtwerk_shared.service.definition import BackgroundContext, BackgroundTask

log = logging.getLogger(__name__)

Clock = Callable[[], dt.datetime]

_CLAIM = """
SELECT mail_id, recipient, subject, body, language, attempts
FROM mail_outbox
WHERE sent_at IS NULL AND failed_at IS NULL AND next_attempt_at <= $1
ORDER BY next_attempt_at, queued_at
LIMIT 1
FOR UPDATE SKIP LOCKED
"""
# Sent mail is kept this long (for the figures and a question "did it go out?"), then deleted:
# the address in it is personal data.
KEEP_SENT = dt.timedelta(days=30)


@dataclass
class Round:
    """What one round of sending did."""

    sent: int = 0
    retried: int = 0
    bounced: int = 0
    failed: int = 0
    errors: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class RetryPolicy:
    """The back-off between attempts: `base` doubled with every failed attempt, up to `most`."""

    base: dt.timedelta = dt.timedelta(seconds=30)
    most: dt.timedelta = dt.timedelta(hours=1)

    def delay(self, attempts: int) -> dt.timedelta:
        """How long to wait after the `attempts`-th failed attempt."""
        delay: dt.timedelta = self.base * 2 ** max(attempts - 1, 0)
        return min(delay, self.most)


def message(settings: MailSettings, row: asyncpg.Record, at: dt.datetime) -> EmailMessage:
    """The e-mail of an outbox row (plain text, UTF-8)."""
    mail = EmailMessage()
    mail["From"] = settings.from_address
    mail["To"] = row["recipient"]
    mail["Subject"] = row["subject"]
    mail["Date"] = format_datetime(at)
    mail["Message-ID"] = make_msgid(idstring=str(row["mail_id"]), domain="buurtwerk.invalid")
    mail["Content-Language"] = row["language"]
    # Automatic answers (out-of-office) should not come back to a no-reply address.
    mail["Auto-Submitted"] = "auto-generated"
    mail.set_content(row["body"])
    return mail


async def _send(settings: MailSettings, mail: EmailMessage) -> None:
    password = settings.password.get_secret_value() if settings.password else None
    await aiosmtplib.send(
        mail,
        hostname=settings.smtp_host,
        port=settings.smtp_port,
        start_tls=settings.start_tls,
        username=settings.username,
        password=password,
        timeout=settings.timeout_seconds,
    )


def _refusal_code(exc: aiosmtplib.SMTPException) -> int | None:
    """The code with which the server refused the (single) recipient, if it did."""
    if isinstance(exc, aiosmtplib.SMTPRecipientsRefused) and exc.recipients:
        return exc.recipients[0].code
    if isinstance(exc, aiosmtplib.SMTPRecipientRefused):
        return exc.code
    return None


async def send_one(
    pool: asyncpg.Pool, settings: MailSettings, now: dt.datetime, policy: RetryPolicy, done: Round
) -> bool:
    """Send the next due mail, if any; False when none was due or the server is unreachable."""
    async with pool.acquire() as conn, conn.transaction():
        row = await conn.fetchrow(_CLAIM, now)
        if row is None:
            return False
        attempts = row["attempts"] + 1
        try:
            await _send(settings, message(settings, row, now))
        except aiosmtplib.SMTPException as exc:
            refused = _refusal_code(exc)
            code = refused or getattr(exc, "code", None)
            error = f"{type(exc).__name__}: {code or ''} {exc}".strip()[:500]
            if refused is not None and refused >= 500:
                await _give_up(conn, row, attempts, now, error)
                await conn.execute(
                    "INSERT INTO mail_bounces (address, bounced_at, code, reason) "
                    "VALUES (lower($1), $2, $3, $4) ON CONFLICT (address) DO UPDATE "
                    "SET bounced_at = EXCLUDED.bounced_at, code = EXCLUDED.code, "
                    "reason = EXCLUDED.reason",
                    row["recipient"],
                    now,
                    refused,
                    error,
                )
                done.bounced += 1
                return True
            if (
                code is not None
                and code >= 500
                and not isinstance(exc, aiosmtplib.SMTPConnectError)
            ):
                await _give_up(conn, row, attempts, now, error)
                done.failed += 1
                return True
            await _retry(conn, row, attempts, now + policy.delay(attempts), error)
            done.retried += 1
            done.errors.append(error)
            return not isinstance(exc, aiosmtplib.SMTPConnectError | aiosmtplib.SMTPTimeoutError)
        except (OSError, TimeoutError) as exc:
            error = f"{type(exc).__name__}: {exc}"[:500]
            await _retry(conn, row, attempts, now + policy.delay(attempts), error)
            done.retried += 1
            done.errors.append(error)
            return False
        await conn.execute(
            "UPDATE mail_outbox SET sent_at = $2, attempts = $3, last_error = NULL "
            "WHERE mail_id = $1",
            row["mail_id"],
            now,
            attempts,
        )
        done.sent += 1
        return True


async def _retry(
    conn: Connection, row: asyncpg.Record, attempts: int, at: dt.datetime, error: str
) -> None:
    await conn.execute(
        "UPDATE mail_outbox SET attempts = $2, next_attempt_at = $3, last_error = $4 "
        "WHERE mail_id = $1",
        row["mail_id"],
        attempts,
        at,
        error,
    )


async def _give_up(
    conn: Connection, row: asyncpg.Record, attempts: int, at: dt.datetime, error: str
) -> None:
    await conn.execute(
        "UPDATE mail_outbox SET attempts = $2, failed_at = $3, last_error = $4 WHERE mail_id = $1",
        row["mail_id"],
        attempts,
        at,
        error,
    )


async def send_due(
    pool: asyncpg.Pool,
    settings: MailSettings,
    now: dt.datetime,
    policy: RetryPolicy | None = None,
    limit: int = 100,
) -> Round:
    """Send the mails due at `now`, up to `limit`; stops early when the server is unreachable."""
    done = Round()
    policy = policy or RetryPolicy()
    for _ in range(limit):
        if not await send_one(pool, settings, now, policy, done):
            break
    async with pool.acquire() as conn:
        await conn.execute(
            "DELETE FROM mail_outbox WHERE sent_at < $1::timestamptz - $2::interval",
            now,
            KEEP_SENT,
        )
    return done


def mail_sender_task(
    settings: MailSettings,
    every_seconds: float,
    policy: RetryPolicy | None = None,
    now: Clock = clock.now,
) -> BackgroundTask:
    """A background task sending due mail every `every_seconds` until the service stops."""

    async def run_mail_sender(context: BackgroundContext) -> None:
        while not context.stopping.is_set():
            try:
                done = await send_due(context.pool, settings, now(), policy)
                if done.sent or done.retried or done.bounced or done.failed:
                    log.info(
                        "mail: %d sent, %d to retry, %d bounced, %d refused",
                        done.sent,
                        done.retried,
                        done.bounced,
                        done.failed,
                    )
                for error in done.errors[:1]:
                    log.warning("mail: the SMTP server did not take a mail: %s", error)
            except TRANSIENT_ERRORS as exc:
                log.warning("mail: database unavailable, retrying later: %r", exc)
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(context.stopping.wait(), every_seconds)

    return run_mail_sender
