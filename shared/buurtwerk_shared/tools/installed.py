"""The services installed next to these tools (a service image holds one, a checkout all four)."""

import importlib
from collections.abc import Iterator

from buurtwerk_shared.service.definition import ServiceDefinition

SERVICE_NAMES = ("meals", "volunteers", "courses", "reporting")


def installed_services() -> Iterator[ServiceDefinition]:
    """The definition of every installed service, configured from the environment."""
    for name in SERVICE_NAMES:
        try:
            module = importlib.import_module(f"{name}.service")
        except ModuleNotFoundError:
            continue
        definition: ServiceDefinition = module.definition()
        yield definition
