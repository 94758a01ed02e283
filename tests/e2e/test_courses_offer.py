"""The centres' offer end to end: courses and reporting as processes.

A computer course by Link in de Kabel with 4 seats and 7 applicants (two cancel, two move up
from the waiting list), two sessions held with attendance, a conversation group with known and
anonymous drop-ins, three youth referrals with outcomes and a computer corner's day total; then
reporting shows the `digital.*`, `offer.*` and `youth.referrals` indicators for this month.

Reporting runs with the catalogue's threshold of 5 persons: the three referrals are suppressed,
the other person counts are not. How the counts are read (the catalogue's definitions):
- `digital.computer_course_participants`: distinct participants who held a seat in a computer
  course in the period (enrolled or promoted), here the 4 first and the 2 promoted: 6;
- `offer.participants_by_target_group`: distinct known participants who took part: held a seat
  (enrolled, promoted or completed; a place on the waiting list is not taking part) or attended.
  At Sint-Maartensdal the 6 who held a seat in the computer course (the seventh stayed on the
  waiting list); one of them also comes to the conversation group at Mannenstraat, so the city
  counts 11, not 12;
- `offer.conversation_group_participants`: distinct known participants of conversation groups.
"""

import asyncio
import datetime as dt
import json
import signal
from collections import Counter
from typing import Any

import aio_pika
import httpx

from courses.domain.clock import BRUSSELS
from tests.e2e.conftest import Stack
from tests.support.tokens import bearer

COURSES = bearer("course_coordinator", ["all"], sub="course-coord-e2e")
DESK = bearer("centre_coordinator", ["sint-maartensdal"], sub="desk-e2e")
ANALYST = bearer("analyst", ["all"], sub="analyst-e2e")
CONSENT = {"guardian_name": "Ouder Test", "relationship": "parent", "given_on": "2026-01-10"}


class Api:
    """The courses API as a course coordinator."""

    def __init__(self, client: httpx.AsyncClient, url: str) -> None:
        self.client = client
        self.url = url

    async def call(
        self,
        method: str,
        path: str,
        body: dict[str, Any] | None = None,
        headers: dict[str, str] | None = None,
    ) -> Any:
        response = await self.client.request(
            method, f"{self.url}{path}", json=body, headers=headers or COURSES
        )
        assert response.status_code in (200, 201), f"{method} {path}: {response.text}"
        return response.json()

    async def participant(self, name: str, centre: str, group: str, **fields: Any) -> str:
        body = {
            "centre_id": centre,
            "given_name": name,
            "family_name": "E2e",
            "age_band": "26-64",
            "target_group": group,
            "neighbourhood": "Kessel-Lo",
            **fields,
        }
        participant_id: str = (await self.call("POST", "/participants", body))["participant_id"]
        return participant_id

    async def session(self, activity_id: str, day: dt.date, start: str, end: str) -> str:
        scheduled = await self.call(
            "POST",
            f"/activities/{activity_id}/sessions",
            {"date": day.isoformat(), "start_time": start, "end_time": end},
        )
        session_id: str = scheduled["sessions"][0]["session_id"]
        return session_id

    async def hold(self, session_id: str, entries: list[dict[str, Any]]) -> int:
        await self.call("POST", f"/sessions/{session_id}/attendance", {"entries": entries})
        attendees: int = (await self.call("POST", f"/sessions/{session_id}/hold"))["attendees"]
        return attendees


async def indicator_when(
    client: httpx.AsyncClient,
    reporting_url: str,
    indicator_id: str,
    params: dict[str, str],
    expected: dict[str, Any],
    within: float = 60.0,
) -> dict[str, Any]:
    """The indicator once it shows `expected` (a subset of its fields), or fail saying what it
    showed last."""
    deadline = asyncio.get_running_loop().time() + within
    last: Any = None
    while asyncio.get_running_loop().time() < deadline:
        response = await client.get(
            f"{reporting_url}/indicators/{indicator_id}", params=params, headers=ANALYST
        )
        last = (response.status_code, response.text)
        assert response.status_code != 404, f"reporting does not know {indicator_id}: {last}"
        if response.status_code == 200:
            body: dict[str, Any] = response.json()
            if {k: body.get(k) for k in expected} == expected:
                return body
        await asyncio.sleep(0.25)
    raise AssertionError(f"{indicator_id} {params} never showed {expected}; last: {last}")


