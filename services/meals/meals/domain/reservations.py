"""Reservations: seats held for a diner (by diner key) or for someone anonymous."""

import datetime as dt
from collections.abc import Mapping
from typing import Any
from uuid import UUID, uuid4

import asyncpg

from buurtwerk_shared import clock
from buurtwerk_shared.contracts.events.meals import ReservationCancelledV1, ReservationMadeV1
from buurtwerk_shared.pseudonyms import Pseudonymizer
from buurtwerk_shared.web.problems import conflict, not_found
from buurtwerk_shared.web.writes import WriteContext
from meals.domain.diner_keys import diner_key
from meals.domain.records import find_service, local, local_or_none, state
from meals.domain.rules import ensure_open
from meals.domain.totals import totals_for
from meals.schemas.reservations import MakeReservation, ReservationView

# The reservation with its service's centre and date and the meals registered against it.
RESERVATION_COLUMNS = """
v.reservation_id, v.service_id, s.centre_id, s.date, v.seats, v.diner_key, v.status,
v.made_at, v.cancelled_at,
(SELECT coalesce(sum(g.current_count), 0) FROM meal_registrations g
 WHERE g.reservation_id = v.reservation_id) AS honoured
"""
_ONE = f"""
SELECT {RESERVATION_COLUMNS}
FROM meal_reservations v JOIN meal_services s USING (service_id)
WHERE v.reservation_id = $1
"""


def reservation_view(row: asyncpg.Record | Mapping[str, Any]) -> ReservationView:
    """The view of a reservation row selected with `RESERVATION_COLUMNS`."""
    return ReservationView(
        reservation_id=row["reservation_id"],
        service_id=row["service_id"],
        centre_id=row["centre_id"],
        date=row["date"],
        seats=row["seats"],
        diner_key=row["diner_key"],
        status=row["status"],
        honoured=row["honoured"],
        made_at=local(row["made_at"]),
        cancelled_at=local_or_none(row["cancelled_at"]),
    )


async def make_reservation(
    ctx: WriteContext, pseudonyms: Pseudonymizer, service_id: UUID, request: MakeReservation
) -> ReservationView:
    """Hold seats at an open service that takes reservations, within its capacity."""
    service = await find_service(ctx.conn, ctx.principal, service_id, for_update=True)
    ensure_open(state(service), clock.local_now())
    if not service["reservations"]:
        raise conflict("this meal service takes no reservations", code="no-reservations")
    totals = await totals_for(ctx.conn, service_id)
    if totals.occupied + request.seats > totals.capacity:
        raise conflict(
            f"only {totals.free_seats} of {totals.capacity} places are free",
            field="body.seats",
            code="over-capacity",
        )
    key = await diner_key(ctx.conn, pseudonyms, request.diner_card)
    reservation_id = uuid4()
    try:
        made_at = await ctx.conn.fetchval(
            """
            INSERT INTO meal_reservations (reservation_id, service_id, seats, diner_key, made_by)
            VALUES ($1, $2, $3, $4, $5)
            RETURNING made_at
            """,
            reservation_id,
            service_id,
            request.seats,
            key,
            ctx.principal.sub,
        )
    except asyncpg.UniqueViolationError:
        raise conflict(
            "this diner already has a reservation for this service",
            field="body.diner_card",
            code="already-reserved",
        ) from None
    await ctx.emit(
        ReservationMadeV1(
            reservation_id=reservation_id,
            service_id=service_id,
            centre_id=service["centre_id"],
            date=service["date"],
            seats=request.seats,
            diner_key=key,
            made_at=made_at,
        )
    )
    await ctx.audit(
        "meal_reservation.make",
        "meal_reservation",
        reservation_id,
        {"service_id": service_id, "seats": request.seats},
    )
    return await _view(ctx, reservation_id)


async def cancel_reservation(ctx: WriteContext, reservation_id: UUID) -> ReservationView:
    """Cancel an active reservation before its service closes; its seats are free again."""
    found = await ctx.conn.fetchrow(
        "SELECT service_id FROM meal_reservations WHERE reservation_id = $1", reservation_id
    )
    if found is None:
        raise not_found(f"reservation {reservation_id}", field="path.reservation_id")
    service = await find_service(ctx.conn, ctx.principal, found["service_id"], for_update=True)
    ensure_open(state(service), clock.local_now())
    cancelled_at: dt.datetime | None = await ctx.conn.fetchval(
        """
        UPDATE meal_reservations
        SET status = 'cancelled', cancelled_at = now(), cancelled_by = $2
        WHERE reservation_id = $1 AND status = 'active'
        RETURNING cancelled_at
        """,
        reservation_id,
        ctx.principal.sub,
    )
    if cancelled_at is None:
        raise conflict("the reservation is already cancelled", code="reservation-cancelled")
    view = await _view(ctx, reservation_id)
    await ctx.emit(
        ReservationCancelledV1(
            reservation_id=reservation_id,
            service_id=view.service_id,
            centre_id=view.centre_id,
            date=view.date,
            seats=view.seats,
            cancelled_at=cancelled_at,
        )
    )
    await ctx.audit(
        "meal_reservation.cancel",
        "meal_reservation",
        reservation_id,
        {"service_id": view.service_id},
    )
    return view


async def _view(ctx: WriteContext, reservation_id: UUID) -> ReservationView:
    row = await ctx.conn.fetchrow(_ONE, reservation_id)
    assert row is not None
    return reservation_view(row)
