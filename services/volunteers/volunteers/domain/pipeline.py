"""The recruitment and guidance pipeline: applied, intake, onboarding, active, paused, left.

A volunteer moves only along the catalogue's transitions; each move records when it happened and
who moved it, and is announced with `volunteers.volunteer_status_changed.v1`. A group moves as
one: each member moves (with their own event) or, if any member cannot, nobody does.
"""

import datetime as dt
from uuid import UUID

import asyncpg

from buurtwerk_shared.contracts.events.volunteers import VolunteerStatus, VolunteerStatusChangedV1
from buurtwerk_shared.web.problems import conflict, unprocessable
from buurtwerk_shared.web.writes import WriteContext
from volunteers.api.schemas.groups import GroupMove
from volunteers.api.schemas.volunteers import StatusChange, VolunteerView
from volunteers.domain.access import ensure_not_erased, volunteer_for_update
from volunteers.domain.assignments import withdraw_upcoming
from volunteers.domain.clock import is_future, now
from volunteers.domain.groups import group_for_update, group_view
from volunteers.domain.milestones import detect_years_milestones
from volunteers.domain.rules import IN_SERVICE, transition_allowed, transition_refusal
from volunteers.domain.views import volunteer_view


def business_time(requested: dt.datetime | None, field: str = "body.changed_at") -> dt.datetime:
    """When something happened: as given (never in the future), or now."""
    current = now()
    if requested is None:
        return current
    if is_future(requested, current):
        raise unprocessable("lies in the future", field=field)
    return requested


async def record_status(
    ctx: WriteContext,
    volunteer_id: UUID,
    previous: VolunteerStatus | None,
    status: VolunteerStatus,
    changed_at: dt.datetime,
    group_id: UUID | None = None,
) -> None:
    """Record one step in the volunteer's history and announce it (the row is already updated)."""
    await ctx.conn.execute(
        """
        INSERT INTO status_changes
            (volunteer_id, previous_status, status, changed_at, changed_by, group_id)
        VALUES ($1, $2, $3, $4, $5, $6)
        """,
        volunteer_id,
        previous,
        status,
        changed_at,
        ctx.principal.sub,
        group_id,
    )
    row = await ctx.conn.fetchrow(
        """
        SELECT v.centre_ids,
               coalesce(array_agg(m.group_id ORDER BY m.joined_at)
                        FILTER (WHERE m.group_id IS NOT NULL), '{}') AS group_ids
        FROM volunteers v LEFT JOIN group_members m USING (volunteer_id)
        WHERE v.volunteer_id = $1
        GROUP BY v.centre_ids
        """,
        volunteer_id,
    )
    assert row is not None
    await ctx.emit(
        VolunteerStatusChangedV1(
            volunteer_id=volunteer_id,
            status=status,
            previous_status=previous,
            centre_ids=row["centre_ids"],
            group_ids=row["group_ids"],
            changed_at=changed_at,
        )
    )


async def move(
    ctx: WriteContext,
    volunteer: asyncpg.Record,
    target: VolunteerStatus,
    changed_at: dt.datetime,
    group_id: UUID | None = None,
) -> None:
    """Move a locked volunteer whose move the caller has checked (see `refusal`)."""
    volunteer_id = volunteer["volunteer_id"]
    await ctx.conn.execute(
        """
        UPDATE volunteers
        SET status = $2, status_changed_at = $3,
            first_active_at = CASE WHEN $2 = 'active' THEN coalesce(first_active_at, $3)
                                   ELSE first_active_at END
        WHERE volunteer_id = $1
        """,
        volunteer_id,
        target,
        changed_at,
    )
    await record_status(ctx, volunteer_id, volunteer["status"], target, changed_at, group_id)
    if target in ("paused", "left"):
        await withdraw_upcoming(ctx, volunteer_id)
    if target in IN_SERVICE:
        await detect_years_milestones(ctx.conn, now(), volunteer_id)


