"""The volunteers service as the skeleton runs it."""

from pathlib import Path

from buurtwerk_shared.contracts.events import events_of
from buurtwerk_shared.contracts.events.volunteers import SOURCE
from buurtwerk_shared.service.definition import ServiceDefinition
from volunteers.api import allowances, groups, reference, shifts, thanks, volunteers
from volunteers.background import milestone_sweeper
from volunteers.settings import VolunteersSettings


def definition(settings: VolunteersSettings | None = None) -> ServiceDefinition:
    """The volunteers service, configured from the environment unless settings are given."""
    settings = settings or VolunteersSettings()
    return ServiceDefinition(
        name="volunteers",
        title="volunteers",
        description="Volunteers: recruitment, guidance, shifts, hours and appreciation.",
        settings=settings,
        migrations=Path(__file__).with_name("migrations"),
        routers=[
            volunteers.router,
            groups.router,
            shifts.templates,
            shifts.router,
            thanks.router,
            allowances.router,
            reference.router,
            milestone_sweeper(settings.milestone_sweep_seconds),
        ],
        publishes=events_of(SOURCE),
    )
