"""Reading meal services and registrations from the database into their views."""

import datetime as dt
from collections.abc import Mapping
from typing import Any
from uuid import UUID

import asyncpg

from buurtwerk_shared.clock import BRUSSELS
from buurtwerk_shared.db.pool import Connection
from buurtwerk_shared.web.auth import Principal, ensure_centre
from buurtwerk_shared.web.problems import not_found
from meals.domain.rules import ServiceState, late_deadline
from meals.domain.totals import Totals, totals_for
from meals.schemas.registrations import RegistrationView
from meals.schemas.services import ServiceTotals, ServiceView

_SERVICE = "SELECT * FROM meal_services WHERE service_id = $1"


def local(instant: dt.datetime) -> dt.datetime:
    """An instant shown with the Brussels offset, as people read it."""
    return instant.astimezone(BRUSSELS)


def local_or_none(instant: dt.datetime | None) -> dt.datetime | None:
    """`local`, passing None through."""
    return None if instant is None else local(instant)


async def find_service(
    conn: Connection, principal: Principal, service_id: UUID, *, for_update: bool = False
) -> asyncpg.Record:
    """A service the caller may see (404 or 403 otherwise); locked for the write if asked.

    The lock serialises the writes on one service, so that capacity checks and totals hold.
    """
    row = await conn.fetchrow(_SERVICE + (" FOR UPDATE" if for_update else ""), service_id)
    if row is None:
        raise not_found(f"meal service {service_id}", field="path.service_id")
    ensure_centre(principal, row["centre_id"])
    return row


def state(service: asyncpg.Record) -> ServiceState:
    """What the rules need of a service row."""
    return ServiceState(
        status=service["status"],
        date=service["date"],
        starts_at=service["starts_at"],
        closed_at=service["closed_at"],
        closes_at=service["closes_at"],
    )


def service_view(service: asyncpg.Record, totals: Totals) -> ServiceView:
    """The view of a service row with its totals."""
    starts = service["starts_at"].astimezone(BRUSSELS)
    closed_at = service["closed_at"]
    return ServiceView(
        service_id=service["service_id"],
        centre_id=service["centre_id"],
        kitchen_id=service["kitchen_id"],
        date=service["date"],
        start_time=starts.time(),
        starts_at=starts,
        capacity=service["capacity"],
        prices=service["prices"],
        dishes=service["dishes"],
        reservations=service["reservations"],
        status=service["status"],
        cancel_reason=service["cancel_reason"],
        cancelled_at=local_or_none(service["cancelled_at"]),
        closed_at=local_or_none(closed_at),
        closes_at=local(service["closes_at"]),
        late_registrations_until=None if closed_at is None else late_deadline(closed_at),
        totals=ServiceTotals(
            served=totals.served,
            on_site=totals.on_site,
            takeaway=totals.takeaway,
            reserved=totals.reserved,
            no_shows=totals.no_shows,
            free_seats=totals.free_seats,
        ),
    )


async def current_view(conn: Connection, service_id: UUID) -> ServiceView:
    """The service as it is now in this transaction."""
    row = await conn.fetchrow(_SERVICE, service_id)
    assert row is not None
    return service_view(row, await totals_for(conn, service_id))


def registration_view(row: asyncpg.Record | Mapping[str, Any]) -> RegistrationView:
    """The view of a registration row joined with its service's centre and date."""
    return RegistrationView(
        registration_id=row["registration_id"],
        service_id=row["service_id"],
        centre_id=row["centre_id"],
        date=row["date"],
        tariff=row["tariff"],
        unit_price=row["unit_price"],
        count=row["count"],
        current_count=row["current_count"],
        takeaway=row["takeaway"],
        diner_key=row["diner_key"],
        reservation_id=row["reservation_id"],
        late=row["late"],
        over_capacity_reason=row["over_capacity_reason"],
        registered_at=local(row["registered_at"]),
        registered_by=row["registered_by"],
        tapped_at=local_or_none(row["tapped_at"]),
    )
