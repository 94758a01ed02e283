"""Enrolment with capacity and a waiting list that moves up on its own.

Every change that counts seats first locks the activity's row, so enrolments of one activity are
taken one at a time in the order they reach the lock: exactly `capacity` participants get a seat,
the others wait in that order (`arrival`), and a freed seat goes to the first one waiting.
"""

import datetime as dt
from uuid import UUID, uuid4

import asyncpg

from buurtwerk_shared.contracts.events.courses import EnrolmentChangedV1, EnrolmentStatus
from buurtwerk_shared.db.pool import Connection
from buurtwerk_shared.pseudonyms import Pseudonymizer
from buurtwerk_shared.web.auth import Principal, ensure_centre
from buurtwerk_shared.web.pagination import Page, PageParams
from buurtwerk_shared.web.problems import conflict, not_found
from buurtwerk_shared.web.writes import WriteContext
from courses.api.schemas.enrolments import Enrol, EnrolmentCancelled, EnrolmentView
from courses.domain import clock
from courses.domain.activities import load_activity
from courses.domain.listing import Filters, fetch_page
from courses.domain.participants import find_participant, participant_row, public_attributes

# Statuses that hold a seat, and those that make a second enrolment a double one.
SEATED = ("enrolled", "completed")
LIVE = ("enrolled", "waitlisted", "completed")

_COLUMNS = """
    e.*, a.centre_id,
    CASE WHEN e.status = 'waitlisted' THEN
        (SELECT count(*) FROM enrolments w
         WHERE w.activity_id = e.activity_id AND w.status = 'waitlisted' AND w.arrival <= e.arrival)
    END AS waitlist_position
"""
_FROM = "enrolments e JOIN activities a USING (activity_id)"


def _view(row: asyncpg.Record) -> EnrolmentView:
    return EnrolmentView(
        enrolment_id=row["enrolment_id"],
        activity_id=row["activity_id"],
        centre_id=row["centre_id"],
        participant_id=row["participant_id"],
        status=row["status"],
        waitlist_position=row["waitlist_position"],
        requested_at=row["requested_at"],
        promoted_at=row["promoted_at"],
        changed_at=row["changed_at"],
    )


async def _fetch_view(conn: Connection, enrolment_id: UUID) -> EnrolmentView:
    row = await conn.fetchrow(
        f"SELECT {_COLUMNS} FROM {_FROM} WHERE e.enrolment_id = $1", enrolment_id
    )
    assert row is not None
    return _view(row)


async def _announce(
    ctx: WriteContext,
    pseudonyms: Pseudonymizer,
    enrolment: asyncpg.Record,
    centre_id: str,
    status: EnrolmentStatus,
    changed_at: dt.datetime,
) -> None:
    participant = await participant_row(ctx.conn, enrolment["participant_id"])
    public = await public_attributes(
        ctx.conn, pseudonyms, participant, clock.local_date(changed_at)
    )
    await ctx.emit(
        EnrolmentChangedV1(
            enrolment_id=enrolment["enrolment_id"],
            activity_id=enrolment["activity_id"],
            centre_id=centre_id,
            participant_key=public.participant_key,
            status=status,
            changed_at=changed_at,
            age_band=public.age_band,
            target_group=public.target_group,
            neighbourhood=public.neighbourhood,
        )
    )


async def seats_taken(conn: Connection, activity_id: UUID) -> int:
    """How many participants hold a seat in the activity."""
    taken: int = await conn.fetchval(
        "SELECT count(*) FROM enrolments WHERE activity_id = $1 AND status = ANY($2)",
        activity_id,
        list(SEATED),
    )
    return taken


