"""A kitchen's refurbishment milestones (planned, in progress, done)."""

import asyncpg

from buurtwerk_shared.contracts.events.meals import KitchenRefurbishmentUpdatedV1
from buurtwerk_shared.db.pool import Connection
from buurtwerk_shared.web.auth import Principal
from buurtwerk_shared.web.writes import WriteContext
from meals.haccp.api.schemas import RefurbishmentView, UpdateRefurbishment
from meals.haccp.domain.common import kitchen_in_scope

_COLUMNS = "kitchen_id, centre_id, milestone, status, date, updated_at"


def _view(row: asyncpg.Record) -> RefurbishmentView:
    return RefurbishmentView.model_validate(dict(row))


async def update_refurbishment(
    ctx: WriteContext, kitchen_id: str, request: UpdateRefurbishment
) -> RefurbishmentView:
    """Add a milestone or change where it stands."""
    kitchen = kitchen_in_scope(ctx.principal, kitchen_id)
    row = await ctx.conn.fetchrow(
        f"""
        INSERT INTO haccp_refurbishment (kitchen_id, centre_id, milestone, status, date, updated_by)
        VALUES ($1, $2, $3, $4, $5, $6)
        ON CONFLICT (kitchen_id, milestone) DO UPDATE
        SET status = excluded.status, date = excluded.date, updated_by = excluded.updated_by,
            updated_at = now()
        RETURNING {_COLUMNS}
        """,
        kitchen.id,
        kitchen.centre,
        request.milestone,
        request.status,
        request.date,
        ctx.principal.sub,
    )
    assert row is not None
    await ctx.emit(
        KitchenRefurbishmentUpdatedV1(
            kitchen_id=kitchen.id,
            centre_id=kitchen.centre,
            milestone=request.milestone,
            status=request.status,
            date=request.date,
        )
    )
    await ctx.audit(
        "kitchen_refurbishment.update", "kitchen", kitchen.id, request.model_dump(mode="json")
    )
    return _view(row)


async def list_refurbishment(
    conn: Connection, principal: Principal, kitchen_id: str
) -> list[RefurbishmentView]:
    """A kitchen's milestones, by date."""
    kitchen = kitchen_in_scope(principal, kitchen_id)
    rows = await conn.fetch(
        f"SELECT {_COLUMNS} FROM haccp_refurbishment WHERE kitchen_id = $1 "
        "ORDER BY date, milestone",
        kitchen.id,
    )
    return [_view(row) for row in rows]
