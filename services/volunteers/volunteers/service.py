"""The volunteers service as the skeleton runs it."""

from pathlib import Path

from buurtwerk_shared.contracts.events import events_of
from buurtwerk_shared.contracts.events.volunteers import SOURCE
from buurtwerk_shared.service.definition import ServiceDefinition
from volunteers.settings import VolunteersSettings


def definition(settings: VolunteersSettings | None = None) -> ServiceDefinition:
    """The volunteers service, configured from the environment unless settings are given."""
    return ServiceDefinition(
        name="volunteers",
        title="volunteers",
        description="Volunteers: recruitment, guidance, shifts, hours and appreciation.",
        settings=settings or VolunteersSettings(),
        migrations=Path(__file__).with_name("migrations"),
        publishes=events_of(SOURCE),
    )
