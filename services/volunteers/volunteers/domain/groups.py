"""Volunteer groups: a school class, a company team or a neighbourhood group, recruited and
guided as one."""

from uuid import UUID, uuid4

import asyncpg

from buurtwerk_shared.db.pool import Connection
from buurtwerk_shared.web.auth import Principal
from buurtwerk_shared.web.pagination import Page, PageParams
from buurtwerk_shared.web.problems import not_found, unprocessable
from buurtwerk_shared.web.writes import WriteContext
from volunteers.api.schemas.groups import GroupView, NewGroup, NewMember
from volunteers.domain.access import (
    ensure_all_centres,
    ensure_any_centre,
    ensure_not_erased,
    scope,
    volunteer_for_update,
)
from volunteers.domain.clock import is_future, now

_VIEW = """
SELECT g.*, coalesce(array_agg(m.volunteer_id ORDER BY m.joined_at, m.volunteer_id)
                     FILTER (WHERE m.volunteer_id IS NOT NULL), '{}') AS member_ids
FROM volunteer_groups g LEFT JOIN group_members m USING (group_id)
"""


def _view(row: asyncpg.Record) -> GroupView:
    return GroupView.model_validate(dict(row))


async def group_view(conn: Connection, group_id: UUID) -> GroupView:
    """A group with its members (the caller checks the centre scope)."""
    row = await conn.fetchrow(f"{_VIEW} WHERE g.group_id = $1 GROUP BY g.group_id", group_id)
    if row is None:
        raise not_found(f"group {group_id}", field="path.group_id")
    return _view(row)


async def visible_group(conn: Connection, principal: Principal, group_id: UUID) -> GroupView:
    """A group the caller may see."""
    group = await group_view(conn, group_id)
    ensure_any_centre(principal, group.centre_ids, "group")
    return group


async def list_groups(
    conn: Connection, principal: Principal, page: PageParams, status: str | None
) -> Page[GroupView]:
    """The groups in the caller's centres, newest first."""
    where = (
        "WHERE ($1::text[] IS NULL OR g.centre_ids && $1) AND ($2::text IS NULL OR g.status = $2)"
    )
    total = await conn.fetchval(
        f"SELECT count(*) FROM volunteer_groups g {where}", scope(principal), status
    )
    rows = await conn.fetch(
        f"{_VIEW} {where} GROUP BY g.group_id ORDER BY g.created_at DESC, g.group_id "
        "LIMIT $3 OFFSET $4",
        scope(principal),
        status,
        page.limit,
        page.offset,
    )
    return Page(items=[_view(r) for r in rows], total=total, limit=page.limit, offset=page.offset)


async def create_group(ctx: WriteContext, request: NewGroup) -> GroupView:
    """Recruit a group: it starts as `applied`; members join as they apply."""
    ensure_all_centres(ctx.principal, request.centre_ids)
    current = now()
    applied_at = request.applied_at or current
    if is_future(applied_at, current):
        raise unprocessable("lies in the future", field="body.applied_at")
    group_id = uuid4()
    await ctx.conn.execute(
        """
        INSERT INTO volunteer_groups
            (group_id, name, kind, centre_ids, status, status_changed_at, created_by)
        VALUES ($1, $2, $3, $4, 'applied', $5, $6)
        """,
        group_id,
        request.name,
        request.kind,
        request.centre_ids,
        applied_at,
        ctx.principal.sub,
    )
    await ctx.conn.execute(
        """
        INSERT INTO group_status_changes (group_id, previous_status, status, changed_at, changed_by)
        VALUES ($1, NULL, 'applied', $2, $3)
        """,
        group_id,
        applied_at,
        ctx.principal.sub,
    )
    await ctx.audit("group.create", "group", group_id, {"kind": request.kind})
    return await group_view(ctx.conn, group_id)


async def group_for_update(
    conn: Connection, principal: Principal, group_id: UUID, field: str = "path.group_id"
) -> asyncpg.Record:
    """A group the caller may see, locked (groups are locked before their members)."""
    group = await conn.fetchrow(
        "SELECT * FROM volunteer_groups WHERE group_id = $1 FOR UPDATE", group_id
    )
    if group is None:
        raise not_found(f"group {group_id}", field=field)
    ensure_any_centre(principal, group["centre_ids"], "group")
    return group


async def join(conn: Connection, group_id: UUID, volunteer_id: UUID) -> None:
    """Add a volunteer to a group (the caller holds the group's lock)."""
    await conn.execute(
        "INSERT INTO group_members (group_id, volunteer_id) VALUES ($1, $2) ON CONFLICT DO NOTHING",
        group_id,
        volunteer_id,
    )


async def add_member(ctx: WriteContext, group_id: UUID, request: NewMember) -> GroupView:
    """An existing volunteer joins a group."""
    await group_for_update(ctx.conn, ctx.principal, group_id)
    volunteer = await volunteer_for_update(
        ctx.conn, ctx.principal, request.volunteer_id, "body.volunteer_id"
    )
    ensure_not_erased(volunteer, "body.volunteer_id")
    await join(ctx.conn, group_id, request.volunteer_id)
    await ctx.audit("group.add_member", "group", group_id, {"volunteer_id": request.volunteer_id})
    return await group_view(ctx.conn, group_id)


async def remove_member(ctx: WriteContext, group_id: UUID, volunteer_id: UUID) -> GroupView:
    """A volunteer leaves a group (their own pipeline status does not change)."""
    await group_for_update(ctx.conn, ctx.principal, group_id)
    removed = await ctx.conn.fetchval(
        "DELETE FROM group_members WHERE group_id = $1 AND volunteer_id = $2 RETURNING true",
        group_id,
        volunteer_id,
    )
    if not removed:
        raise not_found(f"membership of volunteer {volunteer_id}", field="path.volunteer_id")
    await ctx.audit("group.remove_member", "group", group_id, {"volunteer_id": volunteer_id})
    return await group_view(ctx.conn, group_id)
