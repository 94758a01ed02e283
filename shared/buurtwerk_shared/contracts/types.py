"""Field types shared by the event contracts.

Reference codes (centres, tariffs, allergens, ...) are checked against the reference data file,
and the generated JSON Schema lists the codes, so the data file is their one source.
"""

from collections.abc import Callable
from functools import cache
from typing import Annotated, Any

from pydantic import AfterValidator, Field, WithJsonSchema

from buurtwerk_shared.reference import ReferenceKind, reference_data

_SINGULAR: dict[ReferenceKind, str] = {
    "centres": "centre",
    "kitchens": "kitchen",
    "partners": "partner",
    "age_bands": "age band",
    "target_groups": "target group",
    "desk_categories": "desk category",
    "tariffs": "tariff",
    "allergens": "allergen",
}


@cache
def _code_set(kind: ReferenceKind) -> frozenset[str]:
    # Every event a consumer validates checks its codes: look them up in a set, built once.
    return frozenset(reference_data().codes(kind))


def _member_of(kind: ReferenceKind) -> Callable[[str], str]:
    def check(value: str) -> str:
        if value not in _code_set(kind):
            codes = reference_data().codes(kind)
            raise ValueError(f"unknown {_SINGULAR[kind]} '{value}'; known: {', '.join(codes)}")
        return value

    return check


def _enum_schema(kind: ReferenceKind) -> dict[str, Any]:
    return {"type": "string", "enum": list(reference_data().codes(kind))}


CentreId = Annotated[
    str, AfterValidator(_member_of("centres")), WithJsonSchema(_enum_schema("centres"))
]
KitchenId = Annotated[
    str, AfterValidator(_member_of("kitchens")), WithJsonSchema(_enum_schema("kitchens"))
]
PartnerId = Annotated[
    str, AfterValidator(_member_of("partners")), WithJsonSchema(_enum_schema("partners"))
]
AgeBand = Annotated[
    str, AfterValidator(_member_of("age_bands")), WithJsonSchema(_enum_schema("age_bands"))
]
TargetGroup = Annotated[
    str,
    AfterValidator(_member_of("target_groups")),
    WithJsonSchema(_enum_schema("target_groups")),
]
DeskCategory = Annotated[
    str,
    AfterValidator(_member_of("desk_categories")),
    WithJsonSchema(_enum_schema("desk_categories")),
]
Tariff = Annotated[
    str, AfterValidator(_member_of("tariffs")), WithJsonSchema(_enum_schema("tariffs"))
]
Allergen = Annotated[
    str, AfterValidator(_member_of("allergens")), WithJsonSchema(_enum_schema("allergens"))
]

# A pseudonym issued by the service that owns the person (diner card, participant): opaque.
Pseudonym = Annotated[str, Field(min_length=8, max_length=64, pattern=r"^[A-Za-z0-9_-]+$")]
# The `sub` of the caller's token: an opaque id from the identity provider, never a name.
StaffId = Annotated[str, Field(min_length=1, max_length=128)]
ShortText = Annotated[str, Field(min_length=1, max_length=200)]
LongText = Annotated[str, Field(min_length=1, max_length=2000)]
