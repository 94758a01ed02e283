"""The volunteers service as the skeleton runs it."""

import datetime as dt
from pathlib import Path

from buurtwerk_shared.contracts.events import events_of
from buurtwerk_shared.contracts.events.volunteers import SOURCE
from buurtwerk_shared.mail.sender import RetryPolicy, mail_sender_task
from buurtwerk_shared.retention import Clock, retention_task, system_clock
from buurtwerk_shared.service.definition import ServiceDefinition
from volunteers.api import allowances, groups, reference, shifts, thanks, volunteers
from volunteers.background import milestone_sweeper
from volunteers.coordinator import coordinator_app
from volunteers.domain.erasure import ERASURE_REPLAY
from volunteers.domain.retention import expired_volunteers_eraser
from volunteers.selfservice import api as self_service
from volunteers.selfservice import pages_api
from volunteers.selfservice.background import self_service_task
from volunteers.settings import VolunteersSettings


def definition(
    settings: VolunteersSettings | None = None, clock: Clock = system_clock
) -> ServiceDefinition:
    """The volunteers service, configured from the environment unless settings are given; the
    retention sweep, the self-service (reminders, invitations, links) and the mail sender read
    the time from `clock`."""
    settings = settings or VolunteersSettings()
    retention = retention_task(
        expired_volunteers_eraser(
            settings.retention_left_months, settings.retention_applicant_months
        ),
        every_seconds=settings.retention_sweep_seconds,
        limit=settings.retention_batch_size,
        clock=clock,
    )
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
            self_service.router,
            pages_api.router(settings, clock),
            milestone_sweeper(settings.milestone_sweep_seconds),
            coordinator_app(settings),
        ],
        publishes=events_of(SOURCE),
        background=[
            retention,
            self_service_task(settings, clock),
            mail_sender_task(
                settings.platform.mail,
                settings.mail_send_seconds,
                RetryPolicy(
                    dt.timedelta(seconds=settings.mail_retry_base_seconds),
                    dt.timedelta(seconds=settings.mail_retry_max_seconds),
                ),
                clock,
            ),
        ],
        erasures=ERASURE_REPLAY,
        # The coordinator's app fetches the identity provider's discovery document and tokens.
        csp_connect_sources=settings.coordinator_login().origins(),
    )
