"""Field types of the volunteers API."""

from decimal import Decimal
from typing import Annotated, Literal, TypeVar

from pydantic import AfterValidator, Field

# A person's name part as they write it.
NamePart = Annotated[str, Field(min_length=1, max_length=100, pattern=r"^[^\x00-\x1f]+$")]
# Deliberately loose: the address is checked by the mail it receives, not by us.
Email = Annotated[
    str, Field(max_length=254, pattern=r"^[^@\s]+@[^@\s]+\.[^@\s]+$", examples=["an@example.org"])
]
Phone = Annotated[str, Field(pattern=r"^\+?[0-9][0-9 ./()-]{5,24}$", examples=["+32 470 12 34 56"])]
# ISO 639 language code (e.g. `nl`, `fr`, `ar`, `ti`).
Language = Annotated[str, Field(pattern=r"^[a-z]{2,3}$", examples=["nl"])]
Skill = Annotated[
    str, Field(min_length=1, max_length=60), AfterValidator(lambda skill: skill.strip().lower())
]
ConsentPurpose = Literal["reminders_sms", "reminders_email", "photos", "newsletter"]
GroupKind = Literal["school_class", "company_team", "neighbourhood_group", "other"]
AssignmentVia = Literal["sign_up", "coordinator"]
AppreciationKind = Literal["event", "gift", "thank_you"]
QualificationCode = Annotated[str, Field(pattern=r"^[a-z][a-z0-9_]{1,49}$")]
HoursValue = Annotated[Decimal, Field(ge=0, le=24, decimal_places=2, examples=[3.5])]
Cents = Annotated[int, Field(ge=1, le=1_000_000, description="An amount in euro cents.")]


T = TypeVar("T")


def unique(values: list[T]) -> list[T]:
    """The values without repeats, in their first order."""
    return list(dict.fromkeys(values))
