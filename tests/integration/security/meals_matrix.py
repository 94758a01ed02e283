"""The meals service's expectations in the authorisation matrix, and the records it runs on."""

import datetime as dt
from typing import Any

import httpx

from buurtwerk_shared.clock import BRUSSELS
from buurtwerk_shared.web.auth import Role
from tests.integration.security.matrix import (
    OWN,
    OWN_KITCHEN,
    ROLES,
    Rule,
    World,
    any_scope,
    listing,
    own_centre,
    public,
)
from tests.integration.security.shared_routes import SHARED_ROUTES, made

TILL: tuple[Role, ...] = ("kitchen_staff", "centre_coordinator")
READERS: tuple[Role, ...] = ("kitchen_staff", "centre_coordinator", "analyst")
EVERY_ROLE: tuple[Role, ...] = tuple(role for role in ROLES if role != "admin")

TODAY = dt.datetime.now(BRUSSELS).date()


def _service(day: dt.date, start: str) -> dict[str, Any]:
    return {
        "centre_id": OWN,
        "kitchen_id": OWN_KITCHEN,
        "date": day.isoformat(),
        "start_time": start,
        "capacity": 1000,
        "prices": {"standard": 650, "reduced": 350},
        "dishes": [{"name": "Preisoep", "allergens": ["celery"]}],
        "reservations": True,
    }


def _period(_: World) -> dict[str, str]:
    return {"from": (TODAY - dt.timedelta(days=1)).isoformat(), "to": TODAY.isoformat()}


ROUTES: dict[tuple[str, str], Rule] = {
    **SHARED_ROUTES,
    ("GET", "/centres"): any_scope(*EVERY_ROLE),
    ("GET", "/centres/{centre_id}"): any_scope(*EVERY_ROLE),
    ("GET", "/kitchens"): any_scope(*EVERY_ROLE),
    ("GET", "/kitchens/{kitchen_id}"): any_scope(*EVERY_ROLE),
    ("GET", "/tariffs"): any_scope(*EVERY_ROLE),
    ("GET", "/allergens"): any_scope(*EVERY_ROLE),
    ("GET", "/services"): listing(*READERS),
    ("POST", "/services"): own_centre(
        "centre_coordinator", body=lambda _: _service(TODAY + dt.timedelta(days=2), "12:00")
    ),
    ("GET", "/services/{service_id}"): own_centre(*READERS),
    ("PATCH", "/services/{service_id}"): own_centre(
        "centre_coordinator", body=lambda _: {"capacity": 900}
    ),
    ("POST", "/services/{service_id}/cancel"): own_centre(
        "centre_coordinator",
        body=lambda _: {"reason": "Keuken dicht"},
        path={"service_id": "cancellable_service_id"},
    ),
    ("POST", "/services/{service_id}/close"): own_centre(
        *TILL, path={"service_id": "past_service_id"}
    ),
    ("POST", "/services/{service_id}/registrations"): own_centre(
        *TILL, body=lambda _: {"tariff": "standard"}
    ),
    ("GET", "/registrations"): listing(*READERS),
    ("POST", "/registrations/{registration_id}/corrections"): own_centre(
        *TILL, body=lambda _: {"count": 1, "reason": "Nageteld"}
    ),
    ("POST", "/services/{service_id}/reservations"): own_centre(*TILL, body=lambda _: {"seats": 1}),
    ("GET", "/reservations"): listing(*READERS),
    ("POST", "/reservations/{reservation_id}/cancel"): own_centre(*TILL),
    ("GET", "/menus"): public(),
    ("GET", "/kitchen/config.json"): public(),
    ("GET", "/services/{service_id}/menu"): public(),
    ("GET", "/services/{service_id}/menu.html"): public(),
    ("GET", "/services/{service_id}/cash-report"): own_centre(*READERS),
    ("GET", "/services/{service_id}/cash-report.csv"): own_centre(*READERS),
    ("GET", "/cash-report.csv"): listing(*READERS, query=lambda _: {"date": TODAY.isoformat()}),
    ("POST", "/haccp/kitchens/{kitchen_id}/equipment"): own_centre(
        "centre_coordinator", body=lambda _: {"kind": "freezer", "label": "Diepvries 2"}
    ),
    ("GET", "/haccp/kitchens/{kitchen_id}/equipment"): own_centre(*READERS),
    ("PATCH", "/haccp/equipment/{equipment_id}"): own_centre(
        "centre_coordinator", body=lambda _: {"label": "Koelkast 1 (zuivel)"}
    ),
    ("GET", "/haccp/defaults"): any_scope(*READERS),
    ("POST", "/haccp/kitchens/{kitchen_id}/checks"): own_centre(
        "centre_coordinator",
        body=lambda _: {"kind": "freezer", "label": "Diepvries", "schedule": {"type": "on_event"}},
    ),
    ("GET", "/haccp/kitchens/{kitchen_id}/checks"): own_centre(*READERS),
    ("GET", "/haccp/checks/{check_id}"): own_centre(*READERS),
    ("PUT", "/haccp/checks/{check_id}"): own_centre(
        "centre_coordinator",
        body=lambda _: {
            "label": "Koelkast 1: temperatuur",
            "schedule": {"type": "times_of_day", "times": ["08:00", "15:00"]},
        },
    ),
    ("POST", "/haccp/checks/{check_id}/records"): own_centre(*TILL, body=lambda _: {"value": 4}),
    ("GET", "/haccp/records/{record_id}"): own_centre(*READERS),
    ("GET", "/haccp/kitchens/{kitchen_id}/due"): own_centre(*READERS),
    ("GET", "/haccp/kitchens/{kitchen_id}/deviations"): own_centre(*READERS),
    ("POST", "/haccp/records/{record_id}/corrective-actions"): own_centre(
        *TILL, body=lambda _: {"action": "Deur gesloten, na een uur opnieuw gemeten."}
    ),
    ("POST", "/haccp/checks/{check_id}/processes"): own_centre(
        *TILL,
        body=lambda _: {"product": "Kippensoep", "start_value": 70},
        path={"check_id": "cooling_check_id"},
    ),
    ("POST", "/haccp/processes/{process_id}/readings"): own_centre(
        *TILL, body=lambda _: {"value": 40}
    ),
    ("GET", "/haccp/processes/{process_id}"): own_centre(*READERS),
    ("GET", "/haccp/kitchens/{kitchen_id}/processes"): own_centre(*READERS),
    ("POST", "/haccp/kitchens/{kitchen_id}/deliveries"): own_centre(
        *TILL, body=lambda _: {"supplier": "Bakkerij Dams", "product": "Brood", "lot": "B-7"}
    ),
    ("GET", "/haccp/kitchens/{kitchen_id}/deliveries"): own_centre(*READERS),
    ("POST", "/haccp/services/{service_id}/lots"): own_centre(
        *TILL, body=lambda world: {"delivery_ids": [world.ids["delivery_id"]]}
    ),
    ("GET", "/haccp/services/{service_id}/lots"): own_centre(*READERS),
    ("GET", "/haccp/recall"): listing(
        "centre_coordinator", query=lambda _: {"supplier": "Slagerij Geheim", "lot": "L-1"}
    ),
    ("POST", "/haccp/kitchens/{kitchen_id}/refurbishment"): own_centre(
        "centre_coordinator",
        body=lambda _: {"milestone": "Nieuwe dampkap", "status": "planned", "date": "2027-01-15"},
    ),
    ("GET", "/haccp/kitchens/{kitchen_id}/refurbishment"): own_centre(*READERS),
    ("GET", "/haccp/kitchens/{kitchen_id}/export.csv"): own_centre(
        "centre_coordinator", query=_period
    ),
    ("GET", "/haccp/kitchens/{kitchen_id}/export.html"): own_centre(
        "centre_coordinator", query=_period
    ),
}


