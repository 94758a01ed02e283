"""Deviations and the corrective actions they require: a deviation without one stays open."""

import datetime as dt
from uuid import UUID, uuid4

from buurtwerk_shared.contracts.events.meals import HaccpCorrectiveActionRecordedV1
from buurtwerk_shared.db.pool import Connection
from buurtwerk_shared.web.auth import Principal, ensure_centre
from buurtwerk_shared.web.problems import conflict, not_found, unprocessable
from buurtwerk_shared.web.writes import WriteContext
from meals.haccp.api.schemas import RecordCorrectiveAction, RecordView
from meals.haccp.domain.common import entry_time, kitchen_in_scope, utc_now
from meals.haccp.domain.records import kitchen_records, record_view

# Open deviations are listed however old they are.
BEGINNING = dt.datetime(2000, 1, 1, tzinfo=dt.UTC)


async def record_corrective_action(
    ctx: WriteContext, record_id: UUID, request: RecordCorrectiveAction
) -> RecordView:
    """Record what was done about a deviation, by the caller, when."""
    record = await ctx.conn.fetchrow(
        "SELECT check_id, kitchen_id, centre_id, recorded_at, outcome FROM haccp_records "
        "WHERE record_id = $1 FOR UPDATE",
        record_id,
    )
    if record is None:
        raise not_found(f"record {record_id}", field="path.record_id")
    ensure_centre(ctx.principal, record["centre_id"])
    if record["outcome"] != "deviation":
        raise conflict("this record is not a deviation", code="not-a-deviation")
    taken_at = entry_time(request.taken_at, "body.taken_at", utc_now())
    if taken_at < record["recorded_at"]:
        raise unprocessable("lies before the deviation was recorded", field="body.taken_at")
    action_id = uuid4()
    await ctx.conn.execute(
        """
        INSERT INTO haccp_corrective_actions (action_id, record_id, action, taken_at, staff_id)
        VALUES ($1, $2, $3, $4, $5)
        """,
        action_id,
        record_id,
        request.action,
        taken_at,
        ctx.principal.sub,
    )
    await ctx.emit(
        HaccpCorrectiveActionRecordedV1(
            record_id=record_id,
            check_id=record["check_id"],
            kitchen_id=record["kitchen_id"],
            centre_id=record["centre_id"],
            action=request.action,
            recorded_at=taken_at,
            staff_id=ctx.principal.sub,
        )
    )
    await ctx.audit(
        "haccp_corrective_action.record",
        "haccp_record",
        record_id,
        {"action_id": action_id},
    )
    return await record_view(ctx.conn, record_id)


async def list_deviations(
    conn: Connection,
    principal: Principal,
    kitchen_id: str,
    *,
    open_only: bool,
    since: dt.datetime | None,
    until: dt.datetime | None,
) -> list[RecordView]:
    """A kitchen's deviations (only those without a corrective action, if asked), oldest first."""
    kitchen = kitchen_in_scope(principal, kitchen_id)
    return list(
        await kitchen_records(
            conn,
            kitchen.id,
            since or BEGINNING,
            until or utc_now() + dt.timedelta(days=1),
            deviations_only=True,
            open_only=open_only,
        )
    )


async def count_open_deviations(conn: Connection, kitchen_id: str) -> int:
    """How many deviations of a kitchen still wait for a corrective action."""
    count: int = await conn.fetchval(
        """
        SELECT count(*) FROM haccp_records r
        WHERE r.kitchen_id = $1 AND r.outcome = 'deviation'
          AND NOT EXISTS (SELECT 1 FROM haccp_corrective_actions a WHERE a.record_id = r.record_id)
        """,
        kitchen_id,
    )
    return count