async def enrol(
    ctx: WriteContext, activity_id: UUID, request: Enrol, pseudonyms: Pseudonymizer
) -> EnrolmentView:
    """Give the participant a seat if one is free, else put them at the end of the waiting list."""
    activity = await load_activity(ctx.conn, ctx.principal, activity_id)
    if activity["status"] != "published":
        raise conflict("the activity is not published yet", code="activity-not-published")
    if activity["mode"] != "enrolment":
        raise conflict(
            "a drop-in activity takes no enrolments: record attendance instead",
            code="drop-in-activity",
        )
    # The participant's lock before the activity's: the order in which erasure takes them. A
    # published activity no longer changes, so what was checked above still holds.
    participant = await find_participant(
        ctx.conn, ctx.principal, request.participant_id, "body.participant_id"
    )
    activity = await load_activity(ctx.conn, ctx.principal, activity_id, lock=True)
    existing = await ctx.conn.fetchrow(
        "SELECT enrolment_id, status FROM enrolments "
        "WHERE activity_id = $1 AND participant_id = $2 AND status = ANY($3)",
        activity_id,
        participant["participant_id"],
        list(LIVE),
    )
    if existing is not None:
        raise conflict(
            f"the participant already has an enrolment ({existing['status']}, "
            f"{existing['enrolment_id']}) in this activity",
            field="body.participant_id",
            code="already-enrolled",
        )
    seated = await seats_taken(ctx.conn, activity_id) < activity["capacity"]
    status: EnrolmentStatus = "enrolled" if seated else "waitlisted"
    now = clock.now()
    row = await ctx.conn.fetchrow(
        """
        INSERT INTO enrolments (enrolment_id, activity_id, participant_id, status, requested_at,
                                changed_at, recorded_by)
        VALUES ($1, $2, $3, $4, $5, $5, $6)
        RETURNING *
        """,
        uuid4(),
        activity_id,
        participant["participant_id"],
        status,
        now,
        ctx.principal.sub,
    )
    assert row is not None
    await _announce(ctx, pseudonyms, row, activity["centre_id"], status, now)
    await ctx.audit(
        "enrolment.create",
        "enrolment",
        row["enrolment_id"],
        {"activity_id": activity_id, "status": status},
    )
    return await _fetch_view(ctx.conn, row["enrolment_id"])


async def _lock_enrolment(
    ctx: WriteContext, enrolment_id: UUID
) -> tuple[asyncpg.Record, asyncpg.Record]:
    """The enrolment and its activity, both locked, the activity first (as `enrol` does)."""
    activity_id = await ctx.conn.fetchval(
        "SELECT activity_id FROM enrolments WHERE enrolment_id = $1", enrolment_id
    )
    if activity_id is None:
        raise not_found(f"enrolment {enrolment_id}", field="path.enrolment_id")
    activity = await load_activity(ctx.conn, ctx.principal, activity_id, lock=True)
    enrolment = await ctx.conn.fetchrow(
        "SELECT * FROM enrolments WHERE enrolment_id = $1 FOR UPDATE", enrolment_id
    )
    assert enrolment is not None
    return activity, enrolment


async def promote_waiting(
    ctx: WriteContext, activity: asyncpg.Record, now: dt.datetime, pseudonyms: Pseudonymizer
) -> list[UUID]:
    """Give free seats to those waiting longest; the ids of the promoted enrolments."""
    promoted: list[UUID] = []
    free = activity["capacity"] - await seats_taken(ctx.conn, activity["activity_id"])
    if free <= 0:
        return promoted
    rows = await ctx.conn.fetch(
        """
        UPDATE enrolments SET status = 'enrolled', promoted_at = $2, changed_at = $2
        WHERE enrolment_id IN (
            SELECT enrolment_id FROM enrolments
            WHERE activity_id = $1 AND status = 'waitlisted'
            ORDER BY arrival LIMIT $3
        )
        RETURNING *
        """,
        activity["activity_id"],
        now,
        free,
    )
    for row in sorted(rows, key=lambda r: r["arrival"]):
        await _announce(ctx, pseudonyms, row, activity["centre_id"], "promoted", now)
        await ctx.audit(
            "enrolment.promote",
            "enrolment",
            row["enrolment_id"],
            {"activity_id": activity["activity_id"]},
        )
        promoted.append(row["enrolment_id"])
    return promoted


async def cancel_enrolment(
    ctx: WriteContext, enrolment_id: UUID, pseudonyms: Pseudonymizer
) -> EnrolmentCancelled:
    """Cancel an enrolment or a place on the waiting list; a freed seat goes to the next one."""
    activity, enrolment = await _lock_enrolment(ctx, enrolment_id)
    if enrolment["status"] not in ("enrolled", "waitlisted"):
        raise conflict(f"the enrolment is already {enrolment['status']}", code="enrolment-closed")
    now = clock.now()
    await ctx.conn.execute(
        "UPDATE enrolments SET status = 'cancelled', changed_at = $2 WHERE enrolment_id = $1",
        enrolment_id,
        now,
    )
    await _announce(ctx, pseudonyms, enrolment, activity["centre_id"], "cancelled", now)
    await ctx.audit(
        "enrolment.cancel",
        "enrolment",
        enrolment_id,
        {"activity_id": activity["activity_id"], "was": enrolment["status"]},
    )
    promoted = await promote_waiting(ctx, activity, now, pseudonyms)
    return EnrolmentCancelled(
        cancelled=await _fetch_view(ctx.conn, enrolment_id),
        promoted=await _fetch_view(ctx.conn, promoted[0]) if promoted else None,
    )


