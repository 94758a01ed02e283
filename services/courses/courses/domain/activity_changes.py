"""Changing an activity: a draft changes freely; a published one keeps its kind and mode (its
sessions, enrolments and attendance rely on them) but its title, description, partner and
target groups may be edited, and its capacity raised (those waiting move up at once) or lowered
to no fewer than the participants holding a seat. A published change is announced
(`courses.activity_changed.v1`)."""

from typing import Any
from uuid import UUID

from buurtwerk_shared.contracts.events.courses import ActivityChangedV1
from buurtwerk_shared.pseudonyms import Pseudonymizer
from buurtwerk_shared.web.problems import conflict, unprocessable
from buurtwerk_shared.web.writes import WriteContext
from courses.api.schemas.activities import ActivityView, UpdateActivity
from courses.domain import clock
from courses.domain.activities import fetch_view, load_activity, update_draft
from courses.domain.enrolments import promote_waiting, seats_taken

# What a published activity may change, by request field and its column.
EDITABLE = {
    "title": "title",
    "description": "description",
    "partner": "partner_id",
    "target_groups": "target_groups",
    "capacity": "capacity",
}


async def update_activity(
    ctx: WriteContext, activity_id: UUID, request: UpdateActivity, pseudonyms: Pseudonymizer
) -> ActivityView:
    """Change a draft, or what a published activity may change."""
    row = await load_activity(ctx.conn, ctx.principal, activity_id, lock=True)
    if row["status"] == "draft":
        return await update_draft(ctx, row, request)
    changes: dict[str, Any] = {name: getattr(request, name) for name in request.model_fields_set}
    for name in sorted(set(changes) - set(EDITABLE)):
        raise conflict(
            f"{name} of a published activity cannot change: its sessions and enrolments rely on it",
            field=f"body.{name}",
            code="activity-published",
        )
    if "title" in changes and changes["title"] is None:
        raise unprocessable("title cannot be cleared", field="body.title")
    if "target_groups" in changes and changes["target_groups"] is None:
        raise unprocessable("target_groups cannot be cleared", field="body.target_groups")
    if "capacity" in changes:
        await _check_capacity(ctx, row, changes["capacity"])
    changed = sorted(name for name in changes if changes[name] != _current(row, name))
    if not changed:
        return await fetch_view(ctx.conn, activity_id)
    for name in changed:
        # Column names come from EDITABLE, never from the request.
        await ctx.conn.execute(
            f"UPDATE activities SET {EDITABLE[name]} = $2 WHERE activity_id = $1",
            activity_id,
            changes[name],
        )
    updated = await load_activity(ctx.conn, ctx.principal, activity_id)
    now = clock.now()
    await ctx.emit(
        ActivityChangedV1(
            activity_id=activity_id,
            centre_id=updated["centre_id"],
            kind=updated["kind"],
            title=updated["title"],
            partner=updated["partner_id"],
            target_groups=list(updated["target_groups"]),
            capacity=updated["capacity"],
            mode=updated["mode"],
            changed_fields=changed,
            changed_at=now,
        )
    )
    await ctx.audit(
        "activity.change",
        "activity",
        activity_id,
        {"fields": changed, "capacity": [row["capacity"], updated["capacity"]]}
        if "capacity" in changed
        else {"fields": changed},
    )
    if updated["mode"] == "enrolment" and "capacity" in changed:
        await promote_waiting(ctx, updated, now, pseudonyms)
    return await fetch_view(ctx.conn, activity_id)


def _current(row: Any, name: str) -> Any:
    value = row[EDITABLE[name]]
    return list(value) if name == "target_groups" else value


async def _check_capacity(ctx: WriteContext, row: Any, capacity: int | None) -> None:
    if row["mode"] == "enrolment" and capacity is None:
        raise unprocessable(
            "an activity with enrolment needs a capacity (its number of seats)",
            field="body.capacity",
        )
    if capacity is None:
        return
    taken = await seats_taken(ctx.conn, row["activity_id"])
    if capacity < taken:
        raise conflict(
            f"{taken} participants hold a seat: the capacity cannot be lower than {taken}",
            field="body.capacity",
            code="capacity-below-enrolled",
        )
