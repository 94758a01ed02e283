"""Demo meal services: weekday lunches in the two kitchens, with their diners.

Past services took reservations, registered their meals at the till (regular diners with their
card, walk-ins anonymously, some take-away), had a mistake or two corrected, and were closed;
one was cancelled. Today's and the coming services are planned, with a few reservations.
"""

import datetime as dt
import random
from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import Any

from deploy.local.demo.api import ServiceApi, together
from deploy.local.demo.days import DemoCalendar
from deploy.local.demo.figures import Figures
from deploy.local.demo.people import diner_card
from meals.schemas.registrations import CorrectionView, CorrectRegistration, RegistrationView
from meals.schemas.reservations import ReservationView
from meals.schemas.services import CancelService, MenuDish, PlanService, ServiceView

LUNCH = dt.time(12, 0)
# Euro cents; volunteers who helped in the kitchen eat for free.
PRICES = {"standard": 750, "reduced": 350, "child": 300, "volunteer": 0}
# Of ten regular diners with a card, six pay the reduced tariff, three the standard, one helps.
CARD_TARIFFS = ("reduced",) * 6 + ("standard",) * 3 + ("volunteer",)


@dataclass(frozen=True)
class Kitchen:
    """A centre's kitchen and its restaurant."""

    centre_id: str
    kitchen_id: str
    card_code: str
    capacity: int
    regulars: int
    menu_offset: int
    # A mistake at the till is corrected on the days whose ordinal ends in this digit.
    mistake_digit: int


KITCHENS = (
    Kitchen("sint-maartensdal", "sint-maartensdal-keuken", "SMD", 45, 32, 0, 3),
    Kitchen("mannenstraat", "mannenstraat-keuken", "MAN", 40, 28, 5, 7),
)

# (Dutch name, English name, EU-14 allergens)
SOUPS = (
    ("Tomatensoep met balletjes", "Tomato soup with meatballs", ("celery", "gluten", "eggs")),
    ("Erwtensoep", "Pea soup", ("celery",)),
    ("Pompoensoep", "Pumpkin soup", ("celery", "milk")),
    ("Preisoep", "Leek soup", ("celery", "milk")),
    ("Kervelsoep", "Chervil soup", ("celery", "milk")),
    ("Wortelsoep met koriander", "Carrot and coriander soup", ("celery",)),
    ("Bloemkoolsoep", "Cauliflower soup", ("celery", "milk")),
    ("Linzensoep", "Lentil soup", ("celery",)),
)
MAINS = (
    ("Stoofvlees met frietjes", "Flemish beef stew with fries", ("gluten", "mustard", "celery")),
    ("Vol-au-vent met kroketjes", "Vol-au-vent with croquettes", ("gluten", "eggs", "milk")),
    (
        "Balletjes in tomatensaus met puree",
        "Meatballs in tomato sauce with mash",
        ("gluten", "eggs", "milk", "celery"),
    ),
    ("Stoemp met worst", "Stoemp with sausage", ("milk", "mustard")),
    (
        "Witloof met hesp en kaassaus",
        "Chicory with ham and cheese sauce",
        ("gluten", "milk"),
    ),
    (
        "Vispannetje met puree",
        "Fish pot with mash",
        ("fish", "crustaceans", "milk", "celery", "gluten"),
    ),
    ("Kip met appelmoes en kroketten", "Chicken, apple sauce and croquettes", ("gluten", "eggs")),
    ("Spaghetti bolognaise", "Spaghetti bolognese", ("gluten", "celery", "milk")),
    ("Gentse waterzooi van kip", "Ghent chicken waterzooi", ("celery", "milk", "eggs")),
    ("Hutsepot", "Flemish hotchpotch", ("celery",)),
    ("Vegetarische lasagne", "Vegetarian lasagne", ("gluten", "milk", "eggs", "celery")),
    ("Konijn met pruimen", "Rabbit with prunes", ("gluten", "celery", "sulphites")),
)
DESSERTS = (
    ("Chocomousse", "Chocolate mousse", ("eggs", "milk", "soybeans")),
    ("Rijstpap", "Rice pudding", ("milk",)),
    ("Appeltaart", "Apple pie", ("gluten", "eggs", "milk")),
    ("Vers fruit", "Fresh fruit", ()),
    ("Yoghurt met honing", "Yoghurt with honey", ("milk",)),
    ("Speculoospudding", "Speculoos pudding", ("gluten", "milk", "soybeans")),
)


