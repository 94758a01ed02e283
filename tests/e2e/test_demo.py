"""`make demo` against the four services as processes: what it loads is what reporting shows,
and loading it a second time adds nothing.

The loader runs as `make demo` runs it (`python -m deploy.local.demo`, the ports in the services'
own variables), twice, as of the same moment (`--at`), so that the clock moving on between the
runs (a check falling due, midnight) does not make the second run a different one. The month
checked is the one of a week ago: from the 8th on that is this month, and it always holds at least
a week of the demo's past days (meals served, shifts worked, sessions held). The kitchen log covers
the day before the moment of loading; its deviations are checked in the month(s) they fall in.
"""

import asyncio
import datetime as dt
import json
import os
import subprocess
import sys
import time
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import httpx
import pytest

from buurtwerk_shared.web.auth import Role
from tests.e2e.conftest import Stack
from tests.support.apps import ServiceProcess, free_port
from tests.support.tokens import bearer

ROOT = Path(__file__).parents[2]
SERVICES = ("meals", "volunteers", "courses", "reporting")
ANALYST = bearer("analyst", ["all"], sub="analyst-demo-e2e")
CENTRES = ("sint-maartensdal", "mannenstraat", "wilsele-dorp", "koksijdewijk", "de-kettekeet")
# Indicators whose city value must equal the total the demo loaded.
EXACT = ("meals.served", "volunteers.hours", "digital.computer_corner_visits", "hub.desk_contacts")
# Person counts (suppressed below 5) whose city value must be published.
PERSONS = (
    "meals.unique_diners",
    "meals.new_diners",
    "volunteers.active",
    "offer.participants_by_target_group",
    "offer.conversation_group_participants",
    "children.wilsele_participants",
    "youth.referrals",
)
OTHERS = (
    "meals.reduced_tariff_share",
    "meals.occupancy",
    "volunteers.new",
    "volunteers.milestones",
    "team.staff_fte",
    "kettekeet.status",
    "haccp.deviations",
    "haccp.corrective_action_ratio",
    "haccp.refurbishment_done",
)
# What each service holds, read as the total of a listing, and the role that may read it.
LISTINGS: dict[str, list[tuple[Role, str]]] = {
    "meals": [
        ("centre_coordinator", path) for path in ("/services", "/registrations", "/reservations")
    ],
    "volunteers": [
        ("volunteer_coordinator", path)
        for path in ("/volunteers", "/groups", "/shift-templates", "/shifts", "/appreciations")
    ],
    "courses": [
        ("course_coordinator", path)
        for path in ("/activities", "/participants", "/enrolments", "/sessions", "/youth-referrals")
    ]
    + [("centre_coordinator", path) for path in ("/computer-corner-visits", "/desk-contacts")],
    "reporting": [("analyst", "/manual-values")],
}
KITCHEN_LISTINGS = ("equipment", "checks", "deliveries", "deviations?open=false", "refurbishment")
KITCHENS = ("sint-maartensdal-keuken", "mannenstraat-keuken")


