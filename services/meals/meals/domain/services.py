"""Planning meal services and registering the meals served in them."""

import datetime as dt
from uuid import UUID, uuid4
from zoneinfo import ZoneInfo

import asyncpg

from buurtwerk_shared.contracts.events.meals import MealServedV1, ServicePlannedV1
from buurtwerk_shared.reference import reference_data
from buurtwerk_shared.web.auth import ensure_centre
from buurtwerk_shared.web.problems import conflict, not_found, unprocessable
from buurtwerk_shared.web.writes import WriteContext
from meals.api.schemas import PlanService, RegisterMeals, RegistrationView, ServiceView

BRUSSELS = ZoneInfo("Europe/Brussels")


def _view(row: asyncpg.Record) -> ServiceView:
    return ServiceView.model_validate(dict(row))


async def plan_service(ctx: WriteContext, request: PlanService) -> ServiceView:
    """Plan a meal service in a centre's kitchen and announce it."""
    ensure_centre(ctx.principal, request.centre_id)
    kitchen = reference_data().kitchen(request.kitchen_id)
    if kitchen is None or kitchen.centre != request.centre_id:
        raise unprocessable(
            f"kitchen '{request.kitchen_id}' is not a kitchen of centre '{request.centre_id}'",
            field="body.kitchen_id",
        )
    starts_at = dt.datetime.combine(request.date, request.start_time, tzinfo=BRUSSELS)
    service_id = uuid4()
    row = await ctx.conn.fetchrow(
        """
        INSERT INTO meal_services
            (service_id, centre_id, kitchen_id, date, starts_at, capacity, prices, dishes)
        VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
        RETURNING *
        """,
        service_id,
        request.centre_id,
        request.kitchen_id,
        request.date,
        starts_at,
        request.capacity,
        request.prices,
        [dish.model_dump() for dish in request.dishes],
    )
    await ctx.emit(
        ServicePlannedV1(
            service_id=service_id,
            centre_id=request.centre_id,
            kitchen_id=request.kitchen_id,
            date=request.date,
            starts_at=starts_at,
            capacity=request.capacity,
            prices=request.prices,
            dishes=request.dishes,
        )
    )
    await ctx.audit("meal_service.plan", "meal_service", service_id, {"date": request.date})
    assert row is not None
    return _view(row)


async def register_meals(
    ctx: WriteContext, service_id: UUID, request: RegisterMeals
) -> RegistrationView:
    """Register meals served at the till; refuses beyond capacity unless a reason is given."""
    service = await ctx.conn.fetchrow(
        "SELECT * FROM meal_services WHERE service_id = $1 FOR UPDATE", service_id
    )
    if service is None:
        raise not_found(f"meal service {service_id}", field="path.service_id")
    ensure_centre(ctx.principal, service["centre_id"])
    if service["status"] != "planned":
        raise conflict(f"the meal service is {service['status']}", code="service-not-open")
    if request.tariff not in service["prices"]:
        raise unprocessable(
            f"tariff '{request.tariff}' has no price in this service", field="body.tariff"
        )
    served = await ctx.conn.fetchval(
        "SELECT coalesce(sum(count), 0) FROM meal_registrations "
        "WHERE service_id = $1 AND NOT takeaway",
        service_id,
    )
    if (
        not request.takeaway
        and served + request.count > service["capacity"]
        and request.over_capacity_reason is None
    ):
        raise conflict(
            f"{served} of {service['capacity']} places are taken; give over_capacity_reason "
            "to register beyond capacity",
            field="body.count",
            code="over-capacity",
        )
    registration_id = uuid4()
    await ctx.conn.execute(
        """
        INSERT INTO meal_registrations
            (registration_id, service_id, tariff, count, takeaway, registered_by)
        VALUES ($1, $2, $3, $4, $5, $6)
        """,
        registration_id,
        service_id,
        request.tariff,
        request.count,
        request.takeaway,
        ctx.principal.sub,
    )
    event = MealServedV1(
        registration_id=registration_id,
        service_id=service_id,
        centre_id=service["centre_id"],
        date=service["date"],
        tariff=request.tariff,
        count=request.count,
        takeaway=request.takeaway,
    )
    await ctx.emit(event)
    await ctx.audit(
        "meal.register",
        "meal_registration",
        registration_id,
        {"service_id": service_id, "over_capacity_reason": request.over_capacity_reason},
    )
    return RegistrationView.model_validate(event.model_dump())