@dataclass(frozen=True)
class Correction:
    """The right count of a registration, and why."""

    count: int
    reason: str


@dataclass(frozen=True)
class Registration:
    """Meals registered at the till in one tap."""

    tariff: str
    count: int = 1
    takeaway: bool = False
    card: str | None = None
    correction: Correction | None = None

    @property
    def served(self) -> int:
        """Meals it stands for after its correction."""
        return self.correction.count if self.correction else self.count


@dataclass(frozen=True)
class ServicePlan:
    """A meal service and what happens to it."""

    kitchen: Kitchen
    date: dt.date
    dishes: tuple[MenuDish, ...]
    reservation_cards: tuple[str, ...] = ()
    registrations: tuple[Registration, ...] = ()
    cancel_reason: str | None = None
    close: bool = False

    @property
    def key(self) -> str:
        """The idempotency-key prefix of everything done to this service."""
        return f"demo:meals:{self.kitchen.centre_id}:{self.date.isoformat()}"


def _menu(kitchen: Kitchen, day: dt.date) -> tuple[MenuDish, ...]:
    n = day.toordinal() + kitchen.menu_offset
    return tuple(
        MenuDish(name=nl, name_en=en, allergens=list(allergens))
        for nl, en, allergens in (
            SOUPS[n % len(SOUPS)],
            MAINS[(3 * n) % len(MAINS)],
            DESSERTS[n % len(DESSERTS)],
        )
    )


def _regulars(kitchen: Kitchen) -> list[tuple[str, str]]:
    """The card numbers of the kitchen's regular diners, with the tariff each pays."""
    return [
        (diner_card(kitchen.card_code, i + 1), CARD_TARIFFS[i % len(CARD_TARIFFS)])
        for i in range(kitchen.regulars)
    ]


def _day_registrations(kitchen: Kitchen, rng: random.Random) -> list[Registration]:
    """Who came: about two thirds of the regulars, and some walk-ins, children and take-away."""
    registrations = [
        Registration(tariff, card=card)
        for card, tariff in _regulars(kitchen)
        if rng.random() < 0.65
    ]
    registrations.append(Registration("standard", rng.randint(2, 6)))
    children = rng.randint(0, 3)
    if children:
        registrations.append(Registration("child", children))
    registrations.append(Registration("reduced", rng.randint(1, 4), takeaway=True))
    return registrations


def _with_correction(registrations: list[Registration], kitchen: Kitchen) -> list[Registration]:
    if kitchen.card_code == "SMD":
        index = next(
            i for i, r in enumerate(registrations) if r.tariff == "standard" and not r.card
        )
        wrong = registrations[index]
        fix = Correction(
            wrong.count - 1, "Eén maaltijd te veel aangeslagen / one meal too many rung up"
        )
    else:
        index = next(i for i, r in enumerate(registrations) if r.takeaway)
        wrong = registrations[index]
        fix = Correction(0, "Dubbel aangeslagen aan de kassa / registered twice at the till")
    return [*registrations[:index], replace(wrong, correction=fix), *registrations[index + 1 :]]


def _is_maintenance_day(kitchen: Kitchen, day: dt.date) -> bool:
    # Every fourth Monday the Mannenstraat kitchen closes for maintenance.
    return (
        kitchen.centre_id == "mannenstraat"
        and day.isoweekday() == 1
        and day.toordinal() // 7 % 4 == 0
    )


