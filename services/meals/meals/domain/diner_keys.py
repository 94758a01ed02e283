"""Diner keys: the pseudonym a diner card number becomes the moment it reaches the service."""

from pydantic import SecretStr

from buurtwerk_shared.db.pool import Connection
from buurtwerk_shared.pseudonyms import Pseudonymizer

KIND = "diner_card"


async def diner_key(
    conn: Connection, pseudonyms: Pseudonymizer, card: SecretStr | None
) -> str | None:
    """The diner's pseudonymous key (issued on first sight), or None without a card."""
    if card is None:
        return None
    return await pseudonyms.key_for(conn, KIND, card.get_secret_value())
