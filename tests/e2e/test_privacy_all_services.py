"""No personal data leaves the service that owns it: a run of the four services as processes, with
recognisable fake people, leaves no name, e-mail, phone, address, birth date or card number in any
message on the broker or any log line, and erasing two of them leaves the statistics as they were.

The scenario: two volunteers are recruited, trained, put on kitchen shifts and their hours
recorded, a notification service looks up the one on duty, a coordinator corrects a phone number
and exports a volunteer's data; the kitchen serves meals to diners with cards and takes a
reservation; a course takes an adult and a minor (with a guardian's consent), records their
attendance and refers the minor to a youth club; a coordinator searches participants by name and
exports one; reporting computes the indicators. Then one volunteer and the adult are erased on
request. Every service logs at DEBUG level.
"""

import datetime as dt
from typing import Any

import asyncpg
import httpx

from buurtwerk_shared.clock import BRUSSELS
from tests.e2e.conftest import Stack
from tests.e2e.test_courses_offer import indicator_when
from tests.support.broker import wait_for
from tests.support.databases import database_url
from tests.support.privacy import broker_traffic, database_dump, leaks, message_texts
from tests.support.tokens import bearer

CENTRE = "mannenstraat"
VOLUNTEERS = bearer("volunteer_coordinator", [CENTRE], sub="vol-coord-privacy")
NOTIFIER = bearer("notifier", [CENTRE], sub="sms-gateway-privacy")
COURSES = bearer("course_coordinator", [CENTRE], sub="course-coord-privacy")
KITCHEN = bearer("kitchen_staff", [CENTRE], sub="cook-privacy")
MEALS = bearer("centre_coordinator", [CENTRE], sub="centre-coord-privacy")

STAYING = {
    "given_name": "Philomena",
    "family_name": "Privacytest",
    "email": "philomena.privacytest@example.org",
    "phone": "+32 478 12 90 55",
    "address": "Tiensestraat 204, 3000 Leuven",
    "languages": ["nl", "fr"],
    "skills": ["kalligrafie"],
    "centre_ids": [CENTRE],
    "consents": [{"purpose": "reminders_sms", "given": True}],
}
NEW_PHONE = "+32 478 12 90 66"
LEAVING = {
    "given_name": "Bonifaas",
    "family_name": "Wisverzoek",
    "email": "bonifaas.wisverzoek@example.org",
    "phone": "0486 77 31 09",
    "address": "Diestsestraat 88, 3000 Leuven",
    "centre_ids": [CENTRE],
}
ADULT = {
    "centre_id": CENTRE,
    "given_name": "Ermelinda",
    "family_name": "Cursusvrouw",
    "phone": "016 23 45 67",
    "email": "ermelinda.cursusvrouw@example.org",
    "birth_date": "1958-11-23",
    "target_group": "seniors",
    "neighbourhood": "Kessel-Lo",
}
MINOR = {
    "centre_id": CENTRE,
    "given_name": "Kasimir",
    "family_name": "Jeugdigheid",
    "birth_date": "2012-08-19",
    "target_group": "youth",
    "neighbourhood": "Kessel-Lo",
    "guardian_consent": {
        "guardian_name": "Godelieve Jeugdigheid",
        "relationship": "parent",
        "guardian_phone": "0472 64 19 83",
        "given_on": "2026-01-05",
    },
}
CARDS = ["5512 3344 9001", "zx-7788-1234"]


def fields(person: dict[str, Any], *names: str) -> list[str]:
    """The values of some of a person's fields."""
    return [str(person[name]) for name in names]


# Every personal value of the scenario, and the forms a phone number takes without its prefix.
PERSONAL = [
    *fields(STAYING, "given_name", "family_name", "email", "phone", "address"),
    "Tiensestraat", "kalligrafie", NEW_PHONE, "478 12 90 66", "478129055",
    *fields(LEAVING, "given_name", "family_name", "email", "phone", "address"),
    "Diestsestraat", "486773109",
    *fields(ADULT, "given_name", "family_name", "phone", "email", "birth_date"),
    "16234567",
    *fields(MINOR, "given_name", "family_name", "birth_date"),
    "Godelieve", "0472 64 19 83", "472641983",
    *CARDS,
]  # fmt: skip


class Api:
    """One service's API, with the responses kept (they are where personal data may appear)."""

    def __init__(self, client: httpx.AsyncClient, url: str, headers: dict[str, str]) -> None:
        self.client, self.url, self.headers = client, url, headers
        self.responses: list[str] = []

    async def call(
        self, method: str, path: str, body: Any = None, headers: dict[str, str] | None = None
    ) -> Any:
        response = await self.client.request(
            method, f"{self.url}{path}", json=body, headers=headers or self.headers
        )
        assert response.status_code in (200, 201), f"{method} {path}: {response.text}"
        self.responses.append(response.text)
        return response.json()


