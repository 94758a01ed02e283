"""Seats and capacity: meals on site and held reservations take seats, take-away does not."""

import pytest

from buurtwerk_shared.web.problems import Problem
from meals.domain.totals import ReservationUse, Totals, ensure_capacity, seats_change


def test_totals() -> None:
    totals = Totals(capacity=10, on_site=6, takeaway=3, reserved=5, outstanding=2)
    assert (totals.served, totals.occupied, totals.free_seats, totals.no_shows) == (9, 8, 2, 2)
    overbooked = Totals(capacity=4, on_site=6, takeaway=0, reserved=0, outstanding=0)
    assert overbooked.free_seats == 0


@pytest.mark.parametrize(
    ("delta", "takeaway", "reservation", "change"),
    [
        (3, False, None, 3),
        (3, True, None, 0),
        (-2, False, None, -2),
        # Fills the reservation's held seats first.
        (2, False, ReservationUse(seats=2, used=0), 0),
        (3, False, ReservationUse(seats=2, used=0), 1),
        (1, False, ReservationUse(seats=2, used=2), 1),
        # A take-away meal against a reservation frees the seat it held.
        (1, True, ReservationUse(seats=2, used=0), -1),
        # Withdrawing a meal of a reservation holds its seat again.
        (-1, False, ReservationUse(seats=2, used=2), 0),
        (-1, False, ReservationUse(seats=1, used=3), -1),
    ],
)
def test_seats_change(
    delta: int, takeaway: bool, reservation: ReservationUse | None, change: int
) -> None:
    assert seats_change(delta, takeaway, reservation) == change


def test_capacity_is_refused_without_a_reason_only_when_exceeded() -> None:
    totals = Totals(capacity=5, on_site=3, takeaway=0, reserved=1, outstanding=1)
    ensure_capacity(totals, 1, None)
    ensure_capacity(totals, 0, None)
    ensure_capacity(totals, 2, "extra tafel")
    with pytest.raises(Problem) as refused:
        ensure_capacity(totals, 2, None)
    assert refused.value.status == 409
    assert refused.value.field == "body.count"
    assert "4 of 5 places are taken" in refused.value.detail
    # Already beyond capacity: what takes no extra seat is never refused.
    full = Totals(capacity=2, on_site=3, takeaway=0, reserved=0, outstanding=0)
    ensure_capacity(full, 0, None)
    ensure_capacity(full, -1, None)
