"""Local clock times, dates and instants in requests: what each service accepts."""

from typing import Any

import pytest
from pydantic import BaseModel, ValidationError

from courses.api.schemas.sessions import ScheduleSessions
from meals.schemas.services import PlanService
from reporting.api.manual_values import ManualValueIn
from volunteers.api.schemas.shifts import NewShift
from volunteers.api.schemas.volunteers import StatusChange

SHIFT = {
    "centre_id": "mannenstraat",
    "role": "welcome_desk",
    "date": "2026-03-14",
    "start_time": "09:00",
    "end_time": "12:00",
    "needed": 1,
}
SESSION = {"date": "2026-03-10", "start_time": "13:30", "end_time": "15:30"}
SERVICE = {
    "centre_id": "mannenstraat",
    "kitchen_id": "mannenstraat-keuken",
    "date": "2026-03-12",
    "start_time": "12:00",
    "capacity": 40,
    "prices": {"standard": 650},
    "dishes": [{"name": "Soep", "allergens": []}],
}


def refused(model: type[BaseModel], body: dict[str, Any]) -> list[str]:
    with pytest.raises(ValidationError) as info:
        model.model_validate(body)
    return [".".join(str(part) for part in error["loc"]) for error in info.value.errors()]


@pytest.mark.parametrize(
    ("model", "base"), [(NewShift, SHIFT), (ScheduleSessions, SESSION), (PlanService, SERVICE)]
)
def test_a_clock_time_with_an_offset_or_a_date_outside_the_calendar_is_refused(
    model: type[BaseModel], base: dict[str, Any]
) -> None:
    model.model_validate(base)
    assert refused(model, {**base, "start_time": "09:00:00+02:00"}) == ["start_time"]
    assert refused(model, {**base, "date": "0639-04-23"}) == ["date"]
    assert refused(model, {**base, "date": "2100-01-01"}) == ["date"]


def test_an_instant_outside_the_calendar_is_refused_before_any_conversion() -> None:
    StatusChange.model_validate({"status": "intake", "changed_at": "2026-03-05T14:00:00+01:00"})
    for far in ("0001-01-01T00:30:00+05:00", "9999-12-31T23:30:00-05:00"):
        assert refused(StatusChange, {"status": "intake", "changed_at": far}) == ["changed_at"]


def test_a_manual_value_keeps_its_text_and_indicator_short() -> None:
    base = {"indicator_id": "kettekeet.status", "period": "2026", "source_note": "College"}
    ManualValueIn.model_validate({**base, "value": "Verkenning met vzw"})
    too_long = refused(ManualValueIn, {**base, "value": "x" * 501})
    assert too_long == ["value.float", "value.constrained-str"]
    assert refused(ManualValueIn, {**base, "value": 1, "indicator_id": "x" * 65}) == [
        "indicator_id"
    ]
