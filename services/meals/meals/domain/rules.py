"""The rules of a meal service, as plain functions: when it takes meals, and who may add them.

Kept free of the database and of HTTP so that each rule is tested on its own. A refusal is a
`Problem` the caller can act on.
"""

import datetime as dt
from dataclasses import dataclass

from buurtwerk_shared.clock import BRUSSELS, local_date
from buurtwerk_shared.web.auth import Principal
from buurtwerk_shared.web.problems import conflict

# After closing, a coordinator may still add forgotten meals and corrections for this long.
LATE_DAYS = 7
COORDINATORS = ("centre_coordinator", "admin")


def starts_at(date: dt.date, start_time: dt.time) -> dt.datetime:
    """The instant a service starts, from its local date and clock time."""
    return dt.datetime.combine(date, start_time, tzinfo=BRUSSELS)


def late_deadline(closed_at: dt.datetime) -> dt.datetime:
    """Until when late registrations are allowed: the same local clock time, 7 days on.

    Adding to a Brussels wall-clock time keeps the clock time across a daylight-saving change
    (the window is 7 calendar days, not 168 hours).
    """
    return closed_at.astimezone(BRUSSELS) + dt.timedelta(days=LATE_DAYS)


def closes_itself_at(date: dt.date, planned_on: dt.date, close_time: dt.time) -> dt.datetime:
    """When a service closes itself: `close_time` on the day after its day or, if it was planned
    later than its day, on the day after it was planned."""
    day = max(date, planned_on) + dt.timedelta(days=1)
    return dt.datetime.combine(day, close_time, tzinfo=BRUSSELS)


@dataclass(frozen=True)
class ServiceState:
    """What the rules need to know about a service."""

    status: str
    date: dt.date
    starts_at: dt.datetime
    closed_at: dt.datetime | None
    closes_at: dt.datetime

    def closed_by(self, now: dt.datetime) -> dt.datetime | None:
        """When it closed, if it is closed at `now`: by hand, or by itself at `closes_at`."""
        if self.status == "closed":
            return self.closed_at
        if self.status == "planned" and now >= self.closes_at:
            return self.closes_at
        return None


def ensure_open(service: ServiceState, now: dt.datetime) -> None:
    """Refuse unless the service is still planned (not cancelled, not closed, its day not over)."""
    if service.status == "cancelled":
        raise conflict("the meal service is cancelled", code="service-cancelled")
    if service.status == "closed":
        raise conflict("the meal service is closed", code="service-closed")
    if service.closed_by(now) is not None:
        raise conflict(_closed_itself(service), code="service-closed")


def _closed_itself(service: ServiceState) -> str:
    return (
        f"the meal service of {service.date} is over: it closed itself at "
        f"{service.closes_at.astimezone(BRUSSELS):%Y-%m-%d %H:%M}"
    )


def ensure_may_close(service: ServiceState, now: dt.datetime) -> None:
    """A service is closed once it has started, and only once."""
    ensure_open(service, now)
    if now < service.starts_at:
        raise conflict(
            f"the meal service starts at {service.starts_at.astimezone(BRUSSELS):%Y-%m-%d %H:%M}; "
            "it can be closed once it has started",
            code="service-not-started",
        )


def meals_may_be_added(service: ServiceState, principal: Principal, now: dt.datetime) -> bool:
    """Whether meals may be registered or corrected now; True when that is a late change.

    Open service: anyone at the till, from its day on until it closes itself. Closed service
    (by hand or by itself): a coordinator, for `LATE_DAYS` days after closing. Cancelled
    service: nobody.
    """
    if service.status == "cancelled":
        raise conflict("the meal service is cancelled", code="service-cancelled")
    closed_at = service.closed_by(now)
    if closed_at is None:
        if local_date(now) < service.date:
            raise conflict(
                f"the meal service is on {service.date}; meals are registered from that day on",
                code="service-not-started",
            )
        return False
    deadline = late_deadline(closed_at)
    if principal.role not in COORDINATORS:
        closed = "the meal service is closed" if service.status == "closed" else None
        raise conflict(
            f"{closed or _closed_itself(service)}; a centre coordinator may still add or correct "
            f"meals until {deadline:%Y-%m-%d %H:%M}",
            code="service-closed",
        )
    if now > deadline:
        raise conflict(
            f"the meal service was closed more than {LATE_DAYS} days ago "
            f"(late registrations ended {deadline:%Y-%m-%d %H:%M})",
            code="late-window-over",
        )
    return True
