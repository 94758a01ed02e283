"""HTTP routes for cooling and reheating processes."""

from typing import Annotated
from uuid import UUID

from fastapi import APIRouter, Query
from fastapi.responses import JSONResponse

from buurtwerk_shared.web.auth import ensure_centre
from buurtwerk_shared.web.pagination import Page, PageQuery, page_of
from buurtwerk_shared.web.paths import SlugPath
from buurtwerk_shared.web.writes import WritesDep
from meals.haccp.api.common import Db, Reader, Staff
from meals.haccp.api.schemas import ProcessReading, ProcessView, StartProcess
from meals.haccp.domain.processes import add_reading, list_processes, process_view, start_process

router = APIRouter(prefix="/haccp", tags=["HACCP cooling and reheating"])


@router.post(
    "/checks/{check_id}/processes",
    status_code=201,
    response_model=ProcessView,
    summary="Start cooling or reheating",
)
async def start(
    check_id: UUID, body: StartProcess, principal: Staff, writes: WritesDep
) -> JSONResponse:
    """Start a cooling or reheating process under a timed check; its deadline is the start plus
    the limits' `within_minutes`. Emits `meals.haccp_process_started.v1`."""
    return await writes.run(principal, lambda ctx: start_process(ctx, check_id, body))


@router.post(
    "/processes/{process_id}/readings",
    status_code=201,
    response_model=ProcessView,
    summary="Add a reading to a process",
)
async def reading(
    process_id: UUID, body: ProcessReading, principal: Staff, writes: WritesDep
) -> JSONResponse:
    """Add a reading. The one that reaches the target by the deadline concludes the process as
    ok; the first one after the deadline concludes it as a deviation. Either way the process's
    record is published (`meals.haccp_check_recorded.v1`, `due_at` = the deadline)."""
    return await writes.run(principal, lambda ctx: add_reading(ctx, process_id, body))


@router.get("/processes/{process_id}", response_model=ProcessView, summary="A process")
async def one(process_id: UUID, principal: Reader, db: Db) -> ProcessView:
    """One process with its readings."""
    view = await process_view(db, process_id)
    ensure_centre(principal, view.centre_id)
    return view


@router.get(
    "/kitchens/{kitchen_id}/processes",
    response_model=Page[ProcessView],
    summary="A kitchen's processes",
)
async def listing(
    kitchen_id: SlugPath,
    principal: Reader,
    db: Db,
    page: PageQuery,
    open_only: Annotated[bool, Query(alias="open", description="Only unconcluded ones.")] = False,
) -> Page[ProcessView]:
    """The processes of the last seven days, oldest first."""
    found = await list_processes(db, principal, kitchen_id, unconcluded_only=open_only)
    return page_of(found, page)
