"""The volunteers service's expectations in the authorisation matrix, and the records it runs on."""

import datetime as dt
from typing import Any

import httpx

from buurtwerk_shared.web.auth import Role
from tests.integration.security.matrix import (
    OWN,
    Rule,
    World,
    any_scope,
    city_wide,
    listing,
    own_centre,
    public,
)
from tests.integration.security.shared_routes import SHARED_ROUTES, made
from volunteers.domain.clock import BRUSSELS

COORDINATOR: Role = "volunteer_coordinator"
PLAN_READERS: tuple[Role, ...] = ("volunteer_coordinator", "analyst")

TODAY = dt.datetime.now(BRUSSELS).date()
LAST_WEEK = TODAY - dt.timedelta(days=7)
NEXT_WEEK = TODAY + dt.timedelta(days=7)


def _shift(day: dt.date, start: str, end: str) -> dict[str, Any]:
    return {
        "centre_id": OWN,
        "role": "welcome_desk",
        "date": day.isoformat(),
        "start_time": start,
        "end_time": end,
        "needed": 5,
    }


ROUTES: dict[tuple[str, str], Rule] = {
    **SHARED_ROUTES,
    ("GET", "/coordinator/config.json"): public(),
    ("POST", "/volunteers"): own_centre(
        COORDINATOR,
        body=lambda _: {"given_name": "Nieuwe", "family_name": "Kandidaat", "centre_ids": [OWN]},
    ),
    ("GET", "/volunteers"): listing(COORDINATOR),
    ("POST", "/volunteers/search"): listing(COORDINATOR, body=lambda _: {"name": "Geheime"}),
    ("GET", "/volunteers/{volunteer_id}"): own_centre(COORDINATOR),
    ("PATCH", "/volunteers/{volunteer_id}"): own_centre(
        COORDINATOR, body=lambda _: {"skills": ["koken", "tuinieren"]}
    ),
    ("POST", "/volunteers/{volunteer_id}/status"): own_centre(
        COORDINATOR, body=lambda _: {"status": "intake"}, path={"volunteer_id": "applicant_id"}
    ),
    ("GET", "/volunteers/{volunteer_id}/status-history"): own_centre(COORDINATOR),
    ("POST", "/volunteers/{volunteer_id}/consents"): own_centre(
        COORDINATOR, body=lambda _: {"purpose": "photos", "given": True}
    ),
    ("POST", "/volunteers/{volunteer_id}/qualifications"): own_centre(
        COORDINATOR,
        body=lambda _: {"qualification": "food_hygiene", "obtained_on": LAST_WEEK.isoformat()},
    ),
    ("GET", "/volunteers/{volunteer_id}/export"): own_centre(COORDINATOR),
    ("POST", "/volunteers/{volunteer_id}/erasure"): own_centre(
        COORDINATOR, path={"volunteer_id": "erasable_volunteer_id"}
    ),
    ("GET", "/volunteers/{volunteer_id}/reminder-contact"): own_centre("notifier"),
    ("POST", "/groups"): own_centre(
        COORDINATOR,
        body=lambda _: {"name": "Klas 5A", "kind": "school_class", "centre_ids": [OWN]},
    ),
    ("GET", "/groups"): listing(COORDINATOR),
    ("GET", "/groups/{group_id}"): own_centre(COORDINATOR),
    ("POST", "/groups/{group_id}/members"): own_centre(
        COORDINATOR, body=lambda world: {"volunteer_id": world.ids["applicant_id"]}
    ),
    ("DELETE", "/groups/{group_id}/members/{volunteer_id}"): own_centre(
        COORDINATOR, path={"volunteer_id": "member_id"}
    ),
    ("POST", "/groups/{group_id}/status"): own_centre(
        COORDINATOR, body=lambda _: {"status": "intake"}
    ),
    ("POST", "/shift-templates"): own_centre(
        COORDINATOR,
        body=lambda _: {
            "centre_id": OWN,
            "role": "computer_corner",
            "weekday": 5,
            "start_time": "13:00",
            "end_time": "16:00",
            "needed": 2,
            "valid_from": TODAY.isoformat(),
        },
    ),
    ("GET", "/shift-templates"): listing(*PLAN_READERS),
    ("PATCH", "/shift-templates/{template_id}"): own_centre(
        COORDINATOR, body=lambda _: {"needed": 3}
    ),
    ("POST", "/shifts/generate"): own_centre(
        COORDINATOR,
        body=lambda _: {
            "centre_id": OWN,
            "from": TODAY.isoformat(),
            "until": NEXT_WEEK.isoformat(),
        },
    ),
    ("POST", "/shifts"): own_centre(
        COORDINATOR, body=lambda _: _shift(NEXT_WEEK, "18:00", "20:00")
    ),
    ("GET", "/shifts"): listing(*PLAN_READERS),
    ("GET", "/shifts/understaffed"): listing(*PLAN_READERS),
    ("GET", "/shifts/{shift_id}"): own_centre(COORDINATOR),
    ("PATCH", "/shifts/{shift_id}"): own_centre(
        COORDINATOR, body=lambda _: {"needed": 3}, path={"shift_id": "changeable_shift_id"}
    ),
    ("POST", "/shifts/{shift_id}/cancellation"): own_centre(
        COORDINATOR, path={"shift_id": "changeable_shift_id"}
    ),
    ("POST", "/shifts/{shift_id}/assignments"): own_centre(
        COORDINATOR,
        body=lambda world: {"volunteer_id": world.ids["volunteer_id"]},
        path={"shift_id": "next_week_shift_id"},
    ),
    ("DELETE", "/shifts/{shift_id}/assignments/{volunteer_id}"): own_centre(
        COORDINATOR, path={"shift_id": "next_week_shift_id"}
    ),
    ("POST", "/shifts/{shift_id}/completions"): own_centre(
        COORDINATOR,
        body=lambda world: {"volunteers": [{"volunteer_id": world.ids["volunteer_id"]}]},
        path={"shift_id": "past_shift_id"},
    ),
    ("GET", "/shifts/{shift_id}/replies"): own_centre(COORDINATOR),
    ("POST", "/shifts/{shift_id}/link-revocations"): own_centre(COORDINATOR, body=lambda _: {}),
    ("PUT", "/volunteers/{volunteer_id}/mail-language"): own_centre(
        COORDINATOR, body=lambda _: {"language": "en"}
    ),
    ("PUT", "/shifts/{shift_id}/completions/{volunteer_id}"): own_centre(
        COORDINATOR, body=lambda _: {"hours": 2.5}, path={"shift_id": "past_shift_id"}
    ),
    ("GET", "/milestones"): listing(COORDINATOR),
    ("POST", "/appreciations"): own_centre(
        COORDINATOR,
        body=lambda world: {
            "centre_id": OWN,
            "kind": "thank_you",
            "title": "Bedankt",
            "date": TODAY.isoformat(),
            "volunteer_ids": [world.ids["volunteer_id"]],
        },
    ),
    ("GET", "/appreciations"): listing(COORDINATOR),
    ("POST", "/volunteers/{volunteer_id}/allowances"): own_centre(
        COORDINATOR, body=lambda _: {"date": "2025-05-14", "amount_cents": 1000}
    ),
    ("GET", "/volunteers/{volunteer_id}/allowances/statement"): own_centre(
        COORDINATOR, query=lambda _: {"year": "2025"}
    ),
    ("GET", "/allowance-caps"): any_scope(*PLAN_READERS),
    # City-wide settings: an administrator of one centre may not change them for every centre.
    ("PUT", "/allowance-caps/{year}"): city_wide(
        body=lambda _: {"per_day_cents": 4148, "per_year_cents": 165929}
    ),
    ("GET", "/roles"): any_scope(*PLAN_READERS),
    ("PUT", "/roles/{role}/requirements"): city_wide(
        body=lambda _: {"qualifications": ["food_hygiene"]}
    ),
    ("GET", "/qualifications"): any_scope(*PLAN_READERS),
}


