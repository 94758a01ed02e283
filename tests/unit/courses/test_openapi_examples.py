"""Every example in the courses API document is a body the API accepts or returns."""

from typing import Any

import pytest
from pydantic import BaseModel

from courses.api.schemas import activities, enrolments, participants, referrals, sessions, tallies

MODELS = [
    cls
    for module in (activities, enrolments, participants, referrals, sessions, tallies)
    for cls in vars(module).values()
    if isinstance(cls, type) and issubclass(cls, BaseModel) and cls.__module__ == module.__name__
]


def examples(model: type[BaseModel]) -> list[dict[str, Any]]:
    found: list[dict[str, Any]] = model.model_json_schema().get("examples", [])
    return found


def test_every_request_body_has_an_example() -> None:
    requests = [cls for cls in MODELS if cls.model_config.get("extra") == "forbid"]
    assert len(requests) > 10
    assert [cls.__name__ for cls in requests if not examples(cls)] == []


@pytest.mark.parametrize(
    ("model", "example"),
    [
        pytest.param(cls, example, id=f"{cls.__name__}-{i}")
        for cls in MODELS
        for i, example in enumerate(examples(cls))
    ],
)
def test_examples_validate(model: type[BaseModel], example: dict[str, Any]) -> None:
    model.model_validate(example)