async def lock_live_activities(conn: Connection, participant_ids: list[UUID]) -> None:
    """Lock the activities where these participants hold a seat or wait for one, in id order,
    so that erasures running side by side take them in the same order."""
    await conn.execute(
        """
        SELECT activity_id FROM activities
        WHERE activity_id IN (SELECT activity_id FROM enrolments
                              WHERE participant_id = ANY($1::uuid[])
                                AND status IN ('enrolled', 'waitlisted'))
        ORDER BY activity_id
        FOR NO KEY UPDATE
        """,
        participant_ids,
    )


async def cancel_for_erasure(
    ctx: WriteContext, participant_id: UUID, pseudonyms: Pseudonymizer, at: dt.datetime
) -> list[UUID]:
    """Cancel the seats and waiting-list places of a participant being erased (their row and
    activities locked by the caller), in any centre; the ids cancelled. A freed seat goes to the
    first one waiting while the activity has sessions to come, never into an activity that is
    over."""
    enrolments = await ctx.conn.fetch(
        """
        SELECT * FROM enrolments
        WHERE participant_id = $1 AND status IN ('enrolled', 'waitlisted')
        ORDER BY arrival
        FOR UPDATE
        """,
        participant_id,
    )
    for enrolment in enrolments:
        activity = await ctx.conn.fetchrow(
            "SELECT * FROM activities WHERE activity_id = $1", enrolment["activity_id"]
        )
        assert activity is not None
        await ctx.conn.execute(
            "UPDATE enrolments SET status = 'cancelled', changed_at = $2 WHERE enrolment_id = $1",
            enrolment["enrolment_id"],
            at,
        )
        await _announce(ctx, pseudonyms, enrolment, activity["centre_id"], "cancelled", at)
        await ctx.audit(
            "enrolment.cancel",
            "enrolment",
            enrolment["enrolment_id"],
            {"activity_id": activity["activity_id"], "was": enrolment["status"], "by": "erasure"},
        )
        sessions_to_come = await ctx.conn.fetchval(
            "SELECT EXISTS (SELECT 1 FROM sessions WHERE activity_id = $1 "
            "AND status = 'scheduled' AND starts_at > $2)",
            activity["activity_id"],
            at,
        )
        if sessions_to_come:
            await promote_waiting(ctx, activity, at, pseudonyms)
    return [enrolment["enrolment_id"] for enrolment in enrolments]


async def complete_enrolment(
    ctx: WriteContext, enrolment_id: UUID, pseudonyms: Pseudonymizer
) -> EnrolmentView:
    """Mark an enrolled participant as having completed the activity."""
    activity, enrolment = await _lock_enrolment(ctx, enrolment_id)
    if enrolment["status"] != "enrolled":
        raise conflict(
            f"only an enrolled participant can complete; this enrolment is {enrolment['status']}",
            code="not-enrolled",
        )
    now = clock.now()
    await ctx.conn.execute(
        "UPDATE enrolments SET status = 'completed', changed_at = $2 WHERE enrolment_id = $1",
        enrolment_id,
        now,
    )
    await _announce(ctx, pseudonyms, enrolment, activity["centre_id"], "completed", now)
    await ctx.audit(
        "enrolment.complete", "enrolment", enrolment_id, {"activity_id": activity["activity_id"]}
    )
    return await _fetch_view(ctx.conn, enrolment_id)


async def get_enrolment(
    conn: Connection, principal: Principal, enrolment_id: UUID
) -> EnrolmentView:
    """One enrolment in the caller's centres."""
    row = await conn.fetchrow(
        f"SELECT {_COLUMNS} FROM {_FROM} WHERE e.enrolment_id = $1", enrolment_id
    )
    if row is None:
        raise not_found(f"enrolment {enrolment_id}", field="path.enrolment_id")
    ensure_centre(principal, row["centre_id"])
    return _view(row)


async def list_enrolments(
    conn: Connection,
    principal: Principal,
    page: PageParams,
    *,
    centre_id: str | None = None,
    activity_id: UUID | None = None,
    participant_id: UUID | None = None,
    status: str | None = None,
) -> Page[EnrolmentView]:
    """Enrolments in the caller's centres in arrival order: the waiting list's order."""
    filters = Filters()
    filters.centre_scope(principal, "a.centre_id", centre_id)
    filters.add("e.activity_id = {}", activity_id)
    filters.add("e.participant_id = {}", participant_id)
    filters.add("e.status = {}", status)
    return await fetch_page(
        conn,
        select=_COLUMNS,
        from_=_FROM,
        filters=filters,
        order_by="e.arrival",
        page=page,
        build=_view,
    )