async def test_the_centres_offer_reaches_the_indicators(stack: Stack) -> None:
    now = dt.datetime.now(BRUSSELS)
    if now.time() < dt.time(0, 3):
        # Sessions start at 00:00 and 00:01 today and must have started to be held.
        await asyncio.sleep(180)
        now = dt.datetime.now(BRUSSELS)
    today, period = now.date(), now.strftime("%Y-%m")

    courses = stack.service("courses")
    reporting = stack.service("reporting", REPORTING_SUPPRESSION_THRESHOLD="5")
    async with (
        await aio_pika.connect_robust(stack.servers.amqp_url) as broker,
        httpx.AsyncClient(timeout=10) as client,
    ):
        channel = await broker.channel()
        probe = await channel.declare_queue(stack.namespace.name("probe.e2e"), durable=True)
        await probe.bind(stack.namespace.topology.events_exchange.name, routing_key="courses.#")
        api = Api(client, courses.url)

        # A computer course by Link in de Kabel: 4 seats, 7 applicants.
        course = await api.call(
            "POST",
            "/activities",
            {
                "centre_id": "sint-maartensdal",
                "kind": "computer_course",
                "title": "Digitaal basis: je smartphone",
                "partner": "link-in-de-kabel",
                "target_groups": ["seniors", "low_income"],
                "mode": "enrolment",
                "capacity": 4,
            },
        )
        course_id = course["activity_id"]
        await api.call("POST", f"/activities/{course_id}/publish")
        applicants = [
            await api.participant(
                f"A{i}", "sint-maartensdal", "seniors" if i <= 4 else "low_income"
            )
            for i in range(1, 8)
        ]
        enrolments = [
            await api.call(
                "POST", f"/activities/{course_id}/enrolments", {"participant_id": applicant}
            )
            for applicant in applicants
        ]
        assert [e["status"] for e in enrolments] == ["enrolled"] * 4 + ["waitlisted"] * 3
        promoted = [
            (await api.call("POST", f"/enrolments/{enrolments[i]['enrolment_id']}/cancel"))[
                "promoted"
            ]["participant_id"]
            for i in (0, 2)
        ]
        assert promoted == applicants[4:6]
        seated = [applicants[1], applicants[3], applicants[4], applicants[5]]
        waiting = await api.call("GET", f"/enrolments?activity_id={course_id}&status=waitlisted")
        assert [(e["participant_id"], e["waitlist_position"]) for e in waiting["items"]] == [
            (applicants[6], 1)
        ]

        first = await api.session(course_id, today, "00:00", "00:30")
        second = await api.session(course_id, today, "00:01", "00:31")
        present = [{"participant_id": p} for p in seated[:3]]
        assert (
            await api.hold(first, [*present, {"participant_id": seated[3], "present": False}]) == 3
        )
        assert await api.hold(second, [{"participant_id": p} for p in seated]) == 4
        by_participant = {e["participant_id"]: e["enrolment_id"] for e in enrolments}
        for person in seated:
            await api.call("POST", f"/enrolments/{by_participant[person]}/complete")
        done = await api.call("GET", f"/activities/{course_id}")
        assert (done["seats_taken"], done["waitlisted"]) == (4, 1)

        # A conversation group with known and anonymous drop-ins; one computer-course
        # participant comes too.
        group = await api.call(
            "POST",
            "/activities",
            {
                "centre_id": "mannenstraat",
                "kind": "conversation_group",
                "title": "Kom binnen / Combinne",
                "partner": "diversiteitsdienst",
                "target_groups": ["newcomers"],
                "mode": "drop_in",
            },
        )
        group_id = group["activity_id"]
        await api.call("POST", f"/activities/{group_id}/publish")
        visitors = [await api.participant(f"B{i}", "mannenstraat", "newcomers") for i in range(5)]
        one = await api.session(group_id, today, "00:00", "00:45")
        two = await api.session(group_id, today, "00:01", "00:46")
        anonymous = {"age_band": "26-64", "target_group": "newcomers"}
        assert (
            await api.hold(
                one, [*({"participant_id": v} for v in visitors), {"count": 4, **anonymous}]
            )
            == 9
        )
        assert (
            await api.hold(
                two,
                [
                    {"participant_id": visitors[0]},
                    {"participant_id": visitors[1]},
                    {"participant_id": applicants[1]},
                    {"count": 3, **anonymous},
                ],
            )
            == 6
        )

        # Three young people referred to associations, with their outcomes.
        outcomes = [["joined"], ["not_joined"], ["unknown", "joined"]]
        for i, (association, steps) in enumerate(
            zip(("Chiro Wilsele", "KSA Wilsele", "Jeugdhuis Sojo"), outcomes, strict=True)
        ):
            youth = await api.participant(
                f"Y{i}", "wilsele-dorp", "youth", age_band="12-17", guardian_consent=CONSENT
            )
            referral = await api.call(
                "POST",
                "/youth-referrals",
                {
                    "participant_id": youth,
                    "centre_id": "wilsele-dorp",
                    "date": today.isoformat(),
                    "association": association,
                },
            )
            for outcome in steps:
                await api.call(
                    "POST",
                    f"/youth-referrals/{referral['referral_id']}/outcome",
                    {"outcome": outcome, "date": today.isoformat()},
                )

        # The computer corner's day total: a later value replaces the earlier one.
        corner = f"/computer-corner-visits/sint-maartensdal/{today.isoformat()}"
        await api.call("PUT", corner, {"visits": 6}, headers=DESK)
        await api.call("PUT", corner, {"visits": 9}, headers=DESK)
        assert (await api.call("POST", f"{corner}/add", {"visits": 2}, headers=DESK))[
            "visits"
        ] == 11

        # Everything courses published reached the broker.
        expected_events = {
            "courses.activity_published.v1": 2,
            "courses.enrolment_changed.v1": 7 + 2 + 2 + 4,
            "courses.session_scheduled.v1": 4,
            "courses.attendance_recorded.v1": 4 + 4 + 6 + 4,
            "courses.session_held.v1": 4,
            "courses.youth_referral_recorded.v1": 3,
            "courses.youth_referral_outcome_recorded.v1": 4,
            "courses.computer_corner_visits_recorded.v1": 3,
        }
        seen: Counter[str] = Counter()
        statuses: Counter[str] = Counter()
        for _ in range(400):
            while (message := await probe.get(no_ack=True, fail=False)) is not None:
                seen[str(message.headers["ce-type"])] += 1
                if message.headers["ce-type"] == "courses.enrolment_changed.v1":
                    statuses[json.loads(message.body)["status"]] += 1
            if seen == Counter(expected_events):
                break
            await asyncio.sleep(0.05)
        assert seen == Counter(expected_events)
        assert statuses == Counter(enrolled=4, waitlisted=3, cancelled=2, promoted=2, completed=4)

        # Reporting shows the matching indicators for this month.
        centre = {"period": period}
        checks: list[tuple[str, dict[str, str], dict[str, Any]]] = [
            (
                "digital.computer_corner_visits",
                {**centre, "centre_id": "sint-maartensdal"},
                {"value": 11, "suppressed": False},
            ),
            (
                "digital.computer_course_participants",
                {**centre, "centre_id": "sint-maartensdal"},
                {"value": 6, "suppressed": False},
            ),
            (
                "offer.participants_by_target_group",
                {**centre, "centre_id": "sint-maartensdal"},
                {"value": 6, "suppressed": False},
            ),
            (
                "offer.participants_by_target_group",
                {**centre, "centre_id": "mannenstraat"},
                {"value": 6, "suppressed": False},
            ),
            ("offer.participants_by_target_group", centre, {"value": 11, "suppressed": False}),
            (
                "offer.conversation_group_participants",
                {**centre, "centre_id": "mannenstraat"},
                {"value": 6, "suppressed": False},
            ),
            (
                "youth.referrals",
                {**centre, "centre_id": "wilsele-dorp"},
                {"value": None, "suppressed": True},
            ),
            ("youth.referrals", centre, {"value": None, "suppressed": True}),
        ]
        for indicator_id, params, expected in checks:
            shown = await indicator_when(client, reporting.url, indicator_id, params, expected)
            assert shown["indicator_id"] == indicator_id
            assert shown["period"] == period
            assert shown["centre_id"] == params.get("centre_id")

    for process in (courses, reporting):
        assert process.stop() in (0, -signal.SIGTERM)
        assert f'"message": "{process.name} stopped"' in process.logs(), "a graceful stop"
