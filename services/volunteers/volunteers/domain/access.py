"""Centre scope: a coordinator sees the volunteers, groups and shifts of their own centres.

A volunteer outside the caller's centres is answered exactly as one that does not exist (404,
the same words, the same field): a coordinator must not learn that a person is known in
another centre. Groups and shifts, which are no persons, answer 403.
"""

from collections.abc import Sequence
from uuid import UUID

import asyncpg

from buurtwerk_shared.db.pool import Connection
from buurtwerk_shared.web.auth import ALL_CENTRES, Principal, forbidden
from buurtwerk_shared.web.problems import conflict, not_found


def scope(principal: Principal) -> list[str] | None:
    """The centres the caller may see, or None for all of them (SQL: `$n::text[] IS NULL`)."""
    return None if ALL_CENTRES in principal.centres else list(principal.centres)


def ensure_any_centre(principal: Principal, centre_ids: Sequence[str], what: str) -> None:
    """403 unless the caller's scope covers at least one of the record's centres."""
    if ALL_CENTRES in principal.centres or set(centre_ids) & set(principal.centres):
        return
    raise forbidden(f"your token covers none of the centres of this {what}")


def ensure_all_centres(principal: Principal, centre_ids: Sequence[str]) -> None:
    """403 unless the caller's scope covers every centre named."""
    outside = [c for c in centre_ids if not principal.sees_centre(c)]
    if outside:
        raise forbidden(f"your token does not cover centre '{outside[0]}'")


def ensure_sees_volunteer(
    principal: Principal, row: asyncpg.Record, field: str = "path.volunteer_id"
) -> None:
    """404, as for an unknown volunteer, unless the caller's scope covers one of their centres."""
    if ALL_CENTRES in principal.centres or set(row["centre_ids"]) & set(principal.centres):
        return
    raise not_found(f"volunteer {row['volunteer_id']}", field=field)


async def volunteer_for_update(
    conn: Connection, principal: Principal, volunteer_id: UUID, field: str = "path.volunteer_id"
) -> asyncpg.Record:
    """The volunteer's row, locked for the rest of the transaction (every change to one
    volunteer's status, shifts, hours or allowances goes through this lock, so they apply one
    after the other)."""
    row = await conn.fetchrow(
        "SELECT * FROM volunteers WHERE volunteer_id = $1 FOR UPDATE", volunteer_id
    )
    if row is None:
        raise not_found(f"volunteer {volunteer_id}", field=field)
    ensure_sees_volunteer(principal, row, field)
    return row


def ensure_not_erased(volunteer: asyncpg.Record, field: str = "path.volunteer_id") -> None:
    """409 for an erased volunteer: only their ids and figures remain."""
    if volunteer["erased_at"] is not None:
        raise conflict(
            f"volunteer {volunteer['volunteer_id']} was erased", field=field, code="erased"
        )
