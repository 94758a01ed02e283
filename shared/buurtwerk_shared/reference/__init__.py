"""The catalogue's reference data (centres, kitchens, partners and code lists), loaded from data."""

import os
import tomllib
from functools import cache
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict

REFERENCE_FILE = Path(__file__).with_name("reference.toml")
# Another file of the same form (a city with other centres, a load test): read instead of the
# bundled one by every process that has it in its environment. The published JSON Schemas list
# the bundled file's codes.
REFERENCE_FILE_VARIABLE = "BUURTWERK_REFERENCE_FILE"

ReferenceKind = Literal[
    "centres",
    "kitchens",
    "partners",
    "age_bands",
    "target_groups",
    "desk_categories",
    "tariffs",
    "allergens",
]


class Labelled(BaseModel):
    """A code with its Dutch and English label."""

    model_config = ConfigDict(frozen=True)

    id: str
    nl: str
    en: str


class Kitchen(Labelled):
    """A kitchen belongs to one centre."""

    centre: str


class ReferenceData(BaseModel):
    """All reference lists of the catalogue."""

    model_config = ConfigDict(frozen=True)

    centres: tuple[Labelled, ...]
    kitchens: tuple[Kitchen, ...]
    partners: tuple[Labelled, ...]
    age_bands: tuple[Labelled, ...]
    target_groups: tuple[Labelled, ...]
    desk_categories: tuple[Labelled, ...]
    tariffs: tuple[Labelled, ...]
    allergens: tuple[Labelled, ...]

    def codes(self, kind: ReferenceKind) -> tuple[str, ...]:
        """The codes of one list, in the file's order."""
        entries: tuple[Labelled, ...] = getattr(self, kind)
        return tuple(entry.id for entry in entries)

    def kitchen(self, kitchen_id: str) -> Kitchen | None:
        """The kitchen with this id, if any."""
        return next((k for k in self.kitchens if k.id == kitchen_id), None)


@cache
def reference_data() -> ReferenceData:
    """The reference data, read once per process."""
    with Path(os.environ.get(REFERENCE_FILE_VARIABLE) or REFERENCE_FILE).open("rb") as f:
        data = ReferenceData.model_validate(tomllib.load(f))
    for kitchen in data.kitchens:
        if kitchen.centre not in data.codes("centres"):
            raise ValueError(f"kitchen {kitchen.id} names unknown centre {kitchen.centre}")
    return data
