"""The dashboard in Debian's headless chromium (driven by Playwright, never a downloaded
browser): the page loads, the analyst logs in with the kit's login (the development form), the
tree and the charts show the scenario's figures, the page works from the keyboard and passes
axe-core under its Content-Security-Policy; screenshots are kept under `artifacts/`."""

import asyncio
from collections.abc import AsyncIterator

import aio_pika
import httpx
import pytest
from playwright.async_api import expect

from buurtwerk_shared.web.auth import mint_dev_token
from tests.browser.conftest import ServicesFactory
from tests.integration.reporting.scenario import march_2026
from tests.support.apps import ARTIFACTS, ServiceProcess
from tests.support.broker import BrokerNamespace
from tests.support.browser import axe, chromium, dev_login, new_page, screenshots
from tests.support.events import publish_raw


@pytest.fixture
async def reporting_process(start_services: ServicesFactory) -> AsyncIterator[ServiceProcess]:
    """Reporting as a real process with the scenario projected (threshold 1: nothing withheld)."""
    async with start_services(reporting={"REPORTING_SUPPRESSION_THRESHOLD": "1"}) as running:
        yield running.processes["reporting"]


async def test_dashboard_shows_the_tree_and_charts(
    reporting_process: ServiceProcess, namespace: BrokerNamespace
) -> None:
    connection = await aio_pika.connect_robust(namespace.amqp_url)
    try:
        for event, event_id in march_2026().published:
            await publish_raw(connection, namespace.topology, event, event_id=event_id)
    finally:
        await connection.close()
    token = mint_dev_token("analyst", ["all"], sub="analyst-browser")
    async with httpx.AsyncClient(base_url=reporting_process.url, timeout=10) as client:
        for _ in range(300):
            response = await client.get(
                "/indicators/meals.served",
                params={"period": "2026-03"},
                headers={"Authorization": f"Bearer {token}"},
            )
            if response.json()["value"] == 9:
                break
            await asyncio.sleep(0.1)
        assert response.json()["value"] == 9
        shell = await client.get("/dashboard/")
        assert shell.status_code == 200 and "text/html" in shell.headers["content-type"]

    ARTIFACTS.mkdir(exist_ok=True)
    async with chromium() as browser:
        # A tablet in landscape.
        context = await browser.new_context(viewport={"width": 1280, "height": 900})
        watched = await new_page(context)
        page = watched.page
        await page.goto(f"{reporting_process.url}/dashboard/?")
        await page.wait_for_selector("#login-role")
        await page.keyboard.press("Tab")
        assert await page.evaluate("document.activeElement.className") == "skip"
        await axe(page, "dashboard-login")
        await dev_login(page, "analyst", "all")
        await page.wait_for_selector("body[data-ready=true]", timeout=60_000)
        assert await page.is_hidden("#login-role"), "the login is asked for once"
        assert await page.is_hidden("#app-links"), "an analyst uses no other app"
        await page.fill("#from", "2026-01-01")
        await page.fill("#to", "2026-03-31")
        await page.evaluate("document.body.dataset.ready = 'false'")
        await page.click("#controls button[type=submit]")
        await page.wait_for_selector("body[data-ready=true]", timeout=60_000)

        nav = await page.inner_text("#tree")
        for node in ("BD1", "AP1.1", "AP1.1.a", "AP1.2", "AP1.2.c", "AP1.2.h"):
            assert node in nav
        served = page.locator("#indicator-meals\\.served")
        assert "Geserveerde maaltijden" in await served.inner_text()
        chart = served.locator("svg.chart")
        label = await chart.get_attribute("aria-label")
        assert label is not None and "Stad (alle centra)" in label
        assert await chart.locator("path").count() >= 1, "a line with data"
        numbers = await served.locator("table").text_content() or ""
        assert "2026-03" in numbers and "9" in numbers
        assert await page.locator("svg.chart").count() >= 20
        # The latest values are those of the last period shown.
        assert "9" in await served.locator(".latest").inner_text()
        await axe(page, "dashboard")
        await page.screenshot(path=str(ARTIFACTS / "reporting-dashboard.png"), full_page=False)
        await served.scroll_into_view_if_needed()
        await page.screenshot(path=str(ARTIFACTS / "reporting-dashboard-meals.png"))
        await page.screenshot(path=str(ARTIFACTS / "reporting-dashboard-full.png"), full_page=True)
        await screenshots(page, "dashboard")
        # A centre coordinator reaches the kitchen tablet and the courses' app from here; the
        # volunteers' app is not theirs.
        await page.click("#logout")
        await dev_login(page, "centre_coordinator", "mannenstraat")
        await expect(page.locator("#app-links a")).to_have_text(["Keuken", "Cursussen"])
        assert await page.locator("#app-links a").first.get_attribute("href") == (
            "http://127.0.0.1:8001/kitchen/"
        )
        watched.assert_clean()
        await context.close()
