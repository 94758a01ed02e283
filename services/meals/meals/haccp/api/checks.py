"""HTTP routes for check definitions, recording checks, and the "due now" list."""

import datetime as dt
from typing import Annotated
from uuid import UUID

from fastapi import APIRouter, Query
from fastapi.responses import JSONResponse

from buurtwerk_shared.web.auth import ensure_centre
from buurtwerk_shared.web.fields import Instant
from buurtwerk_shared.web.pagination import Page, PageQuery, page_of
from buurtwerk_shared.web.paths import SlugPath
from buurtwerk_shared.web.writes import WritesDep
from meals.haccp.api.common import Coordinator, Db, Reader, Staff
from meals.haccp.api.schemas import (
    CheckHistory,
    CheckView,
    DefaultLimits,
    DefineCheck,
    DueList,
    RecordCheck,
    RecordView,
    ReviseCheck,
)
from meals.haccp.domain.checks import check_history, define_check, list_checks, revise_check
from meals.haccp.domain.common import utc_now
from meals.haccp.domain.defaults import DEFAULTS
from meals.haccp.domain.due import due_list
from meals.haccp.domain.records import record_check, record_view

router = APIRouter(prefix="/haccp", tags=["HACCP checks"])


@router.get("/defaults", response_model=list[DefaultLimits], summary="The catalogue's defaults")
async def defaults(_principal: Reader) -> list[DefaultLimits]:
    """The default critical limit of each kind of check (used when a definition leaves it out)."""
    return [
        DefaultLimits(kind=kind, limits=d.limits, note_nl=d.note_nl, note_en=d.note_en)
        for kind, d in DEFAULTS.items()
    ]


@router.post(
    "/kitchens/{kitchen_id}/checks",
    status_code=201,
    response_model=CheckView,
    summary="Define a check",
)
async def define(
    kitchen_id: SlugPath, body: DefineCheck, principal: Coordinator, writes: WritesDep
) -> JSONResponse:
    """Define a check for a kitchen; emits `meals.haccp_check_defined.v1` (version 1)."""
    return await writes.run(principal, lambda ctx: define_check(ctx, kitchen_id, body))


@router.get(
    "/kitchens/{kitchen_id}/checks",
    response_model=Page[CheckView],
    summary="A kitchen's checks",
)
async def listing(
    kitchen_id: SlugPath, principal: Reader, db: Db, page: PageQuery
) -> Page[CheckView]:
    """The version in force of every check of a kitchen."""
    return page_of(await list_checks(db, principal, kitchen_id), page)


@router.get("/checks/{check_id}", response_model=CheckHistory, summary="A check and its versions")
async def history(check_id: UUID, principal: Reader, db: Db) -> CheckHistory:
    """A check's version in force and every earlier version."""
    return await check_history(db, principal, check_id)


@router.put("/checks/{check_id}", response_model=CheckView, summary="Revise a check")
async def revise(
    check_id: UUID, body: ReviseCheck, principal: Coordinator, writes: WritesDep
) -> JSONResponse:
    """Add the next version of a check, in force from now (`active: false` switches it off);
    emits `meals.haccp_check_defined.v1`. Earlier records stay judged by their version."""
    return await writes.run(principal, lambda ctx: revise_check(ctx, check_id, body), 200)


@router.post(
    "/checks/{check_id}/records",
    status_code=201,
    response_model=RecordView,
    summary="Record a check",
)
async def record(
    check_id: UUID, body: RecordCheck, principal: Staff, writes: WritesDep
) -> JSONResponse:
    """Record a check: a value (with the thermometer used), checklist items, calibration
    readings, or done. The service decides the outcome against the limits in force; emits
    `meals.haccp_check_recorded.v1` and, on a deviation, `meals.haccp_deviation_detected.v1`.
    Send an `Idempotency-Key` so that a retry never records twice."""
    return await writes.run(principal, lambda ctx: record_check(ctx, check_id, body))


@router.get("/records/{record_id}", response_model=RecordView, summary="A record")
async def one_record(record_id: UUID, principal: Reader, db: Db) -> RecordView:
    """One record, with its limits and corrective actions."""
    view = await record_view(db, record_id)
    ensure_centre(principal, view.centre_id)
    return view


@router.get("/kitchens/{kitchen_id}/due", response_model=DueList, summary="What is due now")
async def due(
    kitchen_id: SlugPath,
    principal: Reader,
    db: Db,
    at: Annotated[
        Instant | None, Query(description="Default: now. Another time to look ahead.")
    ] = None,
) -> DueList:
    """Today's checks of a kitchen, overdue first, then due, then coming up in the next two
    hours, then done; with running cooling and reheating processes."""
    return await due_list(db, principal, kitchen_id, (at or utc_now()).astimezone(dt.UTC))
