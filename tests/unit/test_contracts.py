"""The public event contract: every catalogue type, its schema, and no personal data."""

import json
import re
from pathlib import Path
from typing import Any

import pytest
from pydantic import ValidationError

from buurtwerk_shared.contracts.events import EVENT_TYPES
from buurtwerk_shared.contracts.events.meals import MealServedV1, ServicePlannedV1
from buurtwerk_shared.contracts.schemas import render

SCHEMAS = Path(__file__).parents[2] / "docs" / "events"

# The event types of the catalogue, version 1: the public contract.
CATALOGUE = {
    "meals": [
        "service_planned", "service_changed", "service_cancelled", "meal_served",
        "meal_registration_corrected", "service_closed", "reservation_made",
        "reservation_cancelled", "haccp_check_defined",
        "haccp_check_recorded", "haccp_process_started", "haccp_deviation_detected",
        "haccp_corrective_action_recorded", "kitchen_refurbishment_updated",
    ],
    "volunteers": [
        "volunteer_status_changed", "shift_scheduled", "shift_changed", "shift_assignment_changed",
        "shift_completed", "hours_corrected", "milestone_reached", "appreciation_recorded",
        "volunteer_erased",
    ],
    "courses": [
        "activity_published", "activity_changed", "session_scheduled", "session_cancelled",
        "session_held", "enrolment_changed", "attendance_recorded", "attendance_corrected",
        "computer_corner_visits_recorded",
        "desk_contacts_recorded", "youth_referral_recorded", "youth_referral_outcome_recorded",
        "participant_erased",
    ],
    "reporting": [
        "indicator_updated", "manual_value_recorded", "haccp_reminder_due", "haccp_check_overdue",
    ],
    "operations": ["events_voided"],
}  # fmt: skip

# Field names that would carry personal data. Events carry ids, pseudonyms and coarse attributes.
PERSONAL = re.compile(
    r"(^|_)(name|first_?name|last_?name|surname|e_?mail|phone|mobile|address|street|"
    r"postcode|zip|birth|birthday|dob|card|card_number|national|rijksregister|iban)($|_)",
    re.IGNORECASE,
)
# Reviewed exceptions: the field is named like personal data but is not about a person.
NOT_PERSONAL = {
    ("meals.service_planned.v1", "Dish.name"),
    ("meals.service_changed.v1", "Dish.name"),
}


def test_every_catalogue_event_type_has_a_contract() -> None:
    expected = {f"{service}.{name}.v1" for service, names in CATALOGUE.items() for name in names}
    assert set(EVENT_TYPES) == expected
    for event_type, cls in EVENT_TYPES.items():
        assert cls.source == f"/buurtwerk/{event_type.split('.')[0]}"


@pytest.mark.parametrize("event_type", sorted(EVENT_TYPES))
def test_committed_schema_matches_the_contract(event_type: str) -> None:
    path = SCHEMAS / f"{event_type}.json"
    assert path.exists(), f"{path} is missing: run `make schemas`"
    assert path.read_text(encoding="utf-8") == render(event_type), (
        f"{path.name} differs from the contract. An additive change (a new optional field) needs "
        "`make schemas`; anything else breaks subscribers and must be a new .v2 type."
    )


def test_no_schema_file_without_a_contract() -> None:
    assert {p.stem for p in SCHEMAS.glob("*.json")} == set(EVENT_TYPES)


def _fields(schema: dict[str, Any], owner: str, out: list[tuple[str, str]]) -> None:
    for name in schema.get("properties", {}):
        out.append((owner, name))
    for def_name, sub in schema.get("$defs", {}).items():
        _fields(sub, def_name, out)


@pytest.mark.parametrize("event_type", sorted(EVENT_TYPES))
def test_no_event_schema_holds_a_personal_field(event_type: str) -> None:
    schema = json.loads(render(event_type))
    fields: list[tuple[str, str]] = []
    _fields(schema, "", fields)
    personal = [
        f"{owner}.{name}" if owner else name
        for owner, name in fields
        if PERSONAL.search(name) and (event_type, f"{owner}.{name}") not in NOT_PERSONAL
    ]
    assert personal == [], f"{event_type} holds personal fields {personal}"


def test_the_personal_field_check_catches_personal_fields() -> None:
    for name in ("name", "first_name", "email", "phone_number", "home_address", "birth_date",
                 "card_number", "diner_card"):  # fmt: skip
        assert PERSONAL.search(name), name
    for name in ("diner_key", "participant_key", "centre_id", "staff_id", "label", "title"):
        assert not PERSONAL.search(name), name


def test_reference_codes_are_checked_with_a_clear_reason() -> None:
    with pytest.raises(ValidationError) as info:
        MealServedV1.model_validate(
            {
                "registration_id": "3f0c5a8e-57e5-4a5e-8a0b-6f8f9c1c2d3e",
                "service_id": "3f0c5a8e-57e5-4a5e-8a0b-6f8f9c1c2d3f",
                "centre_id": "atlantis",
                "date": "2026-03-01",
                "tariff": "free",
                "count": 1,
                "takeaway": False,
            }
        )
    errors = {e["loc"][0]: e["msg"] for e in info.value.errors()}
    assert "unknown centre 'atlantis'" in str(errors["centre_id"])
    assert "unknown tariff 'free'" in str(errors["tariff"])


def test_schemas_list_the_reference_codes() -> None:
    schema = ServicePlannedV1.model_json_schema()
    assert schema["properties"]["centre_id"]["enum"][0] == "sint-maartensdal"
    assert len(schema["$defs"]["Dish"]["properties"]["allergens"]["items"]["enum"]) == 14


def test_optional_fields_without_a_value_are_left_out_and_nullable_ones_written() -> None:
    from datetime import UTC, datetime
    from uuid import uuid4

    from buurtwerk_shared.contracts.events.meals import ServiceChangedV1
    from buurtwerk_shared.contracts.events.reporting import IndicatorUpdatedV1

    changed = ServiceChangedV1(
        service_id=uuid4(),
        centre_id="mannenstraat",
        date="2026-03-12",
        changed_at=datetime.now(UTC),
        capacity=30,
    )
    data = json.loads(changed.to_json())
    assert data["capacity"] == 30
    assert not {"starts_at", "prices", "dishes"} & data.keys(), "only the changed fields"
    city = IndicatorUpdatedV1(
        indicator_id="meals.served",
        centre_id=None,
        period="2026-03",
        unit="meals",
        value=None,
        suppressed=True,
    )
    assert json.loads(city.to_json())["centre_id"] is None
    assert json.loads(city.to_json())["value"] is None