def run_demo(env: dict[str, str], at: dt.datetime, report: Path) -> dict[str, Any]:
    """Run the loader as `make demo` does; its report as data."""
    command = ["-m", "deploy.local.demo", "--at", at.isoformat(), "--report", str(report)]
    result = subprocess.run(
        [sys.executable, *command],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stderr + result.stdout
    loaded: dict[str, Any] = json.loads(report.read_text())
    return loaded


async def indicator(
    client: httpx.AsyncClient, indicator_id: str, period: str, centre: str | None = None
) -> dict[str, Any]:
    params = {"period": period} | ({"centre_id": centre} if centre else {})
    response = await client.get(f"/indicators/{indicator_id}", params=params, headers=ANALYST)
    assert response.status_code == 200, response.text
    value: dict[str, Any] = response.json()
    return value


async def wait_for_totals(
    client: httpx.AsyncClient, expected: dict[tuple[str, str], float]
) -> None:
    """Until reporting has counted everything the demo loaded (the consumers are async)."""
    deadline = time.monotonic() + 180
    while True:
        shown = {key: (await indicator(client, *key))["value"] for key in expected}
        if shown == expected:
            return
        assert time.monotonic() < deadline, f"reporting shows {shown}, the demo loaded {expected}"
        await asyncio.sleep(1)


async def snapshot(client: httpx.AsyncClient, period: str) -> dict[str, Any]:
    """Every indicator checked here, for the city and each centre."""
    values = {}
    for indicator_id in EXACT + PERSONS + OTHERS:
        for centre in (None, *CENTRES):
            values[f"{indicator_id}@{centre or 'city'}"] = await indicator(
                client, indicator_id, period, centre
            )
    return values


async def listing_totals(http: httpx.AsyncClient, services: dict[str, ServiceProcess]) -> Any:
    """How many records each listing holds (a page's total, or the length of a plain list)."""
    listings = [(name, role, path) for name, paths in LISTINGS.items() for role, path in paths]
    listings += [
        ("meals", "kitchen_staff", f"/haccp/kitchens/{kitchen}/{what}")
        for kitchen in KITCHENS
        for what in KITCHEN_LISTINGS
    ]
    totals = {}
    for name, role, path in listings:
        response = await http.get(
            f"{services[name].url}{path}",
            params={"limit": 1} if "?" not in path else None,
            headers=bearer(role, ["all"], sub="demo-e2e-reader"),
        )
        assert response.status_code == 200, f"{name} {path}: {response.text}"
        body = response.json()
        totals[f"{name}{path}"] = len(body) if isinstance(body, list) else body["total"]
    return totals


@pytest.mark.timeout(900)
async def test_the_demo_shows_in_reporting_and_loading_it_again_adds_nothing(
    stack: Stack, tmp_path: Path
) -> None:
    services = {name: stack.service(name) for name in SERVICES}
    env = {**os.environ} | {f"{n.upper()}_HTTP_PORT": str(s.port) for n, s in services.items()}
    at = dt.datetime.now(ZoneInfo("Europe/Brussels"))
    period = f"{at.date() - dt.timedelta(days=7):%Y-%m}"

    first = run_demo(env, at, tmp_path / "first.json")
    assert all(tally["created"] > 0 for tally in first["services"].values()), first["services"]
    expected = {(i, period): first["figures"][i][period] for i in EXACT}
    assert all(total > 0 for total in expected.values()), expected
    deviations = first["figures"]["haccp.deviations"]
    assert sum(deviations.values()) >= 1, "every day's kitchen log has a deviation"
    expected |= {("haccp.deviations", month): n for month, n in deviations.items()}

    async with httpx.AsyncClient(base_url=services["reporting"].url, timeout=10) as reporting:
        await wait_for_totals(reporting, expected)
        for indicator_id in PERSONS:
            city = await indicator(reporting, indicator_id, period)
            assert not city["suppressed"], f"{indicator_id} is suppressed: {city}"
            assert city["value"] >= 5, f"{indicator_id}: {city}"
        staff = await indicator(reporting, "team.staff_fte", period)
        assert staff["value"] == 14.6 and staff["breakdown"]["source_note"].startswith("Demo")
        kettekeet = await indicator(reporting, "kettekeet.status", period)
        assert isinstance(kettekeet["value"], str) and kettekeet["value"]
        before = await snapshot(reporting, period)
        async with httpx.AsyncClient(timeout=10) as http:
            counts_before = await listing_totals(http, services)

            second = run_demo(env, at, tmp_path / "second.json")

            assert all(tally["created"] == 0 for tally in second["services"].values()), second
            assert second["figures"] == first["figures"]
            assert await listing_totals(http, services) == counts_before
        # Anything the second run had written would be counted within the publish debounce.
        await asyncio.sleep(5)
        assert await snapshot(reporting, period) == before


def test_make_demo_says_to_start_the_services_first() -> None:
    closed = free_port()
    env = {**os.environ} | {f"{name.upper()}_HTTP_PORT": str(closed) for name in SERVICES}
    started = time.monotonic()
    result = subprocess.run(
        ["make", "demo"], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120
    )
    assert result.returncode != 0
    assert f"meals at http://127.0.0.1:{closed}" in result.stderr
    assert "`make run` in another terminal" in result.stderr
    assert time.monotonic() - started < 60
