"""The diner card number as it arrives at the till: a secret that only lives until it is hashed.

It is a `SecretStr`, so it never shows in a repr or a log line; models that carry it set
`hide_input_in_errors`, so a refused number is not repeated in an error either. The service
turns it into a pseudonym in the same request and keeps nothing else of it.
"""

import re
from typing import Annotated

from pydantic import AfterValidator, Field, SecretStr, WithJsonSchema

# Printed cards group their digits; the till may type them with or without separators.
_SEPARATORS = re.compile(r"[\s.\-/]")
_CARD = re.compile(r"[A-Za-z0-9]{4,32}")


def normalise_card(card: SecretStr) -> SecretStr:
    """The card number without separators, upper case; refuses anything else (not echoed)."""
    compact = _SEPARATORS.sub("", card.get_secret_value())
    if not _CARD.fullmatch(compact):
        raise ValueError(
            "a diner card number is 4 to 32 letters or digits "
            "(spaces, dots, dashes and slashes are ignored)"
        )
    return SecretStr(compact.upper())


DinerCard = Annotated[
    SecretStr,
    Field(max_length=64),
    AfterValidator(normalise_card),
    WithJsonSchema(
        {
            "type": "string",
            "writeOnly": True,
            "maxLength": 64,
            "description": (
                "The diner's card number, read at the till. Turned into a pseudonymous diner key "
                "at once; the number itself is never stored, logged or published."
            ),
            "examples": ["4711 0042 1234"],
        }
    ),
]