def _on_duty_now() -> tuple[dt.date, str, str]:
    """A shift today around the current local time (as far as today goes)."""
    current = dt.datetime.now(BRUSSELS)
    start = max(current - dt.timedelta(hours=1), current.replace(hour=0, minute=0, second=0))
    end = min(current + dt.timedelta(hours=1), current.replace(hour=23, minute=59, second=59))
    return current.date(), start.strftime("%H:%M:%S"), end.strftime("%H:%M:%S")


async def _volunteer(client: httpx.AsyncClient, world: World, name: str, **extra: Any) -> str:
    body = {
        "given_name": f"Geheime{name}",
        "family_name": "Vrijwilliger",
        "email": f"{name.lower()}@geheim.example.org",
        "phone": f"+32 470 {len(world.ids):02d} 00 00",
        "centre_ids": [OWN],
        **extra,
    }
    created = await made(client, "POST", "/volunteers", body)
    world.secrets |= {body["given_name"], body["email"], body["phone"]}
    volunteer_id: str = created["volunteer_id"]
    return volunteer_id


async def volunteers_world(client: httpx.AsyncClient) -> World:
    """Volunteers of the own centre (one on duty now, who consented to SMS reminders), a group,
    a weekly shift, shifts last week, now and next week, and a city-wide thank-you, made through
    the API."""
    world = World(ids={"role": "kitchen", "year": "2025"})
    volunteer_id = await _volunteer(
        client, world, "Actief", consents=[{"purpose": "reminders_sms", "given": True}]
    )
    world.add("volunteer_id", volunteer_id)
    for status in ("intake", "onboarding", "active"):
        await made(client, "POST", f"/volunteers/{volunteer_id}/status", {"status": status})
    world.add("applicant_id", await _volunteer(client, world, "Kandidaat"))
    world.add("erasable_volunteer_id", await _volunteer(client, world, "Vergeten"))

    group = await made(
        client,
        "POST",
        "/groups",
        {"name": "Geheime Buren", "kind": "neighbourhood_group", "centre_ids": [OWN]},
    )
    world.add("group_id", group["group_id"])
    world.secrets.add("Geheime Buren")
    member = await _volunteer(client, world, "Lid", group_ids=[group["group_id"]])
    world.add("member_id", member)

    template = await made(
        client,
        "POST",
        "/shift-templates",
        {
            "centre_id": OWN,
            "role": "welcome_desk",
            "weekday": 2,
            "start_time": "09:00",
            "end_time": "12:00",
            "needed": 2,
            "valid_from": TODAY.isoformat(),
        },
    )
    world.add("template_id", template["template_id"])
    now_shift = await made(client, "POST", "/shifts", _shift(*_on_duty_now()))
    world.add("shift_id", now_shift["shift_id"])
    past = await made(client, "POST", "/shifts", _shift(LAST_WEEK, "09:00", "12:00"))
    world.add("past_shift_id", past["shift_id"])
    upcoming = await made(client, "POST", "/shifts", _shift(NEXT_WEEK, "09:00", "12:00"))
    world.add("next_week_shift_id", upcoming["shift_id"])
    changeable = await made(client, "POST", "/shifts", _shift(NEXT_WEEK, "14:00", "16:00"))
    world.add("changeable_shift_id", changeable["shift_id"])
    for shift in (now_shift, past, upcoming):
        await made(
            client,
            "POST",
            f"/shifts/{shift['shift_id']}/assignments",
            {"volunteer_id": volunteer_id},
        )
    await made(
        client,
        "POST",
        f"/shifts/{past['shift_id']}/completions",
        {"volunteers": [{"volunteer_id": volunteer_id}]},
    )
    # A city-wide moment: every centre sees it, but only its own centres' volunteers in it.
    await made(
        client,
        "POST",
        "/appreciations",
        {
            "centre_id": None,
            "kind": "event",
            "title": "Nieuwjaarsreceptie",
            "date": TODAY.isoformat(),
            "volunteer_ids": [volunteer_id],
        },
    )
    return world
