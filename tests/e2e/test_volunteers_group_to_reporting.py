"""A group of six is recruited, onboarded, given kitchen shifts and their hours recorded in the
volunteers service; reporting then shows `volunteers.active`, `volunteers.new` and
`volunteers.hours` for the centre and the city."""

import asyncio
import signal
from typing import Any

import asyncpg
import httpx

from tests.e2e.conftest import Stack
from tests.support.broker import wait_for
from tests.support.databases import database_url
from tests.support.tokens import bearer

CENTRE = "mannenstraat"
COORDINATOR = bearer("volunteer_coordinator", [CENTRE], sub="vol-coord-e2e")
ANALYST = bearer("analyst", ["all"], sub="analyst-e2e")
OCTOBER = "2026-10"
PEOPLE = [
    ("Amina", "Benali"),
    ("Bram", "Claes"),
    ("Chloé", "Dubois"),
    ("Dries", "Eerdekens"),
    ("Elif", "Yilmaz"),
    ("Femke", "Goossens"),
]


async def call(client: httpx.AsyncClient, method: str, url: str, status: int, **kw: Any) -> Any:
    response = await client.request(method, url, headers=COORDINATOR, **kw)
    assert response.status_code == status, response.text
    return response.json()


async def indicator(client: httpx.AsyncClient, url: str, indicator_id: str, **params: str) -> Any:
    response = await client.get(
        f"{url}/indicators/{indicator_id}", params={"period": OCTOBER, **params}, headers=ANALYST
    )
    assert response.status_code == 200, (
        f"reporting answered {response.status_code} for {indicator_id}: {response.text} "
        "(the volunteers projections are built on the reporting branch)"
    )
    return response.json()


