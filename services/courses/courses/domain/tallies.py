"""Day tallies per centre: computer-corner visits, and welcome-desk contacts per category.

A tally is a day total: setting it replaces the earlier value, adding raises it, and either way
the event carries the new total (consumers keep the latest one per key).
"""

import datetime as dt

import asyncpg

from buurtwerk_shared.contracts.events.courses import (
    ComputerCornerVisitsRecordedV1,
    DeskContactsRecordedV1,
)
from buurtwerk_shared.db.pool import Connection
from buurtwerk_shared.web.auth import Principal, ensure_centre
from buurtwerk_shared.web.pagination import Page, PageParams
from buurtwerk_shared.web.writes import WriteContext
from courses.api.schemas.tallies import DeskContactsView, VisitsView
from courses.domain.listing import Filters, fetch_page

_SET_VISITS = """
INSERT INTO computer_corner_visits AS v (centre_id, date, visits, updated_by)
VALUES ($1, $2, $3, $4)
ON CONFLICT (centre_id, date) DO UPDATE
    SET visits = EXCLUDED.visits, updated_at = now(), updated_by = EXCLUDED.updated_by
    WHERE v.visits <> EXCLUDED.visits
RETURNING *
"""
_ADD_VISITS = """
INSERT INTO computer_corner_visits AS v (centre_id, date, visits, updated_by)
VALUES ($1, $2, $3, $4)
ON CONFLICT (centre_id, date) DO UPDATE
    SET visits = v.visits + EXCLUDED.visits, updated_at = now(), updated_by = EXCLUDED.updated_by
RETURNING *
"""
_SET_CONTACTS = """
INSERT INTO desk_contacts AS d (centre_id, date, category, count, updated_by)
VALUES ($1, $2, $3, $4, $5)
ON CONFLICT (centre_id, date, category) DO UPDATE
    SET count = EXCLUDED.count, updated_at = now(), updated_by = EXCLUDED.updated_by
    WHERE d.count <> EXCLUDED.count
RETURNING *
"""
_ADD_CONTACTS = """
INSERT INTO desk_contacts AS d (centre_id, date, category, count, updated_by)
VALUES ($1, $2, $3, $4, $5)
ON CONFLICT (centre_id, date, category) DO UPDATE
    SET count = d.count + EXCLUDED.count, updated_at = now(), updated_by = EXCLUDED.updated_by
RETURNING *
"""


async def _visits_changed(ctx: WriteContext, row: asyncpg.Record) -> VisitsView:
    await ctx.emit(
        ComputerCornerVisitsRecordedV1(
            centre_id=row["centre_id"], date=row["date"], visits=row["visits"]
        )
    )
    await ctx.audit(
        "computer_corner.visits",
        "computer_corner_visits",
        f"{row['centre_id']}/{row['date']}",
        {"visits": row["visits"]},
    )
    return VisitsView.model_validate(dict(row))


async def set_visits(ctx: WriteContext, centre_id: str, day: dt.date, visits: int) -> VisitsView:
    """Set the day's total of computer-corner visits (unchanged: no event)."""
    ensure_centre(ctx.principal, centre_id)
    row = await ctx.conn.fetchrow(_SET_VISITS, centre_id, day, visits, ctx.principal.sub)
    if row is None:
        unchanged = await ctx.conn.fetchrow(
            "SELECT * FROM computer_corner_visits WHERE centre_id = $1 AND date = $2",
            centre_id,
            day,
        )
        assert unchanged is not None
        return VisitsView.model_validate(dict(unchanged))
    return await _visits_changed(ctx, row)


async def add_visits(ctx: WriteContext, centre_id: str, day: dt.date, visits: int) -> VisitsView:
    """Add visits to the day's total."""
    ensure_centre(ctx.principal, centre_id)
    row = await ctx.conn.fetchrow(_ADD_VISITS, centre_id, day, visits, ctx.principal.sub)
    assert row is not None
    return await _visits_changed(ctx, row)


async def _contacts_changed(ctx: WriteContext, row: asyncpg.Record) -> DeskContactsView:
    await ctx.emit(
        DeskContactsRecordedV1(
            centre_id=row["centre_id"],
            date=row["date"],
            category=row["category"],
            count=row["count"],
        )
    )
    await ctx.audit(
        "desk.contacts",
        "desk_contacts",
        f"{row['centre_id']}/{row['date']}/{row['category']}",
        {"count": row["count"]},
    )
    return DeskContactsView.model_validate(dict(row))


async def set_desk_contacts(
    ctx: WriteContext, centre_id: str, day: dt.date, category: str, count: int
) -> DeskContactsView:
    """Set the day's total of desk contacts in one category (unchanged: no event)."""
    ensure_centre(ctx.principal, centre_id)
    row = await ctx.conn.fetchrow(_SET_CONTACTS, centre_id, day, category, count, ctx.principal.sub)
    if row is None:
        unchanged = await ctx.conn.fetchrow(
            "SELECT * FROM desk_contacts WHERE centre_id = $1 AND date = $2 AND category = $3",
            centre_id,
            day,
            category,
        )
        assert unchanged is not None
        return DeskContactsView.model_validate(dict(unchanged))
    return await _contacts_changed(ctx, row)


async def add_desk_contacts(
    ctx: WriteContext, centre_id: str, day: dt.date, category: str, count: int
) -> DeskContactsView:
    """Add contacts to the day's total in one category."""
    ensure_centre(ctx.principal, centre_id)
    row = await ctx.conn.fetchrow(_ADD_CONTACTS, centre_id, day, category, count, ctx.principal.sub)
    assert row is not None
    return await _contacts_changed(ctx, row)


async def list_visits(
    conn: Connection,
    principal: Principal,
    page: PageParams,
    *,
    centre_id: str | None = None,
    date_from: dt.date | None = None,
    date_to: dt.date | None = None,
) -> Page[VisitsView]:
    """Day totals of computer-corner visits in the caller's centres, newest first."""
    filters = Filters()
    filters.centre_scope(principal, "centre_id", centre_id)
    filters.add("date >= {}", date_from)
    filters.add("date <= {}", date_to)
    return await fetch_page(
        conn,
        select="*",
        from_="computer_corner_visits",
        filters=filters,
        order_by="date DESC, centre_id",
        page=page,
        build=lambda row: VisitsView.model_validate(dict(row)),
    )


async def list_desk_contacts(
    conn: Connection,
    principal: Principal,
    page: PageParams,
    *,
    centre_id: str | None = None,
    category: str | None = None,
    date_from: dt.date | None = None,
    date_to: dt.date | None = None,
) -> Page[DeskContactsView]:
    """Day totals of desk contacts in the caller's centres, newest first."""
    filters = Filters()
    filters.centre_scope(principal, "centre_id", centre_id)
    filters.add("category = {}", category)
    filters.add("date >= {}", date_from)
    filters.add("date <= {}", date_to)
    return await fetch_page(
        conn,
        select="*",
        from_="desk_contacts",
        filters=filters,
        order_by="date DESC, centre_id, category",
        page=page,
        build=lambda row: DeskContactsView.model_validate(dict(row)),
    )
