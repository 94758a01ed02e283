"""The reporting service as the skeleton runs it."""

from pathlib import Path

from buurtwerk_shared.contracts.events import events_of
from buurtwerk_shared.contracts.events.reporting import SOURCE
from buurtwerk_shared.messaging.topology import ConsumerQueue
from buurtwerk_shared.service.definition import Consumer, ServiceDefinition
from reporting.api import indicators
from reporting.projections import meals
from reporting.reminders import api as reminders_api
from reporting.reminders import projection as reminders
from reporting.reminders.scheduler import run_scheduler
from reporting.settings import ReportingSettings


def definition(settings: ReportingSettings | None = None) -> ServiceDefinition:
    """The reporting service, configured from the environment unless settings are given."""
    settings = settings or ReportingSettings()
    projections = ConsumerQueue(
        name="reporting.projections",
        event_types=meals.EVENT_TYPES,
        delivery_limit=settings.delivery_limit,
    )
    reminder_events = ConsumerQueue(
        name=reminders.QUEUE,
        event_types=reminders.EVENT_TYPES,
        delivery_limit=settings.delivery_limit,
    )
    return ServiceDefinition(
        name="reporting",
        title="reporting",
        description="Indicators per action point of the city's policy plan, from every event; "
        "HACCP reminders.",
        settings=settings,
        migrations=Path(__file__).with_name("migrations"),
        routers=[indicators.router, reminders_api.router],
        consumers=[
            Consumer(queue=projections, handler=meals.project),
            Consumer(queue=reminder_events, handler=reminders.project),
        ],
        publishes=events_of(SOURCE),
        background=[run_scheduler],
    )
