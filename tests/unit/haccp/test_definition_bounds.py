"""A check defined over HTTP keeps to the bounds of a kitchen's log (and of the event contract)."""

from typing import Any

import pytest
from pydantic import ValidationError

from meals.haccp.api.schemas import DefineCheck, ReviseCheck

FRIDGE: dict[str, Any] = {
    "kind": "fridge",
    "label": "Koelkast 1",
    "schedule": {"type": "times_of_day", "times": ["08:00"]},
}


@pytest.mark.parametrize(
    ("changes", "field", "reason"),
    [
        ({"limits": {"type": "range", "max": 7, "unit": "°C" * 6}}, "limits", "unit"),
        (
            {"limits": {"type": "calibration", "points": [0.0] * 11, "tolerance": 1}},
            "limits",
            "points",
        ),
        ({"limits": {"type": "checklist", "items": ["Vloer"] * 101}}, "limits", "items"),
        ({"schedule": {"type": "times_of_day", "times": ["08:00"] * 49}}, "schedule", "times"),
        (
            {"schedule": {"type": "per_service", "offset_minutes": 10**12}},
            "schedule",
            "offset_minutes",
        ),
        (
            {"limits": {"type": "timed", "from": 60, "to": 10, "within_minutes": 10**12}},
            "limits",
            "within_minutes",
        ),
        (
            {"schedule": {"type": "times_of_day", "times": ["08:00"], "weekdays": [1, 1]}},
            "schedule",
            "weekdays",
        ),
    ],
)
def test_oversized_definitions_are_refused_naming_the_part(
    changes: dict[str, Any], field: str, reason: str
) -> None:
    for model in (DefineCheck, ReviseCheck):
        body = {**FRIDGE, **changes}
        if model is ReviseCheck:
            del body["kind"]
        with pytest.raises(ValidationError) as info:
            model.model_validate(body)
        [error] = info.value.errors()
        # The part is named in the message (the log's bounds) or the location (the contract's).
        assert error["loc"][0] == field
        assert reason in error["msg"] or reason in error["loc"], error


def test_a_definition_within_bounds_is_taken() -> None:
    check = DefineCheck.model_validate(
        {**FRIDGE, "limits": {"type": "checklist", "items": ["Vloer", "Werkbanken"]}}
    )
    assert check.limits is not None