async def meals_world(client: httpx.AsyncClient) -> World:
    """A day's meal services and a kitchen log of the own centre, made through the API."""
    world = World(ids={"centre_id": OWN, "kitchen_id": OWN_KITCHEN})
    yesterday = TODAY - dt.timedelta(days=1)
    service = await made(client, "POST", "/services", _service(TODAY, "11:30"))
    world.add("service_id", service["service_id"])
    for name, day, start in (
        ("cancellable_service_id", TODAY, "19:00"),
        ("past_service_id", yesterday, "11:30"),
    ):
        world.add(
            name, (await made(client, "POST", "/services", _service(day, start)))["service_id"]
        )
    registration = await made(
        client, "POST", f"/services/{service['service_id']}/registrations", {"tariff": "reduced"}
    )
    world.add("registration_id", registration["registration_id"])
    reservation = await made(
        client, "POST", f"/services/{service['service_id']}/reservations", {"seats": 2}
    )
    world.add("reservation_id", reservation["reservation_id"])

    kitchen = f"/haccp/kitchens/{OWN_KITCHEN}"
    fridge = await made(client, "POST", f"{kitchen}/equipment", {"kind": "fridge", "label": "K1"})
    world.add("equipment_id", fridge["equipment_id"])
    check = await made(
        client,
        "POST",
        f"{kitchen}/checks",
        {
            "kind": "fridge",
            "label": "Koelkast 1",
            "schedule": {"type": "times_of_day", "times": ["08:00"]},
        },
    )
    world.add("check_id", check["check_id"])
    deviation = await made(
        client, "POST", f"/haccp/checks/{check['check_id']}/records", {"value": 11}
    )
    world.add("record_id", deviation["record_id"])
    cooling = await made(
        client,
        "POST",
        f"{kitchen}/checks",
        {"kind": "cooling", "label": "Afkoelen", "schedule": {"type": "on_event"}},
    )
    world.add("cooling_check_id", cooling["check_id"])
    process = await made(
        client,
        "POST",
        f"/haccp/checks/{cooling['check_id']}/processes",
        {"product": "Stoofvlees", "start_value": 65},
    )
    world.add("process_id", process["process_id"])
    delivery = await made(
        client,
        "POST",
        f"{kitchen}/deliveries",
        {"supplier": "Slagerij Geheim", "product": "Gehakt", "lot": "L-1"},
    )
    world.add("delivery_id", delivery["delivery_id"])
    await made(
        client,
        "POST",
        f"/haccp/services/{service['service_id']}/lots",
        {"delivery_ids": [delivery["delivery_id"]]},
    )
    return world
