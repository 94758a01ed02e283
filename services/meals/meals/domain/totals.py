"""Meals and seats of a service: what is served, reserved, still held, and what is left.

Capacity counts seats: meals eaten on site, plus reserved seats that nobody has come for yet.
Take-away meals take no seat. A meal registered against a reservation fills a held seat rather
than a new one.
"""

from collections.abc import Sequence
from dataclasses import dataclass
from uuid import UUID

from buurtwerk_shared.db.pool import Connection
from buurtwerk_shared.web.problems import conflict


@dataclass(frozen=True)
class Totals:
    """The counts of one service, after corrections."""

    capacity: int
    on_site: int
    takeaway: int
    reserved: int
    # Seats of active reservations not (yet) matched by a meal registered against them.
    outstanding: int

    @property
    def served(self) -> int:
        """Meals served, on site and take-away."""
        return self.on_site + self.takeaway

    @property
    def occupied(self) -> int:
        """Seats taken: meals on site and held reservations."""
        return self.on_site + self.outstanding

    @property
    def free_seats(self) -> int:
        """Seats left (never negative, even after an override)."""
        return max(0, self.capacity - self.occupied)

    @property
    def no_shows(self) -> int:
        """Reserved seats nobody came for; final once the service is closed."""
        return self.outstanding


@dataclass(frozen=True)
class ReservationUse:
    """A reservation's seats and the meals registered against it so far."""

    seats: int
    used: int


def seats_change(count_delta: int, takeaway: bool, reservation: ReservationUse | None) -> int:
    """How many more seats are occupied when a registration's count grows by `count_delta`.

    Negative when seats are freed. A meal against a reservation fills one of its held seats
    first, so it only takes a new seat beyond the reservation's size.
    """
    on_site = 0 if takeaway else count_delta
    if reservation is None:
        return on_site
    held_before = max(0, reservation.seats - reservation.used)
    held_after = max(0, reservation.seats - reservation.used - count_delta)
    return on_site + held_after - held_before


def ensure_capacity(totals: Totals, extra_seats: int, over_capacity_reason: str | None) -> None:
    """Refuse to go beyond capacity, unless the caller gave a reason to override it."""
    if extra_seats <= 0 or totals.occupied + extra_seats <= totals.capacity:
        return
    if over_capacity_reason is None:
        raise conflict(
            f"{totals.occupied} of {totals.capacity} places are taken; give "
            "over_capacity_reason to register beyond capacity",
            field="body.count",
            code="over-capacity",
        )


_TOTALS = """
SELECT s.service_id, s.capacity,
       coalesce(m.on_site, 0) AS on_site, coalesce(m.takeaway, 0) AS takeaway,
       coalesce(r.reserved, 0) AS reserved, coalesce(r.outstanding, 0) AS outstanding
FROM meal_services s
LEFT JOIN LATERAL (
    SELECT sum(current_count) FILTER (WHERE NOT takeaway) AS on_site,
           sum(current_count) FILTER (WHERE takeaway) AS takeaway
    FROM meal_registrations WHERE service_id = s.service_id
) m ON true
LEFT JOIN LATERAL (
    SELECT sum(v.seats) AS reserved,
           sum(greatest(v.seats - coalesce(u.used, 0), 0)) AS outstanding
    FROM meal_reservations v
    LEFT JOIN LATERAL (
        SELECT sum(current_count) AS used
        FROM meal_registrations WHERE reservation_id = v.reservation_id
    ) u ON true
    WHERE v.service_id = s.service_id AND v.status = 'active'
) r ON true
WHERE s.service_id = ANY($1::uuid[])
"""


async def totals_of(conn: Connection, service_ids: Sequence[UUID]) -> dict[UUID, Totals]:
    """The totals of several services, in one query."""
    rows = await conn.fetch(_TOTALS, list(service_ids))
    return {
        row["service_id"]: Totals(
            capacity=row["capacity"],
            on_site=row["on_site"],
            takeaway=row["takeaway"],
            reserved=row["reserved"],
            outstanding=row["outstanding"],
        )
        for row in rows
    }


async def totals_for(conn: Connection, service_id: UUID) -> Totals:
    """The totals of one service."""
    return (await totals_of(conn, [service_id]))[service_id]


_RESERVATION_USE = """
SELECT v.seats, coalesce(sum(g.current_count), 0) AS used
FROM meal_reservations v
LEFT JOIN meal_registrations g ON g.reservation_id = v.reservation_id
WHERE v.reservation_id = $1
GROUP BY v.seats
"""


async def reservation_use(conn: Connection, reservation_id: UUID) -> ReservationUse:
    """A reservation's seats and the meals registered against it."""
    row = await conn.fetchrow(_RESERVATION_USE, reservation_id)
    assert row is not None
    return ReservationUse(seats=row["seats"], used=row["used"])
