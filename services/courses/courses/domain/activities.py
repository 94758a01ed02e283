"""Activities: created as drafts, changed while still a draft, then published.

Publishing announces the activity (`courses.activity_published.v1`) and the sessions planned
while it was a draft; only a published activity takes enrolments and attendance. What may change
once it is published is in `courses.domain.activity_changes`.
"""

from typing import Any
from uuid import UUID, uuid4

import asyncpg

from buurtwerk_shared.contracts.events.courses import ActivityPublishedV1, SessionScheduledV1
from buurtwerk_shared.db.pool import Connection
from buurtwerk_shared.reference import reference_data
from buurtwerk_shared.web.auth import Principal, ensure_centre
from buurtwerk_shared.web.pagination import Page, PageParams
from buurtwerk_shared.web.problems import conflict, not_found, unprocessable
from buurtwerk_shared.web.writes import WriteContext
from courses.api.schemas.activities import ActivityView, CreateActivity, PartnerView, UpdateActivity
from courses.domain import clock
from courses.domain.listing import Filters, fetch_page

_COLUMNS = """
    a.*,
    (SELECT count(*) FROM enrolments e WHERE e.activity_id = a.activity_id
        AND e.status IN ('enrolled', 'completed')) AS seats_taken,
    (SELECT count(*) FROM enrolments e WHERE e.activity_id = a.activity_id
        AND e.status = 'waitlisted') AS waitlisted
"""
# Fields a draft must keep: they cannot be cleared by an update.
_REQUIRED = ("kind", "title", "mode", "target_groups")


def partners() -> list[PartnerView]:
    """The partner organisations (reference data)."""
    return [PartnerView(partner_id=p.id, nl=p.nl, en=p.en) for p in reference_data().partners]


def _view(row: asyncpg.Record) -> ActivityView:
    return ActivityView(
        activity_id=row["activity_id"],
        centre_id=row["centre_id"],
        kind=row["kind"],
        title=row["title"],
        description=row["description"],
        partner=row["partner_id"],
        target_groups=list(row["target_groups"]),
        mode=row["mode"],
        capacity=row["capacity"],
        status=row["status"],
        published_at=row["published_at"],
        created_at=row["created_at"],
        seats_taken=row["seats_taken"],
        waitlisted=row["waitlisted"],
    )


async def fetch_view(conn: Connection, activity_id: UUID) -> ActivityView:
    """The activity as the API shows it, with its seats taken and waiting list."""
    row = await conn.fetchrow(
        f"SELECT {_COLUMNS} FROM activities a WHERE a.activity_id = $1", activity_id
    )
    assert row is not None
    return _view(row)


async def load_activity(
    conn: Connection, principal: Principal, activity_id: UUID, *, lock: bool = False
) -> asyncpg.Record:
    """The activity (404 if unknown, 403 outside the caller's centres), locked if asked.

    The lock serialises everything that counts seats of this activity.
    """
    row = await conn.fetchrow(
        "SELECT * FROM activities WHERE activity_id = $1" + (" FOR NO KEY UPDATE" if lock else ""),
        activity_id,
    )
    if row is None:
        raise not_found(f"activity {activity_id}", field="path.activity_id")
    ensure_centre(principal, row["centre_id"])
    return row


def _check_seats(mode: str, capacity: int | None) -> None:
    if mode == "enrolment" and capacity is None:
        raise unprocessable(
            "an activity with enrolment needs a capacity (its number of seats)",
            field="body.capacity",
        )


async def create_activity(ctx: WriteContext, request: CreateActivity) -> ActivityView:
    """Create a draft activity in one of the caller's centres."""
    ensure_centre(ctx.principal, request.centre_id)
    _check_seats(request.mode, request.capacity)
    activity_id = uuid4()
    await ctx.conn.execute(
        """
        INSERT INTO activities (activity_id, centre_id, kind, title, description, partner_id,
                                target_groups, mode, capacity, created_by)
        VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)
        """,
        activity_id,
        request.centre_id,
        request.kind,
        request.title,
        request.description,
        request.partner,
        request.target_groups,
        request.mode,
        request.capacity,
        ctx.principal.sub,
    )
    await ctx.audit(
        "activity.create",
        "activity",
        activity_id,
        {"centre_id": request.centre_id, "kind": request.kind, "mode": request.mode},
    )
    return await fetch_view(ctx.conn, activity_id)


