"""The courses service as the skeleton runs it."""

from pathlib import Path

from buurtwerk_shared.contracts.events import events_of
from buurtwerk_shared.contracts.events.courses import SOURCE
from buurtwerk_shared.service.definition import ServiceDefinition
from courses.api import activities, enrolments, participants, referrals, sessions, tallies
from courses.settings import CoursesSettings


def definition(settings: CoursesSettings | None = None) -> ServiceDefinition:
    """The courses service, configured from the environment unless settings are given."""
    return ServiceDefinition(
        name="courses",
        title="courses",
        description=(
            "Courses, groups and open activities, enrolments, attendance, desk contacts "
            "and referrals."
        ),
        settings=settings or CoursesSettings(),
        migrations=Path(__file__).with_name("migrations"),
        routers=[
            activities.router,
            sessions.router,
            enrolments.router,
            participants.router,
            referrals.router,
            tallies.router,
        ],
        publishes=events_of(SOURCE),
    )
