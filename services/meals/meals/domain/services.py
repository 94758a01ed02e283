"""The life of a meal service: planned, changed while open, then cancelled or closed."""

import datetime as dt
from typing import Any
from uuid import UUID, uuid4

import asyncpg

from buurtwerk_shared import clock
from buurtwerk_shared.contracts.events.meals import (
    ReservationCancelledV1,
    ServiceCancelledV1,
    ServiceChangedV1,
    ServiceClosedV1,
    ServicePlannedV1,
)
from buurtwerk_shared.reference import reference_data
from buurtwerk_shared.web.auth import ensure_centre
from buurtwerk_shared.web.problems import Problem, conflict, unprocessable
from buurtwerk_shared.web.writes import WriteContext
from meals.domain.records import current_view, find_service, service_view, state
from meals.domain.rules import closes_itself_at, ensure_may_close, ensure_open, starts_at
from meals.domain.totals import totals_for
from meals.schemas.services import CancelService, ChangeService, PlanService, ServiceView


def _already_planned() -> Problem:
    return conflict(
        "this kitchen already has a meal service starting at that time",
        field="body.start_time",
        code="already-planned",
    )


async def plan_service(ctx: WriteContext, request: PlanService, close_time: dt.time) -> ServiceView:
    """Plan a meal service in a centre's kitchen and announce it; it closes itself at
    `close_time` after its day (or after today, for a service planned after its day)."""
    ensure_centre(ctx.principal, request.centre_id)
    kitchen = reference_data().kitchen(request.kitchen_id)
    if kitchen is None or kitchen.centre != request.centre_id:
        raise unprocessable(
            f"kitchen '{request.kitchen_id}' is not a kitchen of centre '{request.centre_id}'",
            field="body.kitchen_id",
        )
    service_id = uuid4()
    start = starts_at(request.date, request.start_time)
    closes_at = closes_itself_at(request.date, clock.today(), close_time)
    # A refusal rolls the whole write back, so the failed statement needs no savepoint.
    try:
        await ctx.conn.execute(
            """
            INSERT INTO meal_services (service_id, centre_id, kitchen_id, date, starts_at,
                                       capacity, prices, dishes, reservations, closes_at)
            VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)
            """,
            service_id,
            request.centre_id,
            request.kitchen_id,
            request.date,
            start,
            request.capacity,
            request.prices,
            [dish.model_dump(exclude_none=True) for dish in request.dishes],
            request.reservations,
            closes_at,
        )
    except asyncpg.UniqueViolationError:
        raise _already_planned() from None
    await ctx.emit(
        ServicePlannedV1(
            service_id=service_id,
            centre_id=request.centre_id,
            kitchen_id=request.kitchen_id,
            date=request.date,
            starts_at=start,
            capacity=request.capacity,
            prices=request.prices,
            dishes=[dish.contract() for dish in request.dishes],
            reservations=request.reservations,
        )
    )
    await ctx.audit("meal_service.plan", "meal_service", service_id, {"date": request.date})
    return await current_view(ctx.conn, service_id)


async def change_service(
    ctx: WriteContext, service_id: UUID, request: ChangeService
) -> ServiceView:
    """Change an open service; announces only the fields that really changed."""
    service = await find_service(ctx.conn, ctx.principal, service_id, for_update=True)
    ensure_open(state(service), clock.local_now())
    totals = await totals_for(ctx.conn, service_id)
    changes: dict[str, Any] = {}
    if request.start_time is not None:
        start = starts_at(service["date"], request.start_time)
        if start != service["starts_at"]:
            changes["starts_at"] = start
    if request.capacity is not None and request.capacity != service["capacity"]:
        if request.capacity < totals.occupied:
            raise conflict(
                f"{totals.occupied} places are already taken (meals on site and reservations)",
                field="body.capacity",
                code="capacity-below-occupied",
            )
        changes["capacity"] = request.capacity
    if request.prices is not None and request.prices != service["prices"]:
        await _ensure_sold_tariffs_keep_a_price(ctx, service_id, request.prices)
        changes["prices"] = request.prices
    if request.dishes is not None:
        dishes = [dish.model_dump(exclude_none=True) for dish in request.dishes]
        if dishes != service["dishes"]:
            changes["dishes"] = dishes
    if request.reservations is not None and request.reservations != service["reservations"]:
        if not request.reservations and totals.reserved:
            raise conflict(
                "the service has active reservations; cancel them before turning reservations off",
                field="body.reservations",
                code="reservations-active",
            )
        changes["reservations"] = request.reservations
    if not changes:
        return service_view(service, totals)

    assignments = ", ".join(f"{column} = ${i}" for i, column in enumerate(changes, start=2))
    try:
        await ctx.conn.execute(
            f"UPDATE meal_services SET {assignments}, updated_at = now() WHERE service_id = $1",
            service_id,
            *changes.values(),
        )
    except asyncpg.UniqueViolationError:
        raise _already_planned() from None
    event_fields = dict(changes)
    if request.dishes is not None and "dishes" in changes:
        event_fields["dishes"] = [dish.contract() for dish in request.dishes]
    await ctx.emit(
        ServiceChangedV1(
            service_id=service_id,
            centre_id=service["centre_id"],
            date=service["date"],
            changed_at=clock.local_now(),
            **event_fields,
        )
    )
    await ctx.audit("meal_service.change", "meal_service", service_id, {"changed": sorted(changes)})
    return await current_view(ctx.conn, service_id)