async def processed(stack: Stack, event_ids: list[str]) -> bool:
    """Whether reporting has applied every one of these events."""
    conn = await asyncpg.connect(
        database_url(stack.servers.database_url, f"bw_e2e_reporting_{stack.run_id}")
    )
    try:
        done: int = await conn.fetchval(
            "SELECT count(DISTINCT event_id) FROM processed_events "
            "WHERE event_id = ANY($1::uuid[])",
            event_ids,
        )
    finally:
        await conn.close()
    return done == len(event_ids)


async def test_no_personal_data_on_the_broker_or_in_any_log(stack: Stack) -> None:
    # The services' clock starts at 10:00 of today: the scenario's days (a kitchen shift on duty
    # now, yesterday's service and session) hold whatever the time of day the test runs at.
    today = dt.datetime.now(BRUSSELS).date()
    yesterday = today - dt.timedelta(days=1)
    year = str(yesterday.year)
    started = dt.datetime.combine(today, dt.time(10), tzinfo=BRUSSELS)
    debug = {"BUURTWERK_LOG_LEVEL": "DEBUG", "BUURTWERK_CLOCK_START": started.isoformat()}
    volunteers = stack.service("volunteers", **debug)
    courses = stack.service("courses", **debug)
    meals = stack.service("meals", **debug)
    reporting = stack.service(
        "reporting",
        REPORTING_SUPPRESSION_THRESHOLD="1",
        REPORTING_PUBLISH_DEBOUNCE_SECONDS="0.2",
        **debug,
    )
    async with (
        broker_traffic(stack.namespace) as published,
        httpx.AsyncClient(timeout=15) as client,
    ):
        vol = Api(client, volunteers.url, VOLUNTEERS)
        staying = (await vol.call("POST", "/volunteers", STAYING))["volunteer_id"]
        leaving = (await vol.call("POST", "/volunteers", LEAVING))["volunteer_id"]
        for volunteer_id in (staying, leaving):
            for status in ("intake", "onboarding", "active"):
                await vol.call("POST", f"/volunteers/{volunteer_id}/status", {"status": status})
            await vol.call(
                "POST",
                f"/volunteers/{volunteer_id}/qualifications",
                {"qualification": "food_hygiene", "obtained_on": "2025-09-01"},
            )
        kitchen = {"centre_id": CENTRE, "role": "kitchen", "needed": 2}
        worked = await vol.call(
            "POST",
            "/shifts",
            {**kitchen, "date": str(yesterday), "start_time": "10:00", "end_time": "14:00"},
        )
        on_duty = await vol.call(
            "POST",
            "/shifts",
            {**kitchen, "date": str(today), "start_time": "00:00", "end_time": "23:59"},
        )
        for volunteer_id in (staying, leaving):
            await vol.call(
                "POST", f"/shifts/{worked['shift_id']}/assignments", {"volunteer_id": volunteer_id}
            )
        await vol.call(
            "POST", f"/shifts/{on_duty['shift_id']}/assignments", {"volunteer_id": staying}
        )
        await vol.call(
            "POST",
            f"/shifts/{worked['shift_id']}/completions",
            {"volunteers": [{"volunteer_id": staying}, {"volunteer_id": leaving}]},
        )
        contact = await vol.call("GET", f"/volunteers/{staying}/reminder-contact", headers=NOTIFIER)
        assert contact["sms"] == STAYING["phone"]
        await vol.call("PATCH", f"/volunteers/{staying}", {"phone": NEW_PHONE})
        await vol.call("GET", f"/volunteers/{staying}/export")

        kitchen_api = Api(client, meals.url, KITCHEN)
        service = await kitchen_api.call(
            "POST",
            "/services",
            {"centre_id": CENTRE, "kitchen_id": "mannenstraat-keuken", "date": str(yesterday),
             "start_time": "12:00", "capacity": 40, "prices": {"standard": 650, "reduced": 350},
             "dishes": [{"name": "Stoofvlees met frietjes", "allergens": ["gluten"]}],
             "reservations": True},
            headers=MEALS,
        )  # fmt: skip
        service_id = service["service_id"]
        await kitchen_api.call(
            "POST", f"/services/{service_id}/reservations", {"seats": 1, "diner_card": CARDS[1]}
        )
        for card, tariff in ((CARDS[0], "reduced"), (CARDS[1], "standard"), (None, "standard")):
            body = {"tariff": tariff, **({"diner_card": card} if card else {})}
            await kitchen_api.call("POST", f"/services/{service_id}/registrations", body)

        course_api = Api(client, courses.url, COURSES)
        adult = (await course_api.call("POST", "/participants", ADULT))["participant_id"]
        minor = (await course_api.call("POST", "/participants", MINOR))["participant_id"]
        activity = await course_api.call(
            "POST",
            "/activities",
            {"centre_id": CENTRE, "kind": "computer_course", "title": "Digitaal basis",
             "partner": "link-in-de-kabel", "target_groups": ["seniors", "youth"],
             "mode": "enrolment", "capacity": 5},
        )  # fmt: skip
        activity_id = activity["activity_id"]
        await course_api.call("POST", f"/activities/{activity_id}/publish")
        for participant_id in (adult, minor):
            await course_api.call(
                "POST", f"/activities/{activity_id}/enrolments", {"participant_id": participant_id}
            )
        session = await course_api.call(
            "POST",
            f"/activities/{activity_id}/sessions",
            {"date": str(yesterday), "start_time": "13:30", "end_time": "15:30"},
        )
        session_id = session["sessions"][0]["session_id"]
        await course_api.call(
            "POST",
            f"/sessions/{session_id}/attendance",
            {"entries": [{"participant_id": adult}, {"participant_id": minor}]},
        )
        await course_api.call("POST", f"/sessions/{session_id}/hold")
        await course_api.call(
            "POST",
            "/youth-referrals",
            {"participant_id": minor, "centre_id": CENTRE, "date": str(yesterday),
             "association": "Chiro Kessel-Lo"},
        )  # fmt: skip
        await course_api.call("POST", "/participants/search", {"name": "Ermel"})
        await course_api.call("GET", f"/participants/{adult}/export")

        # Reporting has the statistics.
        hours = {"value": 8.0, "suppressed": False}
        people = {"value": 2, "suppressed": False}
        by_year = {"period": year}
        await indicator_when(client, reporting.url, "volunteers.hours", by_year, hours)
        await indicator_when(
            client, reporting.url, "offer.participants_by_target_group", by_year, people
        )

        # Two of them ask to be erased; the statistics stay as they were.
        seen = len(published)
        await vol.call("POST", f"/volunteers/{leaving}/erasure")
        await course_api.call("POST", f"/participants/{adult}/erasure")
        kinds = ("volunteers.volunteer_status_changed.v1", "courses.enrolment_changed.v1")
        await wait_for(lambda: len([m for m in published[seen:] if m.routing_key in kinds]) == 2)
        since_erasure = [str(m.message_id) for m in published[seen:] if m.routing_key in kinds]
        await wait_for(lambda: processed(stack, since_erasure), within=30)
        await indicator_when(client, reporting.url, "volunteers.hours", by_year, hours)
        await indicator_when(
            client, reporting.url, "offer.participants_by_target_group", by_year, people
        )
        assert "volunteers.volunteer_erased.v1" in {m.routing_key for m in published[seen:]}

    dumps = {
        name: await database_dump(
            database_url(stack.servers.database_url, f"bw_e2e_{name}_{stack.run_id}")
        )
        for name in ("volunteers", "courses")
    }
    for process in (volunteers, courses, meals, reporting):
        process.stop()
    texts = {
        "the broker traffic": message_texts(published),
        **{f"the {p.name} logs": p.logs() for p in (volunteers, courses, meals, reporting)},
    }
    # The search has teeth: every service published and logged at DEBUG level, and the values
    # searched for are really in the system (the exports and lookups answered with them).
    sources = {str(m.headers.get("ce-source")) for m in published}
    assert sources == {f"/buurtwerk/{s}" for s in ("volunteers", "courses", "meals", "reporting")}
    for name in ("volunteers", "courses", "meals", "reporting"):
        assert '"level": "DEBUG"' in texts[f"the {name} logs"], name
    responses = {"responses": "\n".join(vol.responses + course_api.responses)}
    for value in (*fields(STAYING, "given_name", "address"), NEW_PHONE, *fields(ADULT, "email")):
        assert leaks(responses, [value]), value

    assert leaks(texts, PERSONAL) == []
    # Erased means gone from the owner's database too.
    erased = [
        *fields(LEAVING, "given_name", "email", "phone", "address"),
        *fields(ADULT, "given_name", "family_name", "email", "phone", "birth_date"),
    ]
    assert leaks({f"the {name} database": dump for name, dump in dumps.items()}, erased) == []
