"""The till on the kitchen tablet, end to end: a cook logs in, registers meals with every part of
the till (tariff buttons named by their Dutch name and price, the count, take-away, a diner card
from a keyboard-wedge scanner honouring a reservation, a reason to go beyond capacity, an undo),
sees the totals, closes the service and gets the cash report, checked to the cent against meals'
own report; reporting counts the same meals. Every screen passes axe-core and is photographed at
a tablet's and a phone's width."""

import csv
import io
import re
from pathlib import Path

import pytest
from playwright.async_api import Locator, Page, async_playwright, expect

from tests.browser.conftest import CENTRE, Running
from tests.support.apps import ARTIFACTS
from tests.support.browser import (
    CHROMIUM,
    CHROMIUM_ARGS,
    axe,
    chromium,
    dev_login,
    everything_sent,
    new_page,
    screenshots,
    service_worker_in_control,
    today_in_brussels,
)

CARD = "4711 0042 1234"
pytestmark = pytest.mark.timeout(240)


def tariff(page: Page, dutch_name: str, price: str) -> Locator:
    """The tariff's button: its accessible name is its Dutch name, then its price."""
    return page.get_by_role("button", name=re.compile(rf"^{dutch_name} €\s{price}$"))


async def test_the_till_from_login_to_the_cash_report(kitchen: Running) -> None:
    service = await kitchen.plan_today(capacity=5)
    sid = service["service_id"]
    async with kitchen.client("meals", "kitchen_staff") as cook:
        reserved = await cook.post(
            f"/services/{sid}/reservations", json={"seats": 1, "diner_card": CARD}
        )
        assert reserved.status_code == 201, reserved.text

    async with chromium() as browser:
        context = await browser.new_context(viewport={"width": 1024, "height": 768})
        watched = await new_page(context)
        page = watched.page
        await page.goto(f"{kitchen.url('meals')}/kitchen/")
        await page.wait_for_selector("#login-role")
        assert await page.evaluate("document.documentElement.lang") == "nl"
        await axe(page, "kitchen-login")
        await screenshots(page, "kitchen-login")
        await dev_login(page, "kitchen_staff", CENTRE)

        standard = tariff(page, "Standaardtarief", "6,50")
        reduced = tariff(page, "Verminderd tarief", "3,50")
        child = tariff(page, "Kindertarief", "3,00")
        await expect(standard).to_be_visible()
        await expect(tariff(page, "Vrijwilligerstarief", "0,00")).to_be_visible()
        await expect(page.locator("#total-no-shows")).to_have_text("1")
        # Before the service closes, a reservation is still expected, not a no-show.
        no_shows_label = page.locator(".total", has=page.locator("#total-no-shows")).locator("dt")
        await expect(no_shows_label).to_have_text("Nog verwacht")

        # Two on site, in one tap.
        await page.get_by_role("button", name="Eén meer").click()
        await expect(page.locator("#count")).to_have_value("2")
        await standard.click()
        await expect(page.locator("#total-served")).to_contain_text("2")
        await expect(page.locator("#count")).to_have_value("1")
        # One take-away.
        await page.get_by_role("button", name="Meenemen", exact=True).click()
        await reduced.click()
        await expect(page.locator("#total-takeaway")).to_have_text("1")
        # The scanner types the card and Enter; the keyboard does the rest: the diner with the
        # reservation comes, at the reduced tariff.
        await page.locator("#diner-card").focus()
        await page.keyboard.type(CARD.replace(" ", ""))
        await page.keyboard.press("Enter")
        await expect(standard).to_be_focused()
        await page.keyboard.press("Tab")
        await expect(reduced).to_be_focused()
        await page.keyboard.press("Enter")
        await expect(page.locator("#total-served")).to_contain_text("4")
        await expect(page.locator("#total-no-shows")).to_have_text("0")
        # Three children, beyond the capacity of five: the till asks why.
        await page.fill("#count", "3")
        await page.locator("#count").dispatch_event("change")
        await child.click()
        dialog = page.get_by_role("dialog")
        await expect(dialog).to_be_visible()
        await axe(page, "kitchen-till-over-capacity")
        await screenshots(page, "kitchen-till-over-capacity")
        await dialog.get_by_label("Reden").fill("Drie kinderen op schoot bij hun moeder")
        await dialog.get_by_role("button", name="Toch registreren").click()
        await expect(page.locator("#total-on-site")).to_have_text("6")
        # A tap too many, taken back.
        await page.get_by_role("button", name="Meenemen", exact=True).click()
        await standard.click()
        await expect(page.locator("#total-served")).to_contain_text("8")
        latest = page.locator(".recent-list li").first
        await expect(latest).to_contain_text("verzonden", timeout=15_000)
        # Sent already: undone by a correction to 0 (a tap still waiting is simply taken back).
        await latest.get_by_role("button").click()
        await expect(page.locator("#total-served")).to_contain_text("7")
        await everything_sent(page)
        await expect(page.locator("#total-takeaway")).to_have_text("1")
        await expect(page.locator("#total-free")).to_have_text("0 / 5")
        await axe(page, "kitchen-till")
        await screenshots(page, "kitchen-till")

        # What meals holds: every tap once, with the device's time beside the service's.
        registered = await kitchen.meals_registered(sid)
        assert len(registered) == 5
        assert sum(r["current_count"] for r in registered) == 7
        assert all(
            r["tapped_at"] and r["registered_by"] == "dev-kitchen_staff-mannenstraat"
            for r in registered
        )
        assert [r["reservation_id"] is not None for r in registered].count(True) == 1
        [over] = [r for r in registered if r["over_capacity_reason"]]
        assert over["tariff"] == "child" and over["count"] == 3

        # Dutch first, English on request; the choice is kept and <html lang> follows it.
        await page.get_by_role("button", name="English").click()
        await expect(page.locator("html")).to_have_attribute("lang", "en")
        await expect(page.get_by_role("heading", name="Till", exact=True)).to_be_visible()
        await page.reload()
        await expect(page.get_by_role("heading", name="Till", exact=True)).to_be_visible()
        await expect(page.locator("html")).to_have_attribute("lang", "en")
        await axe(page, "kitchen-till-english")
        await page.get_by_role("button", name="Nederlands").click()
        await expect(page.locator("html")).to_have_attribute("lang", "nl")

        # The end of the meal: close, and the cash report per tariff, printable.
        await page.get_by_role("button", name="Dienst afsluiten").click()
        await page.get_by_role("dialog").get_by_role("button", name="Dienst afsluiten").click()
        report = page.locator("#cash-report")
        await expect(report).to_be_visible(timeout=20_000)
        await expect(page.locator("#cash-total-meals")).to_have_text("7")
        revenue = " ".join((await page.inner_text("#cash-total-revenue")).split())
        assert revenue.replace("\xa0", " ") == "€ 29,00"
        await expect(standard).to_be_disabled()
        await expect(no_shows_label).to_have_text("Niet gekomen")
        await axe(page, "kitchen-cash-report")
        await report.scroll_into_view_if_needed()
        await screenshots(page, "kitchen-cash-report")
        await page.emulate_media(media="print")
        await page.screenshot(path=str(ARTIFACTS / "kitchen-cash-report-print.png"))
        await page.emulate_media(media="screen")
        watched.assert_clean()
        await context.close()

    # The same figures from meals' own report, to the cent, and in reporting.
    async with kitchen.client("meals", "kitchen_staff") as cook:
        summary = (await cook.get(f"/services/{sid}/cash-report")).json()
        sheet = (await cook.get(f"/services/{sid}/cash-report.csv")).text
    assert summary["status"] == "closed"
    assert summary["total"] == {"on_site": 6, "takeaway": 1, "meals": 7, "revenue": 2900}
    total_row = list(csv.DictReader(io.StringIO(sheet)))[-1]
    assert (total_row["tariff"], total_row["revenue_eur"]) == ("total", "29.00")
    await kitchen.reporting_reaches(today_in_brussels(), 7)


async def test_the_tablet_app_is_installable(kitchen: Running, tmp_path: Path) -> None:
    """Chromium's own check: a manifest with its icons, served over a secure origin (loopback),
    and a service worker in control; nothing stands in the way of installing it."""
    async with async_playwright() as playwright:
        # A profile on disk: an incognito context is never installable.
        context = await playwright.chromium.launch_persistent_context(
            tmp_path, executable_path=str(CHROMIUM), args=CHROMIUM_ARGS
        )
        try:
            page = await context.new_page()
            await page.goto(f"{kitchen.url('meals')}/kitchen/")
            await service_worker_in_control(page)
            devtools = await context.new_cdp_session(page)
            assert (await devtools.send("Page.getInstallabilityErrors")) == {
                "installabilityErrors": []
            }
            manifest = await devtools.send("Page.getAppManifest")
            assert manifest["url"].endswith("/kitchen/manifest.webmanifest")
            assert manifest["errors"] == []
        finally:
            await context.close()
