"""HTTP routes for deviations and their corrective actions."""

from typing import Annotated
from uuid import UUID

from fastapi import APIRouter, Query
from fastapi.responses import JSONResponse

from buurtwerk_shared.web.fields import Instant
from buurtwerk_shared.web.pagination import Page, PageQuery, page_of
from buurtwerk_shared.web.paths import SlugPath
from buurtwerk_shared.web.writes import WritesDep
from meals.haccp.api.common import Db, Reader, Staff
from meals.haccp.api.schemas import RecordCorrectiveAction, RecordView
from meals.haccp.domain.deviations import list_deviations, record_corrective_action

router = APIRouter(prefix="/haccp", tags=["HACCP deviations"])


@router.get(
    "/kitchens/{kitchen_id}/deviations",
    response_model=Page[RecordView],
    summary="A kitchen's deviations",
)
async def listing(
    kitchen_id: SlugPath,
    principal: Reader,
    db: Db,
    page: PageQuery,
    open_only: Annotated[
        bool, Query(alias="open", description="Only those without a corrective action.")
    ] = True,
    since: Annotated[Instant | None, Query(alias="from")] = None,
    until: Annotated[Instant | None, Query(alias="to")] = None,
) -> Page[RecordView]:
    """Deviations of a kitchen, oldest first; by default the open ones, however old."""
    found = await list_deviations(
        db, principal, kitchen_id, open_only=open_only, since=since, until=until
    )
    return page_of(found, page)


@router.post(
    "/records/{record_id}/corrective-actions",
    status_code=201,
    response_model=RecordView,
    summary="Record a corrective action",
)
async def corrective_action(
    record_id: UUID, body: RecordCorrectiveAction, principal: Staff, writes: WritesDep
) -> JSONResponse:
    """Record what was done about a deviation (by the caller's staff id, when); closes it.
    Emits `meals.haccp_corrective_action_recorded.v1`."""
    return await writes.run(principal, lambda ctx: record_corrective_action(ctx, record_id, body))
