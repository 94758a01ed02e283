"""The rules of the volunteer work, free of storage and transport.

Pipeline transitions come from the catalogue (`ALLOWED_TRANSITIONS`); shift occurrences follow the
local calendar across daylight-saving changes; milestones and allowance caps are plain
arithmetic on the figures the database holds.
"""

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from buurtwerk_shared.contracts.events.volunteers import ALLOWED_TRANSITIONS, VolunteerStatus
from volunteers.domain.clock import BRUSSELS, local_instant

HOURS_MILESTONES = (50, 100, 250, 500)
YEARS_MILESTONES = (1, 5, 10)
# Statuses in which a volunteer can be given shifts (onboarding includes trial shifts).
SCHEDULABLE: frozenset[VolunteerStatus] = frozenset({"onboarding", "active"})
# Statuses in which a volunteer still builds up years of service.
IN_SERVICE: frozenset[VolunteerStatus] = frozenset({"active", "paused"})


def transition_allowed(current: VolunteerStatus, target: VolunteerStatus) -> bool:
    """Whether the catalogue allows moving from `current` to `target`."""
    return target in ALLOWED_TRANSITIONS[current]


def transition_refusal(
    current: VolunteerStatus, target: VolunteerStatus, who: str = "a volunteer"
) -> str:
    """Why a transition is refused, naming the ones that are allowed."""
    allowed = " or ".join(sorted(ALLOWED_TRANSITIONS[current]))
    return f"from '{current}' {who} moves to {allowed}, not to '{target}'"


@dataclass(frozen=True)
class Occurrence:
    """One concrete shift of a recurring template."""

    date: dt.date
    starts_at: dt.datetime
    ends_at: dt.datetime


def occurrences(
    weekday: int,
    start_time: dt.time,
    end_time: dt.time,
    first: dt.date,
    last: dt.date,
) -> Iterator[Occurrence]:
    """The shifts on every ISO `weekday` (1 = Monday) from `first` to `last` inclusive, at the
    same local wall-clock times whatever the daylight-saving offset of the day."""
    day = first + dt.timedelta(days=(weekday - first.isoweekday()) % 7)
    while day <= last:
        yield Occurrence(day, local_instant(day, start_time), local_instant(day, end_time))
        day += dt.timedelta(days=7)


def shift_hours(starts_at: dt.datetime, ends_at: dt.datetime) -> Decimal:
    """The hours a shift lasts (real elapsed time), to the hundredth."""
    # In UTC: Python subtracts two times of the same zone on the wall clock, ignoring DST.
    elapsed = ends_at.astimezone(dt.UTC) - starts_at.astimezone(dt.UTC)
    seconds = Decimal(elapsed.total_seconds())
    return (seconds / 3600).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def hours_milestones(total: Decimal) -> list[str]:
    """The hours milestones a total of hours has reached."""
    return [f"hours_{n}" for n in HOURS_MILESTONES if total >= n]


def anniversary(first_active_at: dt.datetime, years: int) -> dt.datetime:
    """The instant `years` years after `first_active_at`, on the local calendar
    (29 February becomes 28 February)."""
    local = first_active_at.astimezone(BRUSSELS)
    try:
        later = local.replace(year=local.year + years)
    except ValueError:
        later = local.replace(year=local.year + years, day=28)
    return later


def years_milestones(
    first_active_at: dt.datetime, at: dt.datetime
) -> list[tuple[str, dt.datetime]]:
    """The years-of-service milestones reached by `at`, with the instant each was reached."""
    reached = []
    for years in YEARS_MILESTONES:
        when = anniversary(first_active_at, years)
        if when <= at:
            reached.append((f"years_{years}", when))
    return reached


@dataclass(frozen=True)
class AllowanceCaps:
    """The legal caps of the flat-rate expense allowance for one calendar year, in euro cents."""

    year: int
    per_day_cents: int
    per_year_cents: int


def allowance_refusal(
    caps: AllowanceCaps, day_total_cents: int, year_total_cents: int, amount_cents: int
) -> str | None:
    """Why an allowance would exceed a legal cap, or None when it stays within both."""
    if day_total_cents + amount_cents > caps.per_day_cents:
        left = max(caps.per_day_cents - day_total_cents, 0)
        return (
            f"the day cap of {_euro(caps.per_day_cents)} in {caps.year} would be exceeded: "
            f"{_euro(day_total_cents)} already that day, at most {_euro(left)} more"
        )
    if year_total_cents + amount_cents > caps.per_year_cents:
        left = max(caps.per_year_cents - year_total_cents, 0)
        return (
            f"the year cap of {_euro(caps.per_year_cents)} in {caps.year} would be exceeded: "
            f"{_euro(year_total_cents)} already that year, at most {_euro(left)} more"
        )
    return None


def _euro(cents: int) -> str:
    return f"€ {cents // 100},{cents % 100:02d}"
