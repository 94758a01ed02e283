"""Links mailed to volunteers: a random token, stored only as its SHA-256.

Why a random token rather than a signed one (itsdangerous): every link must be revocable by the
coordinator and refused after its one use, so the server keeps a record of each link anyway; with
that record a signature adds nothing, while a random 256-bit token carries nothing readable (no
volunteer, no shift, no expiry in the URL) and is only a lookup key. The database keeps the hash,
so a copy of the database yields no usable link. `secrets` and `hashlib` are the standard
library: no key to rotate.

The URL is `{public_base_url}/l/{token}`: 43 characters of URL-safe base64. The record says what
the link is for (`purpose`), for whom and which shift, until when, and whether it was used or
revoked.
"""

import datetime as dt
import hashlib
import re
import secrets
from enum import StrEnum
from uuid import UUID

import asyncpg

from buurtwerk_shared.db.pool import Connection

TOKEN_PATTERN = re.compile(r"^[A-Za-z0-9_-]{43}$")


class Purpose(StrEnum):
    """The one thing a link does."""

    SHIFT_CONFIRM = "shift_confirm"
    SHIFT_DECLINE = "shift_decline"
    GAP_TAKE = "gap_take"


class Refusal(StrEnum):
    """Why a link is not (or no longer) honoured."""

    UNKNOWN = "unknown"  # never issued, or altered
    EXPIRED = "expired"
    REVOKED = "revoked"
    USED = "used"


def token_hash(token: str) -> bytes:
    """What the database keeps of a token."""
    return hashlib.sha256(token.encode("ascii")).digest()


async def issue(
    conn: Connection,
    purpose: Purpose,
    volunteer_id: UUID,
    shift_id: UUID,
    at: dt.datetime,
    expires_at: dt.datetime,
) -> str:
    """Create a link; its token (shown once, in the mail)."""
    token = secrets.token_urlsafe(32)
    await conn.execute(
        """
        INSERT INTO volunteer_links (token_hash, purpose, volunteer_id, shift_id, created_at,
                                     expires_at)
        VALUES ($1, $2, $3, $4, $5, $6)
        """,
        token_hash(token),
        purpose.value,
        volunteer_id,
        shift_id,
        at,
        expires_at,
    )
    return token


async def find(
    conn: Connection, token: str, at: dt.datetime, *, lock: bool = False
) -> tuple[asyncpg.Record | None, Refusal | None]:
    """The link's record and, if it may not be used at `at`, why not."""
    if not TOKEN_PATTERN.match(token):
        return None, Refusal.UNKNOWN
    row = await conn.fetchrow(
        "SELECT * FROM volunteer_links WHERE token_hash = $1" + (" FOR UPDATE" if lock else ""),
        token_hash(token),
    )
    if row is None:
        return None, Refusal.UNKNOWN
    if row["revoked_at"] is not None:
        return row, Refusal.REVOKED
    if row["used_at"] is not None:
        return row, Refusal.USED
    if row["expires_at"] <= at:
        return row, Refusal.EXPIRED
    return row, None


async def mark_used(conn: Connection, link: asyncpg.Record, at: dt.datetime) -> None:
    """The link has done its one action."""
    await conn.execute(
        "UPDATE volunteer_links SET used_at = $2 WHERE token_hash = $1", link["token_hash"], at
    )


async def revoke(
    conn: Connection,
    shift_id: UUID | None,
    volunteer_id: UUID | None,
    by: str,
    at: dt.datetime,
) -> int:
    """Revoke every open link of a shift, of a volunteer, or of a volunteer on a shift."""
    revoked: str = await conn.execute(
        """
        UPDATE volunteer_links SET revoked_at = $3, revoked_by = $4
        WHERE ($1::uuid IS NULL OR shift_id = $1) AND ($2::uuid IS NULL OR volunteer_id = $2)
          AND revoked_at IS NULL AND used_at IS NULL AND expires_at > $3
        """,
        shift_id,
        volunteer_id,
        at,
        by,
    )
    return int(revoked.split()[-1])