def plan_service(calendar: DemoCalendar, kitchen: Kitchen, day: dt.date) -> ServicePlan:
    """A kitchen's service on a day and what happens to it.

    It depends on the day alone (and on whether the day is past), so a later run plans the same
    service the same way and only takes the steps the days since have brought.
    """
    menu = _menu(kitchen, day)
    if _is_maintenance_day(kitchen, day):
        reason = "Keuken gesloten voor onderhoud / kitchen closed for maintenance"
        return ServicePlan(kitchen, day, menu, cancel_reason=reason)
    rng = random.Random(f"demo-meals:{kitchen.kitchen_id}:{day.isoformat()}")
    # Two regulars reserve; whoever of them does not come is a no-show.
    reserved = tuple(rng.sample([card for card, _ in _regulars(kitchen)], 2))
    if not calendar.is_past(day):
        return ServicePlan(kitchen, day, menu, reservation_cards=reserved)
    registrations = _day_registrations(kitchen, rng)
    if day.toordinal() % 10 == kitchen.mistake_digit:
        registrations = _with_correction(registrations, kitchen)
    return ServicePlan(
        kitchen,
        day,
        menu,
        reservation_cards=reserved,
        registrations=tuple(registrations),
        close=True,
    )


def plan_meals(calendar: DemoCalendar) -> list[ServicePlan]:
    """Every demo meal service: lunch on the weekdays the centres are open, and today's lunch
    even on a weekend or a holiday, so that the kitchen tablet always has a service to try."""
    days = calendar.open_days()
    if calendar.today not in days:
        days = sorted([*days, calendar.today])
    return [plan_service(calendar, kitchen, day) for kitchen in KITCHENS for day in days]


def meals_figures(plans: Sequence[ServicePlan]) -> Figures:
    """Meals served per month after corrections (`meals.served`)."""
    figures = Figures()
    for plan in plans:
        for registration in plan.registrations:
            figures.add("meals.served", plan.date, registration.served)
    return figures


def _registration_body(registration: Registration) -> dict[str, Any]:
    # A plain dict: the service's model holds the card as a secret, which it would dump masked.
    body: dict[str, Any] = {
        "tariff": registration.tariff,
        "count": registration.count,
        "takeaway": registration.takeaway,
    }
    if registration.card is not None:
        body["diner_card"] = registration.card
    return body


async def _load_service(api: ServiceApi, plan: ServicePlan) -> None:
    service = await api.write(
        "centre_coordinator",
        "POST",
        "/services",
        f"{plan.key}:plan",
        ServiceView,
        PlanService(
            centre_id=plan.kitchen.centre_id,
            kitchen_id=plan.kitchen.kitchen_id,
            date=plan.date,
            start_time=LUNCH,
            capacity=plan.kitchen.capacity,
            prices=PRICES,
            dishes=list(plan.dishes),
            reservations=True,
        ),
    )
    path = f"/services/{service.service_id}"
    if plan.cancel_reason is not None:
        await api.write(
            "centre_coordinator",
            "POST",
            f"{path}/cancel",
            f"{plan.key}:cancel",
            ServiceView,
            CancelService(reason=plan.cancel_reason),
        )
        return
    for card in plan.reservation_cards:
        await api.write(
            "kitchen_staff",
            "POST",
            f"{path}/reservations",
            f"{plan.key}:reservation:{card}",
            ReservationView,
            {"seats": 1, "diner_card": card},
        )
    for number, registration in enumerate(plan.registrations, start=1):
        registered = await api.write(
            "kitchen_staff",
            "POST",
            f"{path}/registrations",
            f"{plan.key}:registration:{number}",
            RegistrationView,
            _registration_body(registration),
        )
        if registration.correction is not None:
            await api.write(
                "kitchen_staff",
                "POST",
                f"/registrations/{registered.registration_id}/corrections",
                f"{plan.key}:registration:{number}:correction",
                CorrectionView,
                CorrectRegistration(
                    count=registration.correction.count, reason=registration.correction.reason
                ),
            )
    if plan.close:
        await api.write(
            "centre_coordinator", "POST", f"{path}/close", f"{plan.key}:close", ServiceView
        )


async def load_meals(api: ServiceApi, plans: Sequence[ServicePlan]) -> None:
    """Plan, fill and close the services: each one's steps in order, the services side by side."""
    await together(_load_service(api, plan) for plan in plans)
