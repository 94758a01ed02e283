"""Everything an inspector sees of one kitchen over a range of local dates.

Only staff ids identify people: no names, no contact details.
"""

import datetime as dt
from dataclasses import dataclass
from uuid import UUID

from buurtwerk_shared.clock import BRUSSELS
from buurtwerk_shared.db.pool import Connection
from buurtwerk_shared.reference import reference_data
from buurtwerk_shared.web.auth import Principal
from buurtwerk_shared.web.problems import unprocessable
from meals.haccp.api.schemas import (
    DeliveryView,
    ProcessView,
    RecalledService,
    RecordView,
    RefurbishmentView,
)
from meals.haccp.domain.checks import CheckVersion
from meals.haccp.domain.common import kitchen_in_scope, utc_now
from meals.haccp.domain.deliveries import kitchen_deliveries
from meals.haccp.domain.processes import kitchen_processes
from meals.haccp.domain.records import kitchen_records
from meals.haccp.domain.refurbishment import list_refurbishment

MAX_DAYS = 400


@dataclass(frozen=True)
class InspectorLog:
    """A kitchen's log over [first, last] (local dates, inclusive)."""

    kitchen_id: str
    kitchen_name: str
    centre_name: str
    first: dt.date
    last: dt.date
    generated_at: dt.datetime
    checks: list[CheckVersion]
    records: list[RecordView]
    processes: list[ProcessView]
    deliveries: list[DeliveryView]
    lot_usage: dict[UUID, list[RecalledService]]
    refurbishment: list[RefurbishmentView]

    @property
    def deviations(self) -> list[RecordView]:
        """The records that deviated, with their corrective actions."""
        return [r for r in self.records if r.outcome == "deviation"]


def _start_of(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(0), tzinfo=BRUSSELS).astimezone(dt.UTC)


async def _versions_in_force(
    conn: Connection, kitchen_id: str, since: dt.datetime, until: dt.datetime
) -> list[CheckVersion]:
    rows = await conn.fetch(
        """
        SELECT c.check_id, c.kitchen_id, c.centre_id, c.kind, v.version, v.effective_from,
               v.label, v.equipment_id, v.schedule, v.grace_minutes, v.limits, v.level, v.active
        FROM haccp_checks c JOIN haccp_check_versions v USING (check_id)
        WHERE c.kitchen_id = $1 AND v.effective_from < $3
          AND NOT EXISTS (
              SELECT 1 FROM haccp_check_versions later
              WHERE later.check_id = v.check_id AND later.version > v.version
                AND later.effective_from <= $2)
        ORDER BY v.label, v.version
        """,
        kitchen_id,
        since,
        until,
    )
    return [CheckVersion.from_row(row) for row in rows]


async def inspector_log(
    conn: Connection, principal: Principal, kitchen_id: str, first: dt.date, last: dt.date
) -> InspectorLog:
    """Gather a kitchen's log for the inspector."""
    kitchen = kitchen_in_scope(principal, kitchen_id)
    if last < first:
        raise unprocessable("must not lie before 'from'", field="query.to")
    if (last - first).days >= MAX_DAYS:
        raise unprocessable(f"export at most {MAX_DAYS} days at once", field="query.to")
    since, until = _start_of(first), _start_of(last + dt.timedelta(days=1))
    deliveries = await kitchen_deliveries(conn, kitchen.id, since, until)
    usage: dict[UUID, list[RecalledService]] = {}
    for row in await conn.fetch(
        """
        SELECT s.service_id, s.kitchen_id, s.centre_id, s.date, s.starts_at, s.status,
               u.delivery_id
        FROM haccp_lot_usage u JOIN meal_services s USING (service_id)
        WHERE u.delivery_id = ANY($1::uuid[]) ORDER BY s.date
        """,
        [d.delivery_id for d in deliveries],
    ):
        usage.setdefault(row["delivery_id"], []).append(RecalledService.model_validate(dict(row)))
    centre = next(c for c in reference_data().centres if c.id == kitchen.centre)
    return InspectorLog(
        kitchen_id=kitchen.id,
        kitchen_name=kitchen.nl,
        centre_name=centre.nl,
        first=first,
        last=last,
        generated_at=utc_now(),
        checks=await _versions_in_force(conn, kitchen.id, since, until),
        records=list(await kitchen_records(conn, kitchen.id, since, until)),
        processes=await kitchen_processes(conn, kitchen.id, since, until),
        deliveries=deliveries,
        lot_usage=usage,
        refurbishment=await list_refurbishment(conn, principal, kitchen.id),
    )
