"""Pseudonyms for people (a diner card, a participant): stable random keys, never the identity.

The first time a service sees an identifier (a card number, a participant id) it issues a random
key and stores it under HMAC-SHA256(secret, identifier); the identifier itself is never stored.
Later the same identifier hashes to the same lookup and finds the same key.

Rotating the secret: put the new secret first in the list and keep the old ones after it. A
lookup that misses under the new secret tries the old ones and, on a hit, files the same key under
the new hash too, so the key (and every unique count built on it) survives the rotation. Once every
active identifier has been seen again, or the retention period has passed, drop the old secret.

Erasing a person forgets their pseudonym: every lookup filed for their key is deleted, so the key
in published events and statistics can no longer be traced back to them, even with the secret.
"""

import hashlib
import hmac
import secrets
from collections.abc import Sequence

from pydantic import SecretStr

from buurtwerk_shared.db.pool import Connection

_FIND = "SELECT key FROM pseudonyms WHERE kind = $1 AND lookup = $2"
_FILE = """
INSERT INTO pseudonyms (kind, lookup, key) VALUES ($1, $2, $3)
ON CONFLICT (kind, lookup) DO NOTHING
"""
_FORGET = "DELETE FROM pseudonyms WHERE kind = $1 AND key = $2"


def _lookup(secret: SecretStr, kind: str, identifier: str) -> bytes:
    message = f"{kind}\x00{identifier.strip()}".encode()
    return hmac.new(secret.get_secret_value().encode(), message, hashlib.sha256).digest()


class Pseudonymizer:
    """Issues and finds pseudonyms; `secrets[0]` is current, the rest are being rotated out."""

    def __init__(self, secrets_: Sequence[SecretStr]) -> None:
        if not secrets_:
            raise ValueError("at least one pseudonym secret is required")
        self._secrets = tuple(secrets_)

    async def key_for(self, conn: Connection, kind: str, identifier: str) -> str:
        """The pseudonym of `identifier` (issued now if it is new), in the caller's transaction."""
        current = _lookup(self._secrets[0], kind, identifier)
        if key := await conn.fetchval(_FIND, kind, current):
            return str(key)
        for old_secret in self._secrets[1:]:
            if key := await conn.fetchval(_FIND, kind, _lookup(old_secret, kind, identifier)):
                await conn.execute(_FILE, kind, current, key)
                return str(key)
        await conn.execute(_FILE, kind, current, secrets.token_urlsafe(16))
        # Another request may have filed it first: read back whichever key won.
        return str(await conn.fetchval(_FIND, kind, current))

    async def existing_key(self, conn: Connection, kind: str, identifier: str) -> str | None:
        """The pseudonym already issued for `identifier` under any secret; None (and nothing
        issued) if there is none."""
        for secret in self._secrets:
            if key := await conn.fetchval(_FIND, kind, _lookup(secret, kind, identifier)):
                return str(key)
        return None

    async def forget(self, conn: Connection, kind: str, identifier: str) -> bool:
        """Delete the pseudonym of `identifier`, under every secret it was filed with; whether
        there was one. A later sighting issues a new key."""
        key = await self.existing_key(conn, kind, identifier)
        if key is None:
            return False
        await conn.execute(_FORGET, kind, key)
        return True
