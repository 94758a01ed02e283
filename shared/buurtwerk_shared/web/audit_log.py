"""The audit log over HTTP: `GET /audit`, for city-wide administrators, read-only.

Every service appends to its own `audit_log` table (writes in their transaction, audited reads of
personal data beside them); the table refuses updates, deletes and truncation. This router lets an
administrator read it, filtered and one page at a time; reading it is itself audited.
"""

import datetime as dt
from typing import Annotated, Any

import asyncpg
from fastapi import APIRouter, Depends, Query, Request
from pydantic import BaseModel, ConfigDict

from buurtwerk_shared.db.pool import Connection
from buurtwerk_shared.web.auth import CityWideAdmin
from buurtwerk_shared.web.fields import Instant
from buurtwerk_shared.web.pagination import Page, PageParams, PageQuery
from buurtwerk_shared.web.problems import unprocessable
from buurtwerk_shared.web.writes import audit

router = APIRouter(prefix="/audit", tags=["audit log"])


Name = Annotated[str | None, Query(min_length=1, max_length=200)]


class AuditEntry(BaseModel):
    """One audited action: who (token subject and role), what, on which record, when."""

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "id": 812,
                    "at": "2026-03-12T11:58:03.120000+00:00",
                    "actor": "staff-91c2",
                    "role": "kitchen_staff",
                    "action": "registration.create",
                    "record_type": "registration",
                    "record_id": "9a6f0f8e-1c43-4a55-8f0a-2f3c1d9e7b61",
                    "details": {"tariff": "reduced", "count": 2},
                    "trace_id": "4bf92f3577b34da6a3ce929d0e0e4736",
                }
            ]
        }
    )

    id: int
    at: dt.datetime
    actor: str
    role: str
    action: str
    record_type: str
    record_id: str | None
    details: dict[str, Any]
    trace_id: str | None


class AuditFilters(BaseModel):
    """Which entries to list; every filter given must match."""

    actor: str | None = None
    action: str | None = None
    record_type: str | None = None
    record_id: str | None = None
    since: dt.datetime | None = None
    until: dt.datetime | None = None


async def _filters(
    actor: Name = None,
    action: Name = None,
    record_type: Name = None,
    record_id: Name = None,
    since: Annotated[
        Instant | None, Query(alias="from", description="At or after this instant.")
    ] = None,
    until: Annotated[Instant | None, Query(alias="to", description="Before this instant.")] = None,
) -> AuditFilters:
    if since is not None and until is not None and until < since:
        raise unprocessable("'to' is before 'from'", field="query.to")
    return AuditFilters(
        actor=actor,
        action=action,
        record_type=record_type,
        record_id=record_id,
        since=since,
        until=until,
    )


_WHERE = """
FROM audit_log
WHERE ($1::text IS NULL OR actor = $1)
  AND ($2::text IS NULL OR action = $2)
  AND ($3::text IS NULL OR record_type = $3)
  AND ($4::text IS NULL OR record_id = $4)
  AND ($5::timestamptz IS NULL OR at >= $5)
  AND ($6::timestamptz IS NULL OR at < $6)
"""


async def find_entries(
    conn: Connection, filters: AuditFilters, page: PageParams
) -> Page[AuditEntry]:
    """One page of the entries matching the filters, newest first, with their total."""
    args = (
        filters.actor,
        filters.action,
        filters.record_type,
        filters.record_id,
        filters.since,
        filters.until,
    )
    total = await conn.fetchval(f"SELECT count(*) {_WHERE}", *args)
    rows = await conn.fetch(
        f"SELECT * {_WHERE} ORDER BY at DESC, id DESC LIMIT $7 OFFSET $8",
        *args,
        page.limit,
        page.offset,
    )
    return Page(
        items=[AuditEntry.model_validate(dict(row)) for row in rows],
        total=total,
        limit=page.limit,
        offset=page.offset,
    )


@router.get("", response_model=Page[AuditEntry], summary="Read the audit log")
async def audit_entries(
    request: Request,
    principal: CityWideAdmin,
    page: PageQuery,
    filters: Annotated[AuditFilters, Depends(_filters)],
) -> Page[AuditEntry]:
    """Who did what to which record, and who read whose personal data, newest first; for an
    administrator of every centre. The log cannot be changed; this read is logged too."""
    pool: asyncpg.Pool = request.app.state.pool
    async with pool.acquire() as conn, conn.transaction():
        found = await find_entries(conn, filters, page)
        await audit(
            conn,
            principal,
            "audit.list",
            "audit_log",
            None,
            {**filters.model_dump(exclude_none=True), "returned": len(found.items)},
        )
    return found
