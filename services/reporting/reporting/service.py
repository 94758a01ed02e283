"""The reporting service as the skeleton runs it.

One consumer queue feeds the projections; a second consumer (the HACCP reminders) and its
routers are added to the lists below the same way.
"""

from pathlib import Path

from buurtwerk_shared.contracts.events import events_of
from buurtwerk_shared.contracts.events.reporting import SOURCE
from buurtwerk_shared.messaging.topology import ConsumerQueue
from buurtwerk_shared.service.definition import Consumer, ServiceDefinition
from reporting.api import dashboard, indicators, manual_values, report
from reporting.projections import project
from reporting.runtime import runtime_router
from reporting.settings import ReportingSettings


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
    consumers = [
        Consumer(
            queue=projections_queue(settings),
            handler=project.live_handler(settings.publish_debounce_seconds),
        ),
    ]
    routers = [
        runtime_router(settings),
        indicators.router,
        report.router,
        manual_values.router,
        dashboard.router,
    ]
    return ServiceDefinition(
        name="reporting",
        title="reporting",
        description="Indicators per action point of the city's policy plan, from every event.",
        settings=settings,
        migrations=Path(__file__).with_name("migrations"),
        routers=routers,
        consumers=consumers,
        publishes=events_of(SOURCE),
    )
