"""Which function computes each indicator of the catalogue.

Adding an indicator's computation is one entry here. An indicator that a loaded plan names but
nothing here computes is answered with 404 "not computed".
"""

from collections.abc import Awaitable, Callable

from buurtwerk_shared.db.pool import Connection
from reporting.indicators import digital, haccp, meals, offer, operations, volunteers
from reporting.indicators.manual import manual
from reporting.indicators.periods import Period
from reporting.indicators.table import Table

# (connection, period, reference centres) -> a cell per centre and one for the city.
Computation = Callable[[Connection, Period, tuple[str, ...]], Awaitable[Table]]

COMPUTATIONS: dict[str, Computation] = {
    "team.staff_fte": manual("team.staff_fte"),
    "kettekeet.status": manual("kettekeet.status"),
    "operations.sessions_held_ratio": operations.sessions_held_ratio,
    "hub.desk_contacts": digital.desk_contacts,
    "offer.participants_by_target_group": offer.participants_by_target_group,
    "offer.conversation_group_participants": offer.conversation_group_participants,
    "meals.served": meals.served,
    "meals.unique_diners": meals.unique_diners,
    "meals.new_diners": meals.new_diners,
    "meals.reduced_tariff_share": meals.reduced_tariff_share,
    "meals.occupancy": meals.occupancy,
    "haccp.checks_on_time_ratio": haccp.checks_on_time_ratio,
    "haccp.deviations": haccp.deviations,
    "haccp.corrective_action_ratio": haccp.corrective_action_ratio,
    "haccp.refurbishment_done": haccp.refurbishment_done,
    "volunteers.active": volunteers.active,
    "volunteers.new": volunteers.new,
    "volunteers.hours": volunteers.hours,
    "volunteers.onboarding_conversion": volunteers.onboarding_conversion,
    "volunteers.milestones": volunteers.milestones,
    "digital.computer_corner_visits": digital.computer_corner_visits,
    "digital.computer_course_participants": digital.computer_course_participants,
    "youth.referrals": digital.youth_referrals,
    "children.wilsele_participants": offer.wilsele_children,
}

# Values that change with the clock, not only with events ("already past", "grace time over"):
# always computed.
VOLATILE = frozenset({"operations.sessions_held_ratio", "haccp.checks_on_time_ratio"})
