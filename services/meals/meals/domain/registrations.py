"""Meals served at the till, late registrations by a coordinator, and corrections."""

from typing import Any
from uuid import UUID, uuid4

import asyncpg

from buurtwerk_shared import clock
from buurtwerk_shared.contracts.events.meals import MealRegistrationCorrectedV1, MealServedV1
from buurtwerk_shared.pseudonyms import Pseudonymizer
from buurtwerk_shared.web.problems import conflict, not_found, unprocessable
from buurtwerk_shared.web.writes import WriteContext
from meals.domain.diner_keys import diner_key
from meals.domain.records import find_service, local, local_or_none, registration_view, state
from meals.domain.rules import meals_may_be_added
from meals.domain.totals import (
    ReservationUse,
    ensure_capacity,
    reservation_use,
    seats_change,
    totals_for,
)
from meals.schemas.registrations import (
    CorrectionView,
    CorrectRegistration,
    RegisterMeals,
    RegistrationView,
)

_INSERT = """
INSERT INTO meal_registrations
    (registration_id, service_id, tariff, unit_price, count, current_count, takeaway,
     diner_key, reservation_id, late, over_capacity_reason, registered_by, tapped_at)
VALUES ($1, $2, $3, $4, $5, $5, $6, $7, $8, $9, $10, $11, $12)
RETURNING *
"""
_RESERVATION = """
SELECT reservation_id, diner_key FROM meal_reservations
WHERE service_id = $1 AND status = 'active' AND (reservation_id = $2 OR diner_key = $3)
ORDER BY reservation_id = $2 DESC
LIMIT 1
"""


async def register_meals(
    ctx: WriteContext, pseudonyms: Pseudonymizer, service_id: UUID, request: RegisterMeals
) -> RegistrationView:
    """Register meals served for one tariff; refuses beyond capacity unless a reason is given."""
    service = await find_service(ctx.conn, ctx.principal, service_id, for_update=True)
    late = meals_may_be_added(state(service), ctx.principal, clock.local_now())
    unit_price = service["prices"].get(request.tariff)
    if unit_price is None:
        raise unprocessable(
            f"tariff '{request.tariff}' has no price in this service", field="body.tariff"
        )
    key = await diner_key(ctx.conn, pseudonyms, request.diner_card)
    reservation_id = await _reservation_honoured(ctx, service_id, request, key)
    use = None if reservation_id is None else await reservation_use(ctx.conn, reservation_id)
    extra = seats_change(request.count, request.takeaway, use)
    ensure_capacity(await totals_for(ctx.conn, service_id), extra, request.over_capacity_reason)

    registration_id = uuid4()
    row = await ctx.conn.fetchrow(
        _INSERT,
        registration_id,
        service_id,
        request.tariff,
        unit_price,
        request.count,
        request.takeaway,
        key,
        reservation_id,
        late,
        request.over_capacity_reason,
        ctx.principal.sub,
        request.tapped_at,
    )
    assert row is not None
    await ctx.emit(
        MealServedV1(
            registration_id=registration_id,
            service_id=service_id,
            centre_id=service["centre_id"],
            date=service["date"],
            tariff=request.tariff,
            count=request.count,
            takeaway=request.takeaway,
            diner_key=key,
        )
    )
    await ctx.audit(
        "meal.register_late" if late else "meal.register",
        "meal_registration",
        registration_id,
        {
            "service_id": service_id,
            "count": request.count,
            "reservation_id": reservation_id,
            "over_capacity_reason": request.over_capacity_reason,
            "tapped_at": request.tapped_at,
        },
    )
    return registration_view(_with_service(row, service))


async def _reservation_honoured(
    ctx: WriteContext, service_id: UUID, request: RegisterMeals, key: str | None
) -> UUID | None:
    """The reservation these meals are for: the one named, or the card holder's own."""
    if request.reservation_id is None and key is None:
        return None
    row = await ctx.conn.fetchrow(_RESERVATION, service_id, request.reservation_id, key)
    if request.reservation_id is None:
        return None if row is None else UUID(str(row["reservation_id"]))
    if row is None or row["reservation_id"] != request.reservation_id:
        raise unprocessable(
            f"reservation {request.reservation_id} is not an active reservation of this service",
            field="body.reservation_id",
        )
    if key is not None and row["diner_key"] not in (None, key):
        raise unprocessable(
            "this reservation was made with another diner card", field="body.reservation_id"
        )
    return request.reservation_id


def _with_service(row: asyncpg.Record, service: asyncpg.Record) -> dict[str, Any]:
    return {**dict(row), "centre_id": service["centre_id"], "date": service["date"]}


_REGISTRATION = """
SELECT * FROM meal_registrations WHERE registration_id = $1
"""


async def correct_registration(
    ctx: WriteContext, registration_id: UUID, request: CorrectRegistration
) -> CorrectionView:
    """Set a registration's count to what was really served (0 withdraws it)."""
    found = await ctx.conn.fetchrow(_REGISTRATION, registration_id)
    if found is None:
        raise not_found(f"registration {registration_id}", field="path.registration_id")
    service = await find_service(ctx.conn, ctx.principal, found["service_id"], for_update=True)
    # Read again under the service's lock: a concurrent correction may have just committed.
    registration = await ctx.conn.fetchrow(_REGISTRATION, registration_id)
    assert registration is not None
    late = meals_may_be_added(state(service), ctx.principal, clock.local_now())
    previous = registration["current_count"]
    if request.count == previous:
        raise conflict(
            f"the registration already counts {previous} meals",
            field="body.count",
            code="no-change",
        )
    use: ReservationUse | None = None
    if registration["reservation_id"] is not None:
        use = await reservation_use(ctx.conn, registration["reservation_id"])
    extra = seats_change(request.count - previous, registration["takeaway"], use)
    totals = await totals_for(ctx.conn, service["service_id"])
    ensure_capacity(totals, extra, request.over_capacity_reason)

    correction_id = uuid4()
    corrected_at = await ctx.conn.fetchval(
        """
        WITH corrected AS (
            UPDATE meal_registrations SET current_count = $3 WHERE registration_id = $2
        )
        INSERT INTO meal_registration_corrections
            (correction_id, registration_id, previous_count, count, reason, corrected_at,
             corrected_by, tapped_at)
        VALUES ($1, $2, $4, $3, $5, now(), $6, $7)
        RETURNING corrected_at
        """,
        correction_id,
        registration_id,
        request.count,
        previous,
        request.reason,
        ctx.principal.sub,
        request.tapped_at,
    )
    await ctx.emit(
        MealRegistrationCorrectedV1(
            registration_id=registration_id,
            service_id=service["service_id"],
            centre_id=service["centre_id"],
            date=service["date"],
            count=request.count,
            corrected_at=corrected_at,
            reason=request.reason,
        )
    )
    await ctx.audit(
        "meal.correct_late" if late else "meal.correct",
        "meal_registration",
        registration_id,
        {
            "correction_id": correction_id,
            "previous_count": previous,
            "count": request.count,
            "reason": request.reason,
            "over_capacity_reason": request.over_capacity_reason,
            "tapped_at": request.tapped_at,
        },
    )
    return CorrectionView(
        correction_id=correction_id,
        registration_id=registration_id,
        service_id=service["service_id"],
        previous_count=previous,
        count=request.count,
        reason=request.reason,
        late=late,
        corrected_at=local(corrected_at),
        corrected_by=ctx.principal.sub,
        tapped_at=local_or_none(request.tapped_at),
    )
