"""The courses service's expectations in the authorisation matrix, and the records it runs on."""

import datetime as dt
from typing import Any

import httpx

from buurtwerk_shared.web.auth import Role
from courses.domain.clock import BRUSSELS
from tests.integration.security.matrix import (
    OWN,
    Rule,
    World,
    any_scope,
    listing,
    own_centre,
    public,
)
from tests.integration.security.shared_routes import SHARED_ROUTES, made

MANAGER: Role = "course_coordinator"
READERS: tuple[Role, ...] = ("course_coordinator", "centre_coordinator", "analyst")
TALLY_KEEPERS: tuple[Role, ...] = ("course_coordinator", "centre_coordinator")

TODAY = dt.datetime.now(BRUSSELS).date()
LAST_WEEK = TODAY - dt.timedelta(days=7)
NEXT_WEEK = TODAY + dt.timedelta(days=7)


def _activity(**fields: Any) -> dict[str, Any]:
    return {
        "centre_id": OWN,
        "kind": "computer_course",
        "title": "Digitaal basis",
        "partner": "link-in-de-kabel",
        "target_groups": ["seniors"],
        "mode": "enrolment",
        "capacity": 100,
        **fields,
    }


def _participant(name: str, **fields: Any) -> dict[str, Any]:
    return {
        "centre_id": OWN,
        "given_name": f"Geheime{name}",
        "family_name": "Deelnemer",
        "phone": "0470 11 22 33",
        "email": f"{name.lower()}@geheim.example.org",
        "age_band": "26-64",
        **fields,
    }


def _session(day: dt.date) -> dict[str, Any]:
    return {"date": day.isoformat(), "start_time": "13:30", "end_time": "15:30"}


ROUTES: dict[tuple[str, str], Rule] = {
    **SHARED_ROUTES,
    ("GET", "/partners"): any_scope(*READERS),
    ("POST", "/activities"): own_centre(MANAGER, body=lambda _: _activity()),
    ("GET", "/activities"): listing(*READERS),
    ("GET", "/activities/{activity_id}"): own_centre(*READERS),
    ("PATCH", "/activities/{activity_id}"): own_centre(
        MANAGER,
        body=lambda _: {"title": "Digitaal basis (groep 2)"},
        path={"activity_id": "draft_id"},
    ),
    ("POST", "/activities/{activity_id}/publish"): own_centre(
        MANAGER, path={"activity_id": "draft_id"}
    ),
    ("POST", "/activities/{activity_id}/sessions"): own_centre(
        MANAGER, body=lambda _: _session(NEXT_WEEK + dt.timedelta(days=1))
    ),
    ("POST", "/activities/{activity_id}/enrolments"): own_centre(
        MANAGER, body=lambda world: {"participant_id": world.ids["newcomer_id"]}
    ),
    ("GET", "/sessions"): listing(*READERS),
    ("GET", "/sessions/{session_id}"): own_centre(*READERS),
    ("POST", "/sessions/{session_id}/cancel"): own_centre(
        MANAGER,
        body=lambda _: {"reason": "Lesgever ziek"},
        path={"session_id": "upcoming_session_id"},
    ),
    ("POST", "/sessions/{session_id}/hold"): own_centre(MANAGER),
    ("POST", "/sessions/{session_id}/attendance"): own_centre(
        MANAGER,
        body=lambda world: {"entries": [{"participant_id": world.ids["participant_id"]}]},
        path={"session_id": "attendance_session_id"},
    ),
    ("GET", "/sessions/{session_id}/attendance"): own_centre(MANAGER),
    ("POST", "/sessions/{session_id}/attendance/correction"): own_centre(
        MANAGER, body=lambda _: {"participants": []}
    ),
    ("GET", "/coordinator/config.json"): public(),
    ("GET", "/coordinator/reference.json"): public(),
    ("GET", "/enrolments"): listing(MANAGER),
    ("GET", "/enrolments/{enrolment_id}"): own_centre(MANAGER),
    ("POST", "/enrolments/{enrolment_id}/cancel"): own_centre(
        MANAGER, path={"enrolment_id": "cancellable_enrolment_id"}
    ),
    ("POST", "/enrolments/{enrolment_id}/complete"): own_centre(MANAGER),
    ("POST", "/participants"): own_centre(MANAGER, body=lambda _: _participant("Nieuw")),
    ("GET", "/participants"): listing(MANAGER),
    ("POST", "/participants/search"): listing(MANAGER, body=lambda _: {"name": "Geheime"}),
    ("GET", "/participants/{participant_id}"): own_centre(MANAGER),
    ("PATCH", "/participants/{participant_id}"): own_centre(
        MANAGER, body=lambda _: {"neighbourhood": "Kessel-Lo"}
    ),
    ("GET", "/participants/{participant_id}/export"): own_centre(MANAGER),
    ("POST", "/participants/{participant_id}/erasure"): own_centre(
        MANAGER, path={"participant_id": "erasable_participant_id"}
    ),
    # Withdrawing the only consent of a minor erases them: a minor of its own.
    (
        "POST",
        "/participants/{participant_id}/guardian-consents/{consent_id}/withdrawal",
    ): own_centre(MANAGER, body=lambda _: {}, path={"participant_id": "withdrawing_minor_id"}),
    ("POST", "/participants/{participant_id}/guardian-consents"): own_centre(
        MANAGER,
        body=lambda _: {
            "guardian_name": "Geheime Ouder",
            "relationship": "parent",
            "given_on": LAST_WEEK.isoformat(),
        },
        path={"participant_id": "minor_id"},
    ),
    ("POST", "/youth-referrals"): own_centre(
        MANAGER,
        body=lambda world: {
            "participant_id": world.ids["young_adult_id"],
            "centre_id": OWN,
            "date": LAST_WEEK.isoformat(),
            "association": "Chiro Kessel-Lo",
        },
    ),
    ("GET", "/youth-referrals"): listing(MANAGER),
    ("GET", "/youth-referrals/{referral_id}"): own_centre(MANAGER),
    ("POST", "/youth-referrals/{referral_id}/outcome"): own_centre(
        MANAGER, body=lambda _: {"outcome": "joined", "date": TODAY.isoformat()}
    ),
    ("PUT", "/computer-corner-visits/{centre_id}/{date}"): own_centre(
        *TALLY_KEEPERS, body=lambda _: {"visits": 12}
    ),
    ("POST", "/computer-corner-visits/{centre_id}/{date}/add"): own_centre(*TALLY_KEEPERS),
    ("GET", "/computer-corner-visits"): listing(*READERS),
    ("PUT", "/desk-contacts/{centre_id}/{date}/{category}"): own_centre(
        *TALLY_KEEPERS, body=lambda _: {"count": 4}
    ),
    ("POST", "/desk-contacts/{centre_id}/{date}/{category}/add"): own_centre(*TALLY_KEEPERS),
    ("GET", "/desk-contacts"): listing(*READERS),
}


