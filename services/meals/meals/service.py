"""The meals service as the skeleton runs it."""

from pathlib import Path

from buurtwerk_shared.contracts.events import events_of
from buurtwerk_shared.contracts.events.meals import SOURCE
from buurtwerk_shared.service.definition import ServiceDefinition
from meals.api import (
    assets,
    cash_reports,
    menus,
    reference,
    registrations,
    reservations,
    services,
)
from meals.domain.auto_close import auto_close_task
from meals.haccp.api.routers import ROUTERS as HACCP_ROUTERS
from meals.kitchen import kitchen_app
from meals.settings import MealsSettings


def definition(settings: MealsSettings | None = None) -> ServiceDefinition:
    """The meals service, configured from the environment unless settings are given."""
    settings = settings or MealsSettings()
    return ServiceDefinition(
        name="meals",
        title="meals",
        description=(
            "Meal services of the neighbourhood centres: planning, the till, reservations, "
            "the public menu and allergen sheet, the cash report, and the HACCP kitchen log."
        ),
        settings=settings,
        migrations=Path(__file__).with_name("migrations"),
        routers=[
            reference.router,
            services.router,
            registrations.router,
            reservations.router,
            menus.router,
            cash_reports.router,
            assets.router,
            *HACCP_ROUTERS,
            kitchen_app(settings),
        ],
        publishes=events_of(SOURCE),
        # The kitchen tablet fetches the identity provider's discovery document and tokens.
        csp_connect_sources=settings.kitchen_login().origins(),
        background=[
            auto_close_task(
                every_seconds=settings.auto_close_poll_seconds,
                limit=settings.auto_close_batch_size,
            )
        ],
    )
