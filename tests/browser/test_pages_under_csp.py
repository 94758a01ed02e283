"""The meals service's pages under the Content-Security-Policy of every answer, in Debian's
headless chromium: the public menu, the inspector's printable log, and the API documentation
(Swagger UI and ReDoc from the files the service ships). None breaks the policy, each shows what
it should; screenshots go under `artifacts/`."""

import datetime as dt
from collections.abc import AsyncIterator

import httpx
import pytest
from playwright.async_api import Browser

from buurtwerk_shared.clock import BRUSSELS
from tests.browser.conftest import ServicesFactory
from tests.support.apps import ARTIFACTS, ServiceProcess
from tests.support.browser import chromium, new_page
from tests.support.tokens import bearer

CENTRE = "mannenstraat"
KITCHEN = "mannenstraat-keuken"
COORDINATOR = bearer("centre_coordinator", [CENTRE], sub="coord-csp")


@pytest.fixture
async def meals_process(start_services: ServicesFactory) -> AsyncIterator[ServiceProcess]:
    async with start_services(meals={}) as running:
        yield running.processes["meals"]


@pytest.fixture
async def browser() -> AsyncIterator[Browser]:
    async with chromium() as launched:
        yield launched


async def _records(url: str) -> str:
    """A meal service with a menu, and a day of the kitchen's log; the service's id."""
    today = dt.datetime.now(BRUSSELS).date()
    async with httpx.AsyncClient(base_url=url, headers=COORDINATOR, timeout=10) as client:
        planned = await client.post(
            "/services",
            json={"centre_id": CENTRE, "kitchen_id": KITCHEN, "date": today.isoformat(),
                  "start_time": "12:00", "capacity": 40, "prices": {"standard": 650},
                  "dishes": [{"name": "Stoofvlees met frieten", "allergens": ["celery", "mustard"]},
                             {"name": "Rijstpap", "allergens": ["milk"]}]},
        )  # fmt: skip
        assert planned.status_code == 201, planned.text
        check = await client.post(
            f"/haccp/kitchens/{KITCHEN}/checks",
            json={"kind": "fridge", "label": "Koelkast 1",
                  "schedule": {"type": "times_of_day", "times": ["08:00"]}},
        )  # fmt: skip
        assert check.status_code == 201, check.text
        cook = bearer("kitchen_staff", [CENTRE], sub="staff-csp")
        recorded = await client.post(
            f"/haccp/checks/{check.json()['check_id']}/records", json={"value": 9}, headers=cook
        )
        assert recorded.status_code == 201, recorded.text
        service_id: str = planned.json()["service_id"]
        return service_id


# ReDoc's bundle shows the Redocly logo from Redocly's CDN: the policy blocks it, the request never
# leaves the browser, and the link under it says "API docs by Redocly" without it.
REDOC_LOGO = "https://cdn.redoc.ly/redoc/logo-mini.svg"


async def _visit(
    browser: Browser, url: str, headers: dict[str, str], shown: str, name: str
) -> list[str]:
    """Open a page, wait for `shown`, keep a screenshot; what went wrong, described."""
    context = await browser.new_context(
        viewport={"width": 1280, "height": 900}, extra_http_headers=headers
    )
    try:
        watched = await new_page(context)
        page = watched.page
        requests: list[str] = []
        page.on("request", lambda request: requests.append(request.url))
        response = await page.goto(url)
        assert response is not None and response.status == 200, name
        policy = response.headers["content-security-policy"]
        assert "default-src 'self'" in policy and "frame-ancestors 'none'" in policy, policy
        assert "unsafe-inline" not in policy and "unsafe-eval" not in policy, policy
        await page.get_by_text(shown).first.wait_for(state="attached", timeout=30_000)
        await page.wait_for_load_state("networkidle")
        await page.screenshot(path=str(ARTIFACTS / f"csp-{name}.png"))
        problems = [p for p in watched.problems if REDOC_LOGO not in p]
        origin = "/".join(url.split("/", 3)[:3])
        foreign = [u for u in requests if not u.startswith((origin, "data:")) and u != REDOC_LOGO]
        return [
            *(f"{name}: {p}" for p in problems),
            *(f"{name} asks another host for {u}" for u in foreign),
        ]
    finally:
        await context.close()


async def test_the_pages_live_under_the_policy(
    meals_process: ServiceProcess, browser: Browser
) -> None:
    service_id = await _records(meals_process.url)
    today = dt.datetime.now(BRUSSELS).date().isoformat()
    ARTIFACTS.mkdir(exist_ok=True)
    pages = {
        "menu": (f"/services/{service_id}/menu.html", {}, "Stoofvlees met frieten"),
        "inspector-log": (
            f"/haccp/kitchens/{KITCHEN}/export.html?from={today}&to={today}",
            {"Authorization": COORDINATOR["Authorization"]},
            "Koelkast 1",
        ),
        "swagger-ui": ("/docs", {}, "Register served meals"),
        "redoc": ("/redoc", {}, "Register served meals"),
    }
    problems = []
    for name, (path, headers, shown) in pages.items():
        problems += await _visit(browser, f"{meals_process.url}{path}", headers, shown, name)
    assert problems == []
