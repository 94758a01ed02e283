"""HTTP routes for a kitchen's refurbishment milestones."""

from fastapi import APIRouter
from fastapi.responses import JSONResponse

from buurtwerk_shared.web.pagination import Page, PageQuery, page_of
from buurtwerk_shared.web.paths import SlugPath
from buurtwerk_shared.web.writes import WritesDep
from meals.haccp.api.common import Coordinator, Db, Reader
from meals.haccp.api.schemas import RefurbishmentView, UpdateRefurbishment
from meals.haccp.domain.refurbishment import list_refurbishment, update_refurbishment

router = APIRouter(prefix="/haccp", tags=["HACCP kitchen refurbishment"])


@router.post(
    "/kitchens/{kitchen_id}/refurbishment",
    response_model=RefurbishmentView,
    summary="Update a refurbishment milestone",
)
async def update(
    kitchen_id: SlugPath, body: UpdateRefurbishment, principal: Coordinator, writes: WritesDep
) -> JSONResponse:
    """Add a milestone or change its status; emits `meals.kitchen_refurbishment_updated.v1`."""
    return await writes.run(principal, lambda ctx: update_refurbishment(ctx, kitchen_id, body), 200)


@router.get(
    "/kitchens/{kitchen_id}/refurbishment",
    response_model=Page[RefurbishmentView],
    summary="A kitchen's refurbishment milestones",
)
async def listing(
    kitchen_id: SlugPath, principal: Reader, db: Db, page: PageQuery
) -> Page[RefurbishmentView]:
    """The kitchen's milestones, by date."""
    return page_of(await list_refurbishment(db, principal, kitchen_id), page)
