"""HTTP routes for meal services: list, plan, read, change, cancel, close."""

from dataclasses import replace
from typing import Annotated
from uuid import UUID

from fastapi import APIRouter, Query
from fastapi.responses import JSONResponse

from buurtwerk_shared.web.pagination import Page, PageQuery
from buurtwerk_shared.web.writes import WritesDep
from meals.api.common import Coordinator, ListFilters, Pool, Reader, Settings, Till, problems
from meals.domain.listings import list_services
from meals.domain.records import find_service, service_view
from meals.domain.services import cancel_service, change_service, close_service, plan_service
from meals.domain.totals import totals_for
from meals.schemas.services import (
    CancelService,
    ChangeService,
    PlanService,
    ServiceStatus,
    ServiceView,
)

router = APIRouter(prefix="/services", tags=["meal services"], responses=problems(401, 403, 422))


@router.get("", response_model=Page[ServiceView], summary="List meal services")
async def services(
    principal: Reader,
    filters: ListFilters,
    page: PageQuery,
    db: Pool,
    status: Annotated[
        ServiceStatus | None, Query(description="Only services in this state.")
    ] = None,
) -> Page[ServiceView]:
    """Meal services in the caller's centres, in the order they start, with their totals."""
    async with db.acquire() as conn:
        return await list_services(conn, principal, replace(filters, status=status), page)


@router.post(
    "",
    status_code=201,
    response_model=ServiceView,
    summary="Plan a meal service",
    responses=problems(409),
)
async def plan(
    body: PlanService, principal: Coordinator, settings: Settings, writes: WritesDep
) -> JSONResponse:
    """Plan a meal service; emits `meals.service_planned.v1`.

    Refused: a kitchen of another centre, a negative price, a capacity below 1, an unknown
    tariff or allergen (422, naming it); a second service in the same kitchen at the same
    time (409). If nobody closes it, the service closes itself at `closes_at`: the configured
    time (`MEALS_AUTO_CLOSE_TIME`, default midnight) after its day, or after today when it is
    planned after its day.
    """
    return await writes.run(
        principal, lambda ctx: plan_service(ctx, body, settings.auto_close_time)
    )


@router.get(
    "/{service_id}",
    response_model=ServiceView,
    summary="One meal service",
    responses=problems(404),
)
async def service(service_id: UUID, principal: Reader, db: Pool) -> ServiceView:
    """A meal service with its current totals (served, reserved, no-shows, free seats)."""
    async with db.acquire() as conn:
        row = await find_service(conn, principal, service_id)
        return service_view(row, await totals_for(conn, service_id))


@router.patch(
    "/{service_id}",
    response_model=ServiceView,
    summary="Change an open meal service",
    responses=problems(404, 409),
)
async def change(
    service_id: UUID, body: ChangeService, principal: Coordinator, writes: WritesDep
) -> JSONResponse:
    """Change the start time, capacity, prices, dishes or reservations of an open service.

    Emits `meals.service_changed.v1` with the fields that changed. Refused once the service is
    closed or cancelled, below the places already taken, or dropping the price of a tariff
    already sold.
    """
    return await writes.run(
        principal, lambda ctx: change_service(ctx, service_id, body), status_code=200
    )


@router.post(
    "/{service_id}/cancel",
    response_model=ServiceView,
    summary="Cancel a meal service",
    responses=problems(404, 409),
)
async def cancel(
    service_id: UUID, body: CancelService, principal: Coordinator, writes: WritesDep
) -> JSONResponse:
    """Cancel an open service in which nothing was served; emits `meals.service_cancelled.v1`."""
    return await writes.run(
        principal, lambda ctx: cancel_service(ctx, service_id, body), status_code=200
    )


@router.post(
    "/{service_id}/close",
    response_model=ServiceView,
    summary="Close a meal service",
    responses=problems(404, 409),
)
async def close(service_id: UUID, principal: Till, writes: WritesDep) -> JSONResponse:
    """Close a service once it has started (at the till, at the end of the meal, or by the
    coordinator); emits `meals.service_closed.v1` with its totals.

    For 7 days afterwards a coordinator may still register forgotten meals and correct
    registrations; the till may not. A service nobody closes closes itself at `closes_at`,
    with the same event.
    """
    return await writes.run(principal, lambda ctx: close_service(ctx, service_id), status_code=200)
