"""The courses service as the skeleton runs it."""

from pathlib import Path

from buurtwerk_shared.contracts.events import events_of
from buurtwerk_shared.contracts.events.courses import SOURCE
from buurtwerk_shared.pseudonyms import Pseudonymizer
from buurtwerk_shared.retention import Clock, retention_task, system_clock
from buurtwerk_shared.service.definition import ServiceDefinition
from courses.api import activities, enrolments, participants, referrals, sessions, tallies
from courses.coordinator import coordinator_app
from courses.domain.erasure import erasure_replay
from courses.domain.retention import expired_participants_eraser
from courses.settings import CoursesSettings


def definition(
    settings: CoursesSettings | None = None, clock: Clock = system_clock
) -> ServiceDefinition:
    """The courses service, configured from the environment unless settings are given; the
    retention sweep reads the time from `clock`."""
    settings = settings or CoursesSettings()
    retention = retention_task(
        expired_participants_eraser(
            settings.retention_participant_months, Pseudonymizer(settings.pseudonym_secrets)
        ),
        every_seconds=settings.retention_sweep_seconds,
        limit=settings.retention_batch_size,
        clock=clock,
    )
    return ServiceDefinition(
        name="courses",
        title="courses",
        description=(
            "Courses, groups and open activities, enrolments, attendance, desk contacts "
            "and referrals."
        ),
        settings=settings,
        migrations=Path(__file__).with_name("migrations"),
        routers=[
            activities.router,
            sessions.router,
            enrolments.router,
            participants.router,
            referrals.router,
            tallies.router,
            coordinator_app(settings),
        ],
        publishes=events_of(SOURCE),
        # The coordinator app fetches the identity provider's discovery document and tokens.
        csp_connect_sources=settings.coordinator_login().origins(),
        background=[retention],
        erasures=erasure_replay(Pseudonymizer(settings.pseudonym_secrets)),
    )