async def test_a_group_of_six_shows_up_in_the_volunteer_indicators(stack: Stack) -> None:
    volunteers = stack.service("volunteers")
    reporting = stack.service("reporting")
    async with httpx.AsyncClient(base_url=volunteers.url, timeout=10) as client:
        # Recruited as a group in October 2026 and guided through the pipeline as one.
        group = await call(
            client,
            "POST",
            "/groups",
            201,
            json={
                "name": "Bedrijfsteam Leuven",
                "kind": "company_team",
                "centre_ids": [CENTRE],
                "applied_at": "2026-10-01T09:00:00+02:00",
            },
        )
        members = []
        for given, family in PEOPLE:
            created = await call(
                client,
                "POST",
                "/volunteers",
                201,
                json={
                    "given_name": given,
                    "family_name": family,
                    "email": f"{given.lower()}.{family.lower()}@example.org",
                    "centre_ids": [CENTRE],
                    "group_ids": [group["group_id"]],
                    "consents": [
                        {
                            "purpose": "reminders_sms",
                            "given": True,
                            "given_at": "2026-10-01T09:30:00+02:00",
                        }
                    ],
                    "applied_at": "2026-10-01T09:30:00+02:00",
                },
            )
            members.append(created["volunteer_id"])
        for status, day in (("intake", "02"), ("onboarding", "05")):
            moved = await call(
                client,
                "POST",
                f"/groups/{group['group_id']}/status",
                200,
                json={"status": status, "changed_at": f"2026-10-{day}T10:00:00+02:00"},
            )
            assert len(moved["moved"]) == 6
        for member in members:
            await call(
                client,
                "POST",
                f"/volunteers/{member}/qualifications",
                201,
                json={"qualification": "food_hygiene", "obtained_on": "2026-10-05"},
            )
        await call(
            client,
            "POST",
            f"/groups/{group['group_id']}/status",
            200,
            json={"status": "active", "changed_at": "2026-10-06T10:00:00+02:00"},
        )

        # Weekly kitchen shifts on Wednesdays; two of them staffed by three each.
        await call(
            client,
            "POST",
            "/shift-templates",
            201,
            json={
                "centre_id": CENTRE,
                "role": "kitchen",
                "weekday": 3,
                "start_time": "11:00",
                "end_time": "14:00",
                "needed": 3,
                "valid_from": "2026-10-01",
            },
        )
        generated = await call(
            client,
            "POST",
            "/shifts/generate",
            201,
            json={"centre_id": CENTRE, "from": "2026-10-01", "until": "2026-10-31"},
        )
        shifts = {s["date"]: s["shift_id"] for s in generated["created"]}
        assert sorted(shifts) == ["2026-10-07", "2026-10-14", "2026-10-21", "2026-10-28"]
        rota = {shifts["2026-10-14"]: members[:3], shifts["2026-10-21"]: members[3:]}
        for shift_id, team in rota.items():
            for member in team:
                await call(
                    client,
                    "POST",
                    f"/shifts/{shift_id}/assignments",
                    201,
                    json={"volunteer_id": member},
                )
            completed = await call(
                client,
                "POST",
                f"/shifts/{shift_id}/completions",
                201,
                json={"volunteers": [{"volunteer_id": m} for m in team]},
            )
            assert [r["hours"] for r in completed["recorded"]] == [3.0, 3.0, 3.0]
        # One volunteer left early: 2.5 hours instead of 3.
        await call(
            client,
            "PUT",
            f"/shifts/{shifts['2026-10-21']}/completions/{members[5]}",
            200,
            json={"hours": 2.5},
        )
        listed = await call(
            client,
            "GET",
            "/volunteers",
            200,
            params={"group_id": group["group_id"], "status": "active"},
        )
        assert listed["total"] == 6

    # Every event the volunteers service wrote has been published to the broker.
    conn = await asyncpg.connect(
        database_url(stack.servers.database_url, f"bw_e2e_volunteers_{stack.run_id}")
    )
    try:

        async def all_published() -> bool:
            left: int = await conn.fetchval(
                "SELECT count(*) FROM outbox WHERE published_at IS NULL"
            )
            return left == 0

        await wait_for(all_published)
        rows = await conn.fetch("SELECT event_type, count(*) AS n FROM outbox GROUP BY 1")
        counts = {row["event_type"]: row["n"] for row in rows}
    finally:
        await conn.close()
    assert counts == {
        "volunteers.volunteer_status_changed.v1": 6 * 4,
        "volunteers.shift_scheduled.v1": 4,
        "volunteers.shift_assignment_changed.v1": 6,
        "volunteers.shift_completed.v1": 6,
        "volunteers.hours_corrected.v1": 1,
    }

    logs = volunteers.logs()
    for given, family in PEOPLE:
        assert given not in logs and family not in logs, "no personal data in the logs"
    assert "@example.org" not in logs

    # Reporting (its volunteers projections live on the reporting branch) shows the figures.
    async with httpx.AsyncClient(timeout=10) as client:
        centre = {"centre_id": CENTRE}

        async def projected() -> bool:
            hours = await client.get(
                f"{reporting.url}/indicators/volunteers.hours",
                params={"period": OCTOBER, **centre},
                headers=ANALYST,
            )
            return hours.status_code == 200 and hours.json()["value"] == 17.5

        for _ in range(300):
            if await projected():
                break
            await asyncio.sleep(0.1)

        for scope in (centre, {}):
            active = await indicator(client, reporting.url, "volunteers.active", **scope)
            assert (active["value"], active["suppressed"]) == (6, False), active
            new = await indicator(client, reporting.url, "volunteers.new", **scope)
            assert (new["value"], new["suppressed"]) == (6, False), new
            hours = await indicator(client, reporting.url, "volunteers.hours", **scope)
            assert (hours["value"], hours["suppressed"]) == (17.5, False), hours
            by_role = {k: v for k, v in hours["breakdown"].items() if "kitchen" in k}
            assert list(by_role.values()) == [17.5], hours["breakdown"]

    for process in (volunteers, reporting):
        assert process.stop() in (0, -signal.SIGTERM)
        assert f'"message": "{process.name} stopped"' in process.logs(), "a graceful stop"
