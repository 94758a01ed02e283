"""HTTP routes for served meals: register at the till, list, correct."""

from dataclasses import replace
from typing import Annotated
from uuid import UUID

from fastapi import APIRouter, Query
from fastapi.responses import JSONResponse

from buurtwerk_shared.web.pagination import Page, PageQuery
from buurtwerk_shared.web.writes import WritesDep
from meals.api.common import ListFilters, Pool, Pseudonyms, Reader, Till, problems
from meals.domain.listings import list_registrations
from meals.domain.registrations import correct_registration, register_meals
from meals.schemas.registrations import (
    CorrectionView,
    CorrectRegistration,
    RegisterMeals,
    RegistrationView,
)

router = APIRouter(tags=["served meals"], responses=problems(401, 403, 422))


@router.post(
    "/services/{service_id}/registrations",
    status_code=201,
    response_model=RegistrationView,
    summary="Register served meals",
    responses=problems(404, 409),
)
async def register(
    service_id: UUID,
    body: RegisterMeals,
    principal: Till,
    pseudonyms: Pseudonyms,
    writes: WritesDep,
) -> JSONResponse:
    """Register meals served for one tariff; emits `meals.meal_served.v1`.

    Send an `Idempotency-Key` (one per tap at the till) so that a retry never counts a meal
    twice. A diner card number becomes a pseudonymous diner key at once and is kept nowhere.
    Beyond capacity the registration is refused unless `over_capacity_reason` says why. A
    closed service takes late registrations from a coordinator for 7 days; a cancelled one
    takes none.
    """
    return await writes.run(
        principal, lambda ctx: register_meals(ctx, pseudonyms, service_id, body)
    )


@router.get(
    "/registrations",
    response_model=Page[RegistrationView],
    summary="List registrations of served meals",
)
async def registrations(
    principal: Reader,
    filters: ListFilters,
    page: PageQuery,
    db: Pool,
    service_id: Annotated[UUID | None, Query(description="Only this service's.")] = None,
) -> Page[RegistrationView]:
    """Registrations in the caller's centres, filtered by centre, service date or service."""
    async with db.acquire() as conn:
        return await list_registrations(
            conn, principal, replace(filters, service_id=service_id), page
        )


@router.post(
    "/registrations/{registration_id}/corrections",
    status_code=201,
    response_model=CorrectionView,
    summary="Correct a registration",
    responses=problems(404, 409),
)
async def correct(
    registration_id: UUID, body: CorrectRegistration, principal: Till, writes: WritesDep
) -> JSONResponse:
    """Set the number of meals a registration really stands for (0 withdraws it).

    Emits `meals.meal_registration_corrected.v1`, so every count built on the events stays
    true. While the service is open the till may correct; after closing, a coordinator, for 7
    days.
    """
    return await writes.run(principal, lambda ctx: correct_registration(ctx, registration_id, body))
