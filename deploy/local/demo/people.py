"""Invented people for the demo: names that are plainly fictitious, and fake diner cards.

Every family name is a Dutch word for "made up" or "example", so no demo record can be mistaken
for a real person. Names are handed out in a fixed order, so each run finds the same people.
"""

from dataclasses import dataclass

GIVEN_NAMES = (
    "An", "Bart", "Chloé", "Dries", "Elif", "Femke", "Gert", "Hanne", "Ilias", "Jana",
    "Karim", "Lotte", "Mehmet", "Nele", "Omar", "Paulien", "Quinten", "Rania", "Sven", "Tine",
    "Usman", "Vera", "Wout", "Yasmina", "Zeno", "Amira", "Bram", "Caro", "Daan", "Eva",
    "Fatou", "Griet", "Hamza", "Ines", "Jef", "Kato", "Lars", "Mila", "Noor", "Olga",
    "Pieter", "Roos", "Samir", "Tuur", "Ula", "Victor", "Warre", "Xena", "Youssef", "Zoë",
)  # fmt: skip
FAMILY_NAMES = ("Voorbeeld", "Verzonnen", "Fictief", "Denkbeeld", "Bedacht", "Proefmans")


@dataclass(frozen=True)
class Name:
    """A fictitious person's name."""

    given: str
    family: str

    @property
    def full(self) -> str:
        """Given and family name."""
        return f"{self.given} {self.family}"

    @property
    def slug(self) -> str:
        """The name as part of an idempotency key (ASCII letters and dashes)."""
        ascii_name = self.full.replace("é", "e").replace("ë", "e").lower()
        return ascii_name.replace(" ", "-")


def names(first: int, count: int) -> list[Name]:
    """`count` distinct names from the `first`-th on (unique for the first 150)."""
    return [
        Name(GIVEN_NAMES[i % len(GIVEN_NAMES)], FAMILY_NAMES[i % len(FAMILY_NAMES)])
        for i in range(first, first + count)
    ]


def diner_card(kitchen_code: str, number: int) -> str:
    """A fake diner card number as printed on the card, e.g. `DEMO-SMD-0007`."""
    return f"DEMO-{kitchen_code}-{number:04d}"
