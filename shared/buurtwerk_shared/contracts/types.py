"""Field types shared by the event contracts.

Reference codes (centres, tariffs, allergens, ...) are checked against the reference data file,
and the generated JSON Schema lists the codes, so the data file is their one source.
"""

from collections.abc import Callable
from functools import cache
from typing import Annotated, Any

from pydantic import AfterValidator, Field, WithJsonSchema

from buurtwerk_shared.reference import ReferenceKind, reference_data
from buurtwerk_shared.web.fields import FIRST_DATE, LAST_DATE, CalendarDate, Instant

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

# The domain's bounds on every event field (docs/events: the published schemas carry them). A
# value beyond them is a forgery or a bug, never a fact: consumers dead-letter it (`invalid_data`)
# before it reaches a figure or a 32-bit database column.
# Dates and instants: the calendar the services accept at their doors (`web.fields`), 2000-2099.
EventDate = Annotated[
    CalendarDate,
    Field(
        json_schema_extra={
            "formatMinimum": FIRST_DATE.isoformat(),
            "formatMaximum": LAST_DATE.isoformat(),
        }
    ),
]
EventInstant = Annotated[
    Instant,
    Field(
        json_schema_extra={
            "formatMinimum": f"{FIRST_DATE.isoformat()}T00:00:00-12:00",
            "formatMaximum": f"{LAST_DATE.isoformat()}T23:59:59+14:00",
        }
    ),
]
# Meals in one registration, correction or reservation: more than 1,000 is absurd (the till
# takes at most 500 at once).
MAX_MEALS = 1000
MealCount = Annotated[int, Field(ge=1, le=MAX_MEALS)]
MealCountOrZero = Annotated[int, Field(ge=0, le=MAX_MEALS)]
# Seats of a meal service or places of an activity (the services' own limit), and people at once.
Seats = Annotated[int, Field(ge=1, le=1000)]
People = Annotated[int, Field(ge=0, le=1000)]
# A day's or a service's total at one centre (visits, contacts, meals), or a city-wide headcount.
Total = Annotated[int, Field(ge=0, le=10_000)]
# A price in euro cents: at most 1,000 euro, as the meals service accepts.
PriceCents = Annotated[int, Field(ge=0, le=100_000)]
# A measured value (°C and the like): finite, within what a kitchen thermometer can show.
Reading = Annotated[float, Field(ge=-1000, le=1000, allow_inf_nan=False)]
Unit = Annotated[str, Field(min_length=1, max_length=20)]
# Minutes of a delay or a process: at most a week.
Minutes = Annotated[int, Field(ge=0, le=7 * 24 * 60)]
# A definition's version number.
Version = Annotated[int, Field(ge=1, le=1_000_000)]
