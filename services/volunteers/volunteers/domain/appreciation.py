"""Appreciation moments: an event, a gift or a thank-you, for some volunteers."""

import datetime as dt
from uuid import UUID, uuid4

import asyncpg

from buurtwerk_shared.contracts.events.volunteers import AppreciationRecordedV1
from buurtwerk_shared.db.pool import Connection
from buurtwerk_shared.web.auth import ALL_CENTRES, Principal, ensure_centre, forbidden
from buurtwerk_shared.web.pagination import Page, PageParams
from buurtwerk_shared.web.problems import unprocessable
from buurtwerk_shared.web.writes import WriteContext
from volunteers.api.schemas.hours import AppreciationView, NewAppreciation
from volunteers.domain.access import scope


async def record_appreciation(ctx: WriteContext, request: NewAppreciation) -> AppreciationView:
    """Record an appreciation moment and announce it with the number of volunteers thanked."""
    if request.centre_id is None:
        if ALL_CENTRES not in ctx.principal.centres:
            raise forbidden("a city-wide moment needs a token for all centres")
    else:
        ensure_centre(ctx.principal, request.centre_id)
    known = await ctx.conn.fetch(
        """
        SELECT volunteer_id FROM volunteers
        WHERE volunteer_id = ANY($1) AND ($2::text[] IS NULL OR centre_ids && $2)
        """,
        request.volunteer_ids,
        scope(ctx.principal),
    )
    found = {row["volunteer_id"] for row in known}
    for index, volunteer_id in enumerate(request.volunteer_ids):
        if volunteer_id not in found:
            raise unprocessable(
                f"volunteer {volunteer_id} does not exist in your centres",
                field=f"body.volunteer_ids.{index}",
            )
    appreciation_id = uuid4()
    await ctx.conn.execute(
        """
        INSERT INTO appreciations (appreciation_id, centre_id, kind, title, date, created_by)
        VALUES ($1, $2, $3, $4, $5, $6)
        """,
        appreciation_id,
        request.centre_id,
        request.kind,
        request.title,
        request.date,
        ctx.principal.sub,
    )
    await ctx.conn.executemany(
        "INSERT INTO appreciation_recipients (appreciation_id, volunteer_id) VALUES ($1, $2)",
        [(appreciation_id, volunteer_id) for volunteer_id in request.volunteer_ids],
    )
    await ctx.emit(
        AppreciationRecordedV1(
            appreciation_id=appreciation_id,
            centre_id=request.centre_id,
            kind=request.kind,
            date=request.date,
            volunteer_count=len(request.volunteer_ids),
        )
    )
    await ctx.audit(
        "appreciation.record",
        "appreciation",
        appreciation_id,
        {"kind": request.kind, "volunteer_count": len(request.volunteer_ids)},
    )
    return AppreciationView(
        appreciation_id=appreciation_id,
        centre_id=request.centre_id,
        kind=request.kind,
        title=request.title,
        date=request.date,
        volunteer_ids=request.volunteer_ids,
    )


# The recipients of appreciation `a` who volunteer in the caller's centres ($1, NULL for all).
_VISIBLE_RECIPIENTS = """
SELECT r.volunteer_id FROM appreciation_recipients r JOIN volunteers v USING (volunteer_id)
WHERE r.appreciation_id = a.appreciation_id AND ($1::text[] IS NULL OR v.centre_ids && $1)
"""


def _view(row: asyncpg.Record) -> AppreciationView:
    return AppreciationView.model_validate(dict(row))


async def list_appreciations(
    conn: Connection,
    principal: Principal,
    page: PageParams,
    centre_id: str | None,
    since: dt.date | None,
    volunteer_id: UUID | None,
) -> Page[AppreciationView]:
    """Appreciation moments of the caller's centres (and the city-wide ones), newest first; of
    the volunteers thanked, only those of the caller's centres are shown (and filtered on)."""
    where = f"""
        FROM appreciations a
        WHERE ($1::text[] IS NULL OR a.centre_id IS NULL OR a.centre_id = ANY($1))
          AND ($2::text IS NULL OR a.centre_id = $2)
          AND ($3::date IS NULL OR a.date >= $3)
          AND ($4::uuid IS NULL OR EXISTS ({_VISIBLE_RECIPIENTS} AND r.volunteer_id = $4))
    """
    args = (scope(principal), centre_id, since, volunteer_id)
    total = await conn.fetchval(f"SELECT count(*) {where}", *args)
    rows = await conn.fetch(
        f"""
        SELECT a.*, array({_VISIBLE_RECIPIENTS} ORDER BY r.volunteer_id) AS volunteer_ids
        {where}
        ORDER BY a.date DESC, a.appreciation_id LIMIT $5 OFFSET $6
        """,
        *args,
        page.limit,
        page.offset,
    )
    return Page(items=[_view(r) for r in rows], total=total, limit=page.limit, offset=page.offset)