async def update_draft(
    ctx: WriteContext, row: asyncpg.Record, request: UpdateActivity
) -> ActivityView:
    """Change a draft (its row locked by the caller): any field."""
    activity_id = row["activity_id"]
    changes: dict[str, Any] = {name: getattr(request, name) for name in request.model_fields_set}
    for name in _REQUIRED:
        if name in changes and changes[name] is None:
            raise unprocessable(f"{name} cannot be cleared", field=f"body.{name}")
    current = {
        "kind": row["kind"],
        "title": row["title"],
        "description": row["description"],
        "partner": row["partner_id"],
        "target_groups": list(row["target_groups"]),
        "mode": row["mode"],
        "capacity": row["capacity"],
    }
    merged = {**current, **changes}
    _check_seats(merged["mode"], merged["capacity"])
    await ctx.conn.execute(
        """
        UPDATE activities SET kind = $2, title = $3, description = $4, partner_id = $5,
                              target_groups = $6, mode = $7, capacity = $8
        WHERE activity_id = $1
        """,
        activity_id,
        merged["kind"],
        merged["title"],
        merged["description"],
        merged["partner"],
        merged["target_groups"],
        merged["mode"],
        merged["capacity"],
    )
    await ctx.audit("activity.update", "activity", activity_id, {"fields": sorted(changes)})
    return await fetch_view(ctx.conn, activity_id)


async def publish_activity(ctx: WriteContext, activity_id: UUID) -> ActivityView:
    """Publish a draft: it takes sessions and enrolments from now on."""
    row = await load_activity(ctx.conn, ctx.principal, activity_id, lock=True)
    if row["status"] == "published":
        raise conflict("the activity is already published", code="activity-published")
    published_at = clock.now()
    await ctx.conn.execute(
        "UPDATE activities SET status = 'published', published_at = $2 WHERE activity_id = $1",
        activity_id,
        published_at,
    )
    await ctx.emit(
        ActivityPublishedV1(
            activity_id=activity_id,
            centre_id=row["centre_id"],
            kind=row["kind"],
            title=row["title"],
            partner=row["partner_id"],
            target_groups=list(row["target_groups"]),
            capacity=row["capacity"],
            mode=row["mode"],
            published_at=published_at,
        )
    )
    # Sessions planned while the activity was a draft are announced with it.
    planned = await ctx.conn.fetch(
        "SELECT * FROM sessions WHERE activity_id = $1 AND status = 'scheduled' ORDER BY starts_at",
        activity_id,
    )
    for session in planned:
        await ctx.emit(
            SessionScheduledV1(
                session_id=session["session_id"],
                activity_id=activity_id,
                centre_id=row["centre_id"],
                starts_at=session["starts_at"],
                ends_at=session["ends_at"],
            )
        )
    await ctx.audit(
        "activity.publish", "activity", activity_id, {"sessions_announced": len(planned)}
    )
    return await fetch_view(ctx.conn, activity_id)


async def get_activity(conn: Connection, principal: Principal, activity_id: UUID) -> ActivityView:
    """One activity the caller may see."""
    await load_activity(conn, principal, activity_id)
    return await fetch_view(conn, activity_id)


async def list_activities(
    conn: Connection,
    principal: Principal,
    page: PageParams,
    *,
    centre_id: str | None = None,
    kind: str | None = None,
    partner: str | None = None,
    mode: str | None = None,
    status: str | None = None,
    target_group: str | None = None,
) -> Page[ActivityView]:
    """The caller's centres' activities, newest first, filtered."""
    filters = Filters()
    filters.centre_scope(principal, "a.centre_id", centre_id)
    filters.add("a.kind = {}", kind)
    filters.add("a.partner_id = {}", partner)
    filters.add("a.mode = {}", mode)
    filters.add("a.status = {}", status)
    filters.add("{} = ANY(a.target_groups)", target_group)
    return await fetch_page(
        conn,
        select=_COLUMNS,
        from_="activities a",
        filters=filters,
        order_by="a.created_at DESC, a.activity_id",
        page=page,
        build=_view,
    )