async def _ensure_sold_tariffs_keep_a_price(
    ctx: WriteContext, service_id: UUID, prices: dict[str, int]
) -> None:
    sold = await ctx.conn.fetch(
        "SELECT DISTINCT tariff FROM meal_registrations WHERE service_id = $1", service_id
    )
    dropped = sorted(row["tariff"] for row in sold if row["tariff"] not in prices)
    if dropped:
        raise conflict(
            f"meals were already registered at tariff {', '.join(dropped)}; keep its price",
            field="body.prices",
            code="tariff-in-use",
        )


async def cancel_service(
    ctx: WriteContext, service_id: UUID, request: CancelService
) -> ServiceView:
    """Cancel an open service in which no meal was served; its reservations end with it."""
    service = await find_service(ctx.conn, ctx.principal, service_id, for_update=True)
    ensure_open(state(service), clock.local_now())
    totals = await totals_for(ctx.conn, service_id)
    if totals.served:
        raise conflict(
            f"{totals.served} meals were already served; close the service instead, or "
            "withdraw those registrations first",
            code="meals-served",
        )
    await ctx.conn.execute(
        """
        UPDATE meal_services
        SET status = 'cancelled', cancel_reason = $2, cancelled_at = now(), updated_at = now()
        WHERE service_id = $1
        """,
        service_id,
        request.reason,
    )
    await ctx.emit(
        ServiceCancelledV1(
            service_id=service_id,
            centre_id=service["centre_id"],
            date=service["date"],
            reason=request.reason,
        )
    )
    # Its reservations end with it, each announced like any other cancelled reservation.
    reservations = await ctx.conn.fetch(
        """
        UPDATE meal_reservations
        SET status = 'cancelled', cancelled_at = now(), cancelled_by = $2
        WHERE service_id = $1 AND status = 'active'
        RETURNING reservation_id, seats, cancelled_at
        """,
        service_id,
        ctx.principal.sub,
    )
    for reservation in reservations:
        await ctx.emit(
            ReservationCancelledV1(
                reservation_id=reservation["reservation_id"],
                service_id=service_id,
                centre_id=service["centre_id"],
                date=service["date"],
                seats=reservation["seats"],
                cancelled_at=reservation["cancelled_at"],
            )
        )
    await ctx.audit(
        "meal_service.cancel",
        "meal_service",
        service_id,
        {"reason": request.reason, "reservations_cancelled": len(reservations)},
    )
    return await current_view(ctx.conn, service_id)


async def close_service(ctx: WriteContext, service_id: UUID) -> ServiceView:
    """Close a service that has started; announces its totals and no-shows."""
    service = await find_service(ctx.conn, ctx.principal, service_id, for_update=True)
    ensure_may_close(state(service), clock.local_now())
    await close(ctx, service, closed_at=None)
    return await current_view(ctx.conn, service_id)


async def close(ctx: WriteContext, service: asyncpg.Record, closed_at: dt.datetime | None) -> None:
    """Close a service locked by the caller (at `closed_at`, or now), announce its totals and
    no-shows, and audit it: the same for a close at the till and a service closing itself."""
    service_id = service["service_id"]
    totals = await totals_for(ctx.conn, service_id)
    await ctx.conn.execute(
        "UPDATE meal_services SET status = 'closed', closed_at = coalesce($2, now()), "
        "updated_at = now() WHERE service_id = $1",
        service_id,
        closed_at,
    )
    await ctx.emit(
        ServiceClosedV1(
            service_id=service_id,
            centre_id=service["centre_id"],
            date=service["date"],
            served_total=totals.served,
            reserved_total=totals.reserved,
            no_shows=totals.no_shows,
        )
    )
    details: dict[str, Any] = {
        "served": totals.served,
        "reserved": totals.reserved,
        "no_shows": totals.no_shows,
    }
    if closed_at is not None:
        details["closed_itself_at"] = closed_at
    await ctx.audit("meal_service.close", "meal_service", service_id, details)
