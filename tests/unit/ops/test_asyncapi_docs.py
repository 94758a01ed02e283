"""The checked-in AsyncAPI documents are those the services generate, one per service."""

import json
from pathlib import Path

from buurtwerk_shared.contracts.events import EVENT_TYPES, events_of
from buurtwerk_shared.contracts.events.operations import SOURCE as OPERATIONS
from buurtwerk_shared.tools.asyncapi import render_all

DOCS = Path(__file__).parents[3] / "docs" / "asyncapi"


def test_each_service_has_its_current_asyncapi_document_checked_in() -> None:
    documents = render_all()
    assert set(documents) == {"meals", "volunteers", "courses", "reporting"}
    for name, text in documents.items():
        path = DOCS / f"{name}.json"
        assert path.exists(), f"{path} is missing: run `make schemas`"
        assert path.read_text() == text, f"{path} is out of date: run `make schemas`"


def test_every_published_event_type_is_a_channel_of_its_service() -> None:
    channels: set[str] = set()
    for path in DOCS.glob("*.json"):
        document = json.loads(path.read_text())
        assert document["asyncapi"] == "3.0.0"
        channels |= {channel["address"] for channel in document["channels"].values()}
    # The operators' tools publish the rest (a void); no service document describes them.
    by_tools = {cls.event_type for cls in events_of(OPERATIONS)}
    assert channels == set(EVENT_TYPES) - by_tools