def refusal(
    volunteer: asyncpg.Record, target: VolunteerStatus, changed_at: dt.datetime
) -> str | None:
    """Why a volunteer cannot make this move, or None."""
    if not transition_allowed(volunteer["status"], target):
        return transition_refusal(volunteer["status"], target)
    if changed_at < volunteer["status_changed_at"]:
        return (
            f"changed_at is before the last change ({volunteer['status_changed_at'].isoformat()})"
        )
    return None


async def change_status(
    ctx: WriteContext, volunteer_id: UUID, request: StatusChange
) -> VolunteerView:
    """Move one volunteer along the pipeline."""
    volunteer = await volunteer_for_update(ctx.conn, ctx.principal, volunteer_id)
    ensure_not_erased(volunteer)
    changed_at = business_time(request.changed_at)
    if not transition_allowed(volunteer["status"], request.status):
        raise conflict(
            transition_refusal(volunteer["status"], request.status),
            field="body.status",
            code="transition-not-allowed",
        )
    if changed_at < volunteer["status_changed_at"]:
        raise unprocessable(
            "is before the volunteer's last status change "
            f"({volunteer['status_changed_at'].isoformat()})",
            field="body.changed_at",
        )
    await move(ctx, volunteer, request.status, changed_at)
    await ctx.audit(
        "volunteer.status",
        "volunteer",
        volunteer_id,
        {"from": volunteer["status"], "to": request.status, "changed_at": changed_at},
    )
    return await volunteer_view(ctx.conn, volunteer_id)


async def move_group(ctx: WriteContext, group_id: UUID, request: StatusChange) -> GroupMove:
    """Move a group and every member along the pipeline, all or none.

    Members already at the target status stay as they are; erased members are left out.
    """
    group = await group_for_update(ctx.conn, ctx.principal, group_id)
    changed_at = business_time(request.changed_at)
    if not transition_allowed(group["status"], request.status):
        raise conflict(
            transition_refusal(group["status"], request.status, "a group"),
            field="body.status",
            code="transition-not-allowed",
        )
    if changed_at < group["status_changed_at"]:
        raise unprocessable(
            f"is before the group's last status change ({group['status_changed_at'].isoformat()})",
            field="body.changed_at",
        )
    members = await ctx.conn.fetch(
        """
        SELECT v.* FROM volunteers v JOIN group_members m USING (volunteer_id)
        WHERE m.group_id = $1 AND v.erased_at IS NULL
        ORDER BY v.volunteer_id
        FOR UPDATE OF v
        """,
        group_id,
    )
    to_move = [m for m in members if m["status"] != request.status]
    refused = [(m["volunteer_id"], refusal(m, request.status, changed_at)) for m in to_move]
    refused = [(volunteer_id, reason) for volunteer_id, reason in refused if reason]
    if refused:
        listed = "; ".join(f"{volunteer_id}: {reason}" for volunteer_id, reason in refused)
        raise conflict(
            f"{len(refused)} member(s) cannot move to '{request.status}', "
            f"so nobody moved: {listed}",
            field="body.status",
            code="group-member-cannot-move",
        )
    for member in to_move:
        await move(ctx, member, request.status, changed_at, group_id)
    await ctx.conn.execute(
        "UPDATE volunteer_groups SET status = $2, status_changed_at = $3 WHERE group_id = $1",
        group_id,
        request.status,
        changed_at,
    )
    await ctx.conn.execute(
        """
        INSERT INTO group_status_changes (group_id, previous_status, status, changed_at, changed_by)
        VALUES ($1, $2, $3, $4, $5)
        """,
        group_id,
        group["status"],
        request.status,
        changed_at,
        ctx.principal.sub,
    )
    moved = [m["volunteer_id"] for m in to_move]
    await ctx.audit(
        "group.status",
        "group",
        group_id,
        {"from": group["status"], "to": request.status, "changed_at": changed_at, "moved": moved},
    )
    unchanged = [m["volunteer_id"] for m in members if m["status"] == request.status]
    return GroupMove(group=await group_view(ctx.conn, group_id), moved=moved, unchanged=unchanged)
