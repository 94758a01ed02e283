"""HTTP routes for a kitchen's equipment."""

from uuid import UUID

from fastapi import APIRouter
from fastapi.responses import JSONResponse

from buurtwerk_shared.web.pagination import Page, PageQuery, page_of
from buurtwerk_shared.web.paths import SlugPath
from buurtwerk_shared.web.writes import WritesDep
from meals.haccp.api.common import Coordinator, Db, Reader
from meals.haccp.api.schemas import AddEquipment, EquipmentView, UpdateEquipment
from meals.haccp.domain.equipment import add_equipment, list_equipment, update_equipment

router = APIRouter(prefix="/haccp", tags=["HACCP equipment"])


@router.post(
    "/kitchens/{kitchen_id}/equipment",
    status_code=201,
    response_model=EquipmentView,
    summary="Add equipment to a kitchen",
)
async def add(
    kitchen_id: SlugPath, body: AddEquipment, principal: Coordinator, writes: WritesDep
) -> JSONResponse:
    """Add a fridge, freezer, hot-holding unit, thermometer, ... to a kitchen."""
    return await writes.run(principal, lambda ctx: add_equipment(ctx, kitchen_id, body))


@router.get(
    "/kitchens/{kitchen_id}/equipment",
    response_model=Page[EquipmentView],
    summary="A kitchen's equipment",
)
async def listing(
    kitchen_id: SlugPath, principal: Reader, db: Db, page: PageQuery
) -> Page[EquipmentView]:
    """Every piece of equipment of a kitchen, by label."""
    return page_of(await list_equipment(db, principal, kitchen_id), page)


@router.patch("/equipment/{equipment_id}", response_model=EquipmentView, summary="Change equipment")
async def update(
    equipment_id: UUID, body: UpdateEquipment, principal: Coordinator, writes: WritesDep
) -> JSONResponse:
    """Rename a piece of equipment, set a thermometer's calibration offset, or retire it."""
    return await writes.run(
        principal, lambda ctx: update_equipment(ctx, equipment_id, body), status_code=200
    )