async def _participant_id(client: httpx.AsyncClient, world: World, body: dict[str, Any]) -> str:
    created = await made(client, "POST", "/participants", body)
    world.secrets |= {body["given_name"], body["email"]}
    participant_id: str = created["participant_id"]
    return participant_id


async def courses_world(client: httpx.AsyncClient) -> World:
    """A published course of the own centre with sessions, participants (an adult, a minor, a
    young adult referred to an association), enrolments and the day's tallies."""
    world = World(ids={"centre_id": OWN, "date": LAST_WEEK.isoformat(), "category": "housing"})
    activity = await made(client, "POST", "/activities", _activity(title="Geheime cursus"))
    activity_id = activity["activity_id"]
    await made(client, "POST", f"/activities/{activity_id}/publish")
    world.add("activity_id", activity_id)
    draft = await made(client, "POST", "/activities", _activity(title="Ontwerp"))
    world.add("draft_id", draft["activity_id"])
    for name, day in (
        ("session_id", LAST_WEEK),
        ("attendance_session_id", LAST_WEEK - dt.timedelta(days=1)),
        ("upcoming_session_id", NEXT_WEEK),
    ):
        scheduled = await made(client, "POST", f"/activities/{activity_id}/sessions", _session(day))
        world.add(name, scheduled["sessions"][0]["session_id"])

    participant_id = await _participant_id(client, world, _participant("Volwassene"))
    world.add("participant_id", participant_id)
    world.add("newcomer_id", await _participant_id(client, world, _participant("Nieuwkomer")))
    spare = await _participant_id(client, world, _participant("Reserve"))
    guardian = {
        "guardian_name": "Geheime Voogd",
        "relationship": "guardian",
        "given_on": "2026-01-05",
    }
    minor = _participant("Kind", age_band="6-11", guardian_consent=guardian)
    world.add("minor_id", await _participant_id(client, world, minor))
    withdrawing = _participant("Kleintje", age_band="3-5", guardian_consent=guardian)
    created = await made(client, "POST", "/participants", withdrawing)
    world.secrets |= {withdrawing["given_name"], withdrawing["email"]}
    world.add("withdrawing_minor_id", created["participant_id"])
    world.add("consent_id", created["guardian_consent"]["consent_id"])
    world.add("erasable_participant_id", await _participant_id(client, world, _participant("Weg")))
    young = await _participant_id(client, world, _participant("Jongere", age_band="18-25"))
    world.add("young_adult_id", young)

    enrolled = await made(
        client, "POST", f"/activities/{activity_id}/enrolments", {"participant_id": participant_id}
    )
    world.add("enrolment_id", enrolled["enrolment_id"])
    cancellable = await made(
        client, "POST", f"/activities/{activity_id}/enrolments", {"participant_id": spare}
    )
    world.add("cancellable_enrolment_id", cancellable["enrolment_id"])
    referral = await made(
        client,
        "POST",
        "/youth-referrals",
        {
            "participant_id": young,
            "centre_id": OWN,
            "date": LAST_WEEK.isoformat(),
            "association": "Jeugdhuis Geheim",
        },
    )
    world.add("referral_id", referral["referral_id"])
    return world
