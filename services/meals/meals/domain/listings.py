"""Paginated listings of services, registrations and reservations, within the caller's scope."""

import datetime as dt
from dataclasses import dataclass
from typing import Any
from uuid import UUID

from buurtwerk_shared.db.pool import Connection
from buurtwerk_shared.web.auth import ALL_CENTRES, Principal, ensure_centre
from buurtwerk_shared.web.pagination import Page, PageParams
from meals.domain.records import registration_view, service_view
from meals.domain.reservations import RESERVATION_COLUMNS, reservation_view
from meals.domain.totals import totals_of
from meals.schemas.registrations import RegistrationView
from meals.schemas.reservations import ReservationView
from meals.schemas.services import ServiceView


@dataclass(frozen=True)
class Filters:
    """What a listing is narrowed to; dates are local service dates, both ends included."""

    centre_id: str | None = None
    date_from: dt.date | None = None
    date_to: dt.date | None = None
    service_id: UUID | None = None
    status: str | None = None


class _Where:
    """A WHERE clause built from filters, with its numbered parameters."""

    def __init__(self) -> None:
        self.conditions: list[str] = []
        self.args: list[Any] = []

    def add(self, condition: str, value: Any) -> None:
        self.args.append(value)
        self.conditions.append(condition.format(f"${len(self.args)}"))

    def sql(self) -> str:
        return " AND ".join(self.conditions) if self.conditions else "true"


def _where(principal: Principal, filters: Filters, status_column: str) -> _Where:
    where = _Where()
    if filters.centre_id is not None:
        ensure_centre(principal, filters.centre_id)
        where.add("s.centre_id = {}", filters.centre_id)
    elif ALL_CENTRES not in principal.centres:
        where.add("s.centre_id = ANY({}::text[])", list(principal.centres))
    if filters.date_from is not None:
        where.add("s.date >= {}", filters.date_from)
    if filters.date_to is not None:
        where.add("s.date <= {}", filters.date_to)
    if filters.service_id is not None:
        where.add("s.service_id = {}", filters.service_id)
    if filters.status is not None:
        where.add(f"{status_column} = {{}}", filters.status)
    return where


async def _page(
    conn: Connection, from_: str, where: _Where, columns: str, order: str, page: PageParams
) -> tuple[list[Any], int]:
    total = await conn.fetchval(f"SELECT count(*) FROM {from_} WHERE {where.sql()}", *where.args)
    n = len(where.args)
    rows = await conn.fetch(
        f"SELECT {columns} FROM {from_} WHERE {where.sql()} "
        f"ORDER BY {order} LIMIT ${n + 1} OFFSET ${n + 2}",
        *where.args,
        page.limit,
        page.offset,
    )
    return rows, total


async def list_services(
    conn: Connection, principal: Principal, filters: Filters, page: PageParams
) -> Page[ServiceView]:
    """Meal services, in the order they start."""
    rows, total = await _page(
        conn,
        "meal_services s",
        _where(principal, filters, "s.status"),
        "s.*",
        "s.starts_at, s.service_id",
        page,
    )
    totals = await totals_of(conn, [row["service_id"] for row in rows])
    items = [service_view(row, totals[row["service_id"]]) for row in rows]
    return Page(items=items, total=total, limit=page.limit, offset=page.offset)


def counts_only(principal: Principal) -> bool:
    """An analyst counts meals and diners and follows nobody: the diner key, a pseudonym made for
    counting people, is withheld from them (it would let them follow one person's meals)."""
    return principal.role == "analyst"


async def list_registrations(
    conn: Connection, principal: Principal, filters: Filters, page: PageParams
) -> Page[RegistrationView]:
    """Registrations of served meals, in the order they were registered."""
    rows, total = await _page(
        conn,
        "meal_registrations r JOIN meal_services s USING (service_id)",
        _where(principal, filters, "s.status"),
        "r.*, s.centre_id, s.date",
        "r.registered_at, r.registration_id",
        page,
    )
    items = [registration_view(row) for row in rows]
    if counts_only(principal):
        items = [item.model_copy(update={"diner_key": None}) for item in items]
    return Page(items=items, total=total, limit=page.limit, offset=page.offset)


async def list_reservations(
    conn: Connection, principal: Principal, filters: Filters, page: PageParams
) -> Page[ReservationView]:
    """Reservations, in the order they were made."""
    rows, total = await _page(
        conn,
        "meal_reservations v JOIN meal_services s USING (service_id)",
        _where(principal, filters, "v.status"),
        RESERVATION_COLUMNS,
        "v.made_at, v.reservation_id",
        page,
    )
    items = [reservation_view(row) for row in rows]
    if counts_only(principal):
        items = [item.model_copy(update={"diner_key": None}) for item in items]
    return Page(items=items, total=total, limit=page.limit, offset=page.offset)
