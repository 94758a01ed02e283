"""What the HACCP rules share: the kitchen in scope, the clock bounds of entries, stored shapes."""

import datetime as dt
from typing import Any

from pydantic import TypeAdapter

from buurtwerk_shared import clock
from buurtwerk_shared.contracts.events.haccp import Limits, Schedule
from buurtwerk_shared.db.pool import Connection
from buurtwerk_shared.haccp_schedule import MealServiceSlot
from buurtwerk_shared.reference import Kitchen, reference_data
from buurtwerk_shared.web.auth import Principal, ensure_centre
from buurtwerk_shared.web.problems import not_found, unprocessable

# A reading may be typed in later (a paper note, a dead tablet), but not after more than a day.
BACKDATE_LIMIT = dt.timedelta(hours=24)
# Tablets' clocks drift a little; a time this far ahead of ours is still "now".
CLOCK_SKEW = dt.timedelta(minutes=2)

LIMITS: TypeAdapter[Limits] = TypeAdapter(Limits)
SCHEDULE: TypeAdapter[Schedule] = TypeAdapter(Schedule)


def utc_now() -> dt.datetime:
    """The current instant, in UTC."""
    return clock.now()


def kitchen_in_scope(
    principal: Principal, kitchen_id: str, field: str = "path.kitchen_id"
) -> Kitchen:
    """The kitchen, if it exists and the caller's centre scope covers it (404 / 403 otherwise)."""
    kitchen = reference_data().kitchen(kitchen_id)
    if kitchen is None:
        raise not_found(f"kitchen '{kitchen_id}'", field=field)
    ensure_centre(principal, kitchen.centre)
    return kitchen


def entry_time(given: dt.datetime | None, field: str, now: dt.datetime) -> dt.datetime:
    """When something was done: now, or a time given by the client within the allowed window."""
    if given is None:
        return now
    if given > now + CLOCK_SKEW:
        raise unprocessable("lies in the future", field=field)
    if given < now - BACKDATE_LIMIT:
        raise unprocessable("may be at most 24 hours ago", field=field)
    return given.astimezone(dt.UTC)


def load_limits(value: Any) -> Limits | None:
    """Limits as stored (jsonb), or None."""
    return None if value is None else LIMITS.validate_python(value)


def dump_limits(limits: Limits | None) -> dict[str, Any] | None:
    """Limits as stored and published (with `from` spelled as in the catalogue)."""
    return None if limits is None else limits.model_dump(by_alias=True)


async def services_in_use(
    conn: Connection, kitchen_id: str, first: dt.date, last: dt.date
) -> list[MealServiceSlot]:
    """The kitchen's meal services between two local dates that are not cancelled."""
    rows = await conn.fetch(
        """
        SELECT date, starts_at FROM meal_services
        WHERE kitchen_id = $1 AND date BETWEEN $2 AND $3 AND status <> 'cancelled'
        """,
        kitchen_id,
        first,
        last,
    )
    return [MealServiceSlot(row["date"], row["starts_at"]) for row in rows]
