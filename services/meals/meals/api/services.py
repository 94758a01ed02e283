"""HTTP routes for meal services and served meals."""

from typing import Annotated
from uuid import UUID

from fastapi import APIRouter
from fastapi.responses import JSONResponse

from buurtwerk_shared.web.auth import Principal, require_role
from buurtwerk_shared.web.writes import WritesDep
from meals.api.schemas import PlanService, RegisterMeals, RegistrationView, ServiceView
from meals.domain.services import plan_service, register_meals

router = APIRouter(prefix="/services", tags=["meal services"])

Planner = Annotated[Principal, require_role("centre_coordinator")]
Till = Annotated[Principal, require_role("kitchen_staff", "centre_coordinator")]


@router.post("", status_code=201, response_model=ServiceView, summary="Plan a meal service")
async def plan(body: PlanService, principal: Planner, writes: WritesDep) -> JSONResponse:
    """Plan a meal service; emits `meals.service_planned.v1`."""
    return await writes.run(principal, lambda ctx: plan_service(ctx, body))


@router.post(
    "/{service_id}/registrations",
    status_code=201,
    response_model=RegistrationView,
    summary="Register served meals",
)
async def register(
    service_id: UUID, body: RegisterMeals, principal: Till, writes: WritesDep
) -> JSONResponse:
    """Register meals served for one tariff; emits `meals.meal_served.v1`.

    Send an `Idempotency-Key` so that a retry never counts a meal twice.
    """
    return await writes.run(principal, lambda ctx: register_meals(ctx, service_id, body))
