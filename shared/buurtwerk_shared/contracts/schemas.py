"""Generate the JSON Schema of every event type into `docs/events/` (run: `make schemas`)."""

import json
import sys
from pathlib import Path
from typing import Any

from buurtwerk_shared.contracts.events import EVENT_TYPES

SCHEMA_DIALECT = "https://json-schema.org/draft/2020-12/schema"


def event_schema(event_type: str) -> dict[str, Any]:
    """The JSON Schema of one event type's data, with its CloudEvents type and source."""
    cls = EVENT_TYPES[event_type]
    schema = cls.model_json_schema(mode="serialization")
    return {
        "$schema": SCHEMA_DIALECT,
        "$id": f"https://buurtwerk.leuven.be/events/{event_type}.json",
        "x-cloudevents-type": event_type,
        "x-cloudevents-source": cls.source,
        **schema,
    }


def render(event_type: str) -> str:
    """The schema as the stable text that is checked in."""
    return json.dumps(event_schema(event_type), indent=2, ensure_ascii=False, sort_keys=True) + "\n"


def write_all(target: Path) -> list[Path]:
    """Write every schema to `target`, removing schemas of types that no longer exist."""
    target.mkdir(parents=True, exist_ok=True)
    written = []
    for event_type in sorted(EVENT_TYPES):
        path = target / f"{event_type}.json"
        path.write_text(render(event_type), encoding="utf-8")
        written.append(path)
    for stale in set(target.glob("*.json")) - set(written):
        stale.unlink()
    return written


if __name__ == "__main__":
    out = Path(sys.argv[1]) if len(sys.argv) > 1 else Path("docs/events")
    for path in write_all(out):
        print(path)  # noqa: T201
