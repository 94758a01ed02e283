"""The meals service as the skeleton runs it."""

from pathlib import Path

from buurtwerk_shared.contracts.events import events_of
from buurtwerk_shared.contracts.events.meals import SOURCE
from buurtwerk_shared.service.definition import ServiceDefinition
from meals.api import services
from meals.haccp.api.routers import ROUTERS as HACCP_ROUTERS
from meals.settings import MealsSettings


def definition(settings: MealsSettings | None = None) -> ServiceDefinition:
    """The meals service, configured from the environment unless settings are given."""
    return ServiceDefinition(
        name="meals",
        title="meals",
        description="Meal services of the neighbourhood centres and the meals served in them.",
        settings=settings or MealsSettings(),
        migrations=Path(__file__).with_name("migrations"),
        routers=[services.router, *HACCP_ROUTERS],
        publishes=events_of(SOURCE),
    )
