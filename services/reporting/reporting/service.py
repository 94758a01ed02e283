"""The reporting service as the skeleton runs it.

Two consumer queues: `reporting.projections` feeds the indicators, `reporting.reminders` the
HACCP reminders, whose scheduler runs as a background task; a second one takes voided events out
of the projections.
"""

from pathlib import Path

from buurtwerk_shared.contracts.events import events_of
from buurtwerk_shared.contracts.events.reporting import SOURCE
from buurtwerk_shared.messaging.topology import ConsumerQueue
from buurtwerk_shared.service.definition import Consumer, ServiceDefinition
from reporting.api import dashboard, indicators, manual_values, report
from reporting.dashboard import dashboard_app
from reporting.projections import project, vetting
from reporting.reminders import api as reminders_api
from reporting.reminders import projection as reminders
from reporting.reminders.scheduler import run_scheduler
from reporting.runtime import runtime_router
from reporting.settings import ReportingSettings
from reporting.void_rebuilds import run_void_rebuilds


def projections_queue(settings: ReportingSettings) -> ConsumerQueue:
    """The queue of every event type the indicators are computed from."""
    return ConsumerQueue(
        name="reporting.projections",
        event_types=project.EVENT_TYPES,
        delivery_limit=settings.delivery_limit,
    )


def definition(settings: ReportingSettings | None = None) -> ServiceDefinition:
    """The reporting service, configured from the environment unless settings are given."""
    settings = settings or ReportingSettings()
    reminder_events = ConsumerQueue(
        name=reminders.QUEUE,
        event_types=reminders.EVENT_TYPES,
        delivery_limit=settings.delivery_limit,
    )
    consumers = [
        Consumer(
            queue=projections_queue(settings),
            handler=project.live_handler(settings.publish_debounce_seconds),
            vet=vetting.refusals,
        ),
        Consumer(queue=reminder_events, handler=reminders.project),
    ]
    routers = [
        runtime_router(settings),
        indicators.router,
        report.router,
        manual_values.router,
        dashboard.router,
        dashboard_app(settings),
        reminders_api.router,
    ]
    return ServiceDefinition(
        name="reporting",
        title="reporting",
        description="Indicators per action point of the city's policy plan, from every event; "
        "HACCP reminders.",
        settings=settings,
        migrations=Path(__file__).with_name("migrations"),
        routers=routers,
        consumers=consumers,
        publishes=events_of(SOURCE),
        background=[run_scheduler, run_void_rebuilds],
        # The dashboard fetches the identity provider's discovery document and token endpoint.
        csp_connect_sources=settings.dashboard_login().origins(),
    )
