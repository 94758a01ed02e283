"""Write the AsyncAPI document of each service into `docs/asyncapi/` (run: `make schemas`).

The documents are checked in for subscribers; the running services serve the same document at
`GET /asyncapi.json`. They describe the broker as the compose stack runs it (host `rabbitmq`,
vhost `buurtwerk`), whatever broker this process is configured for, so the checked-in text does
not depend on who generated it.
"""

import contextlib
import json
import os
import sys
from collections.abc import Iterator
from pathlib import Path

from buurtwerk_shared.service.app import asyncapi, create_broker
from buurtwerk_shared.tools.installed import installed_services

DOCUMENTED_BROKER = "amqp://rabbitmq:5672/buurtwerk"


@contextlib.contextmanager
def _documented_broker() -> Iterator[None]:
    """Configure the services for the documented broker while their documents are built."""
    pinned = {"BUURTWERK_AMQP_URL": DOCUMENTED_BROKER, "BUURTWERK_TOPOLOGY_PREFIX": ""}
    saved = {name: os.environ.get(name) for name in pinned}
    os.environ.update(pinned)
    try:
        yield
    finally:
        for name, value in saved.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value


def render_all() -> dict[str, str]:
    """The AsyncAPI document (stable JSON text) of every installed service, by service name."""
    documents = {}
    with _documented_broker():
        for definition in installed_services():
            broker = create_broker(definition)
            spec = asyncapi(definition, broker).to_specification().to_jsonable()
            text = json.dumps(spec, indent=2, ensure_ascii=False, sort_keys=True)
            documents[definition.name] = text + "\n"
    return documents


def write_all(target: Path) -> list[Path]:
    """Write every service's document to `target/<service>.json`."""
    target.mkdir(parents=True, exist_ok=True)
    written = []
    for name, text in render_all().items():
        path = target / f"{name}.json"
        path.write_text(text, encoding="utf-8")
        written.append(path)
    return written


if __name__ == "__main__":
    for path in write_all(Path(sys.argv[1]) if len(sys.argv) > 1 else Path("docs/asyncapi")):
        print(path)  # noqa: T201
