"""HTTP routes for reservations: reserve, list, cancel."""

from dataclasses import replace
from typing import Annotated
from uuid import UUID

from fastapi import APIRouter, Query
from fastapi.responses import JSONResponse

from buurtwerk_shared.web.pagination import Page, PageQuery
from buurtwerk_shared.web.writes import WritesDep
from meals.api.common import ListFilters, Pool, Pseudonyms, Reader, Till, problems
from meals.domain.listings import list_reservations
from meals.domain.reservations import cancel_reservation, make_reservation
from meals.schemas.reservations import MakeReservation, ReservationStatus, ReservationView

router = APIRouter(tags=["reservations"], responses=problems(401, 403, 422))


@router.post(
    "/services/{service_id}/reservations",
    status_code=201,
    response_model=ReservationView,
    summary="Reserve seats",
    responses=problems(404, 409),
)
async def reserve(
    service_id: UUID,
    body: MakeReservation,
    principal: Till,
    pseudonyms: Pseudonyms,
    writes: WritesDep,
) -> JSONResponse:
    """Hold seats at an open service that takes reservations; emits `meals.reservation_made.v1`.

    With a diner card the reservation is the card holder's (by diner key; one per service), and
    their meal at the till honours it. Seats nobody comes for are counted as no-shows when the
    service closes.
    """
    return await writes.run(
        principal, lambda ctx: make_reservation(ctx, pseudonyms, service_id, body)
    )


@router.get("/reservations", response_model=Page[ReservationView], summary="List reservations")
async def reservations(
    principal: Reader,
    filters: ListFilters,
    page: PageQuery,
    db: Pool,
    service_id: Annotated[UUID | None, Query(description="Only this service's.")] = None,
    status: Annotated[ReservationStatus | None, Query()] = None,
) -> Page[ReservationView]:
    """Reservations in the caller's centres, filtered by centre, service date, service, state."""
    async with db.acquire() as conn:
        return await list_reservations(
            conn, principal, replace(filters, service_id=service_id, status=status), page
        )


@router.post(
    "/reservations/{reservation_id}/cancel",
    response_model=ReservationView,
    summary="Cancel a reservation",
    responses=problems(404, 409),
)
async def cancel(reservation_id: UUID, principal: Till, writes: WritesDep) -> JSONResponse:
    """Cancel a reservation while its service is open; emits `meals.reservation_cancelled.v1`."""
    return await writes.run(
        principal, lambda ctx: cancel_reservation(ctx, reservation_id), status_code=200
    )
