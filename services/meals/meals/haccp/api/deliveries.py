"""HTTP routes for goods receipt, lot traceability and recalls."""

from typing import Annotated
from uuid import UUID

from fastapi import APIRouter, Query
from fastapi.responses import JSONResponse

from buurtwerk_shared.contracts.types import ShortText
from buurtwerk_shared.web.fields import Instant
from buurtwerk_shared.web.pagination import Page, PageQuery, page_of
from buurtwerk_shared.web.paths import SlugPath
from buurtwerk_shared.web.writes import WritesDep
from meals.haccp.api.common import Coordinator, Db, Reader, Staff
from meals.haccp.api.schemas import DeliveryView, LinkLots, Recall, RecordDelivery, ServiceLots
from meals.haccp.domain.common import utc_now
from meals.haccp.domain.deliveries import (
    link_lots,
    list_deliveries,
    recall,
    record_delivery,
    service_lots,
)
from meals.haccp.domain.deviations import BEGINNING

router = APIRouter(prefix="/haccp", tags=["HACCP goods receipt and traceability"])


@router.post(
    "/kitchens/{kitchen_id}/deliveries",
    status_code=201,
    response_model=DeliveryView,
    summary="Record a delivery",
)
async def receive(
    kitchen_id: SlugPath, body: RecordDelivery, principal: Staff, writes: WritesDep
) -> JSONResponse:
    """Record a delivery with its supplier, product and lot or best-before date. For chilled or
    frozen goods give the temperature and the goods-receipt check whose limits judge it: the
    check is recorded (`meals.haccp_check_recorded.v1`, and a deviation when out of limits)."""
    return await writes.run(principal, lambda ctx: record_delivery(ctx, kitchen_id, body))


@router.get(
    "/kitchens/{kitchen_id}/deliveries",
    response_model=Page[DeliveryView],
    summary="A kitchen's deliveries",
)
async def listing(
    kitchen_id: SlugPath,
    principal: Reader,
    db: Db,
    page: PageQuery,
    since: Annotated[Instant | None, Query(alias="from")] = None,
    until: Annotated[Instant | None, Query(alias="to")] = None,
) -> Page[DeliveryView]:
    """Deliveries received in a time range (default: all until now), oldest first."""
    found = await list_deliveries(db, principal, kitchen_id, since or BEGINNING, until or utc_now())
    return page_of(found, page)


@router.post(
    "/services/{service_id}/lots",
    response_model=ServiceLots,
    summary="Link delivered lots to a meal service",
)
async def link(
    service_id: UUID, body: LinkLots, principal: Staff, writes: WritesDep
) -> JSONResponse:
    """Record which delivered lots went into a meal service (one step forward)."""
    return await writes.run(principal, lambda ctx: link_lots(ctx, service_id, body), 200)


@router.get(
    "/services/{service_id}/lots", response_model=ServiceLots, summary="Lots of a meal service"
)
async def lots(service_id: UUID, principal: Reader, db: Db) -> ServiceLots:
    """The delivered lots that went into a meal service."""
    return await service_lots(db, principal, service_id)


@router.get("/recall", response_model=Recall, summary="Where did a lot go?")
async def recall_lot(
    principal: Coordinator,
    db: Db,
    supplier: Annotated[ShortText, Query()],
    lot: Annotated[ShortText, Query()],
) -> Recall:
    """Given a supplier and a lot: its deliveries (one step back) and the meal services and
    dates that used it (one step forward), within the caller's centres."""
    return await recall(db, principal, supplier, lot)
