"""Driving the web apps in Debian's chromium with Playwright (never a downloaded browser): the
launch flags this machine needs, the development login, axe-core on a screen, the checks every
screen must pass (no Content-Security-Policy violation, touch targets, no sideways scrolling),
and screenshots at a tablet's and a phone's width kept under `artifacts/`."""

import datetime as dt
import json
import os
import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from playwright.async_api import (
    Browser,
    BrowserContext,
    ConsoleMessage,
    Page,
    ViewportSize,
    async_playwright,
)

from tests.support.apps import ARTIFACTS

ROOT = Path(__file__).parents[2]
CHROMIUM = Path("/usr/bin/chromium")
# The flags this machine needs: no sandbox as root, no GPU, no calls home.
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
AXE = ROOT / "web" / "node_modules" / "axe-core" / "axe.min.js"
TABLET = ViewportSize(width=1024, height=768)
PHONE = ViewportSize(width=390, height=844)
BRUSSELS = ZoneInfo("Europe/Brussels")
# The controls a finger must hit: at least this many CSS pixels high and wide.
TOUCH = 44


@asynccontextmanager
async def chromium() -> AsyncIterator[Browser]:
    """Debian's chromium, headless."""
    assert os.access(CHROMIUM, os.X_OK), "install Debian's chromium (apt-get install chromium)"
    assert AXE.is_file(), "run `make install` (npm ci and the web build) first"
    async with async_playwright() as playwright:
        browser = await playwright.chromium.launch(
            executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS
        )
        try:
            yield browser
        finally:
            await browser.close()


class Watched:
    """A page with what its console and errors said: a CSP refusal or an uncaught error fails."""

    def __init__(self, page: Page) -> None:
        self.page = page
        self.problems: list[str] = []
        page.on("pageerror", lambda error: self.problems.append(f"page error: {error}"))
        page.on("console", self._console)

    def _console(self, message: ConsoleMessage) -> None:
        text = message.text
        if "Content Security Policy" in text or "Refused to" in text:
            self.problems.append(f"CSP: {text}")

    def assert_clean(self) -> None:
        """Nothing refused by the Content-Security-Policy, no uncaught error."""
        assert self.problems == [], self.problems


async def new_page(context: BrowserContext) -> Watched:
    """A page of the context, watched."""
    return Watched(await context.new_page())


async def dev_login(page: Page, role: str, centre: str) -> None:
    """Log in with the development form."""
    await page.wait_for_selector("#login-role")
    await page.select_option("#login-role", role)
    await page.select_option("#login-centre", centre)
    await page.click("form.login button[type=submit]")


async def service_worker_in_control(page: Page) -> None:
    """Wait until the app's service worker controls the page (it then opens without a network)."""
    await page.wait_for_function(
        "() => navigator.serviceWorker.controller !== null", timeout=20_000
    )


async def outbox(page: Page) -> list[dict[str, Any]]:
    """Every entry of the device's outbox (the kit's IndexedDB store), oldest first."""
    entries: list[dict[str, Any]] = await page.evaluate(
        """async () => {
            const request = indexedDB.open("buurtwerk");
            await new Promise((done) => { request.onsuccess = done; });
            const read = request.result.transaction("outbox").objectStore("outbox").getAll();
            await new Promise((done) => { read.onsuccess = done; });
            request.result.close();
            return read.result;
        }"""
    )
    return entries


async def everything_sent(page: Page, within: float = 30) -> list[dict[str, Any]]:
    """Wait until the service has answered every entry of the outbox with a success; fail at
    once on a refusal, naming it."""
    deadline = time.monotonic() + within
    while True:
        entries = await outbox(page)
        refused = [(e["path"], e["refusal"]) for e in entries if e["state"] == "refused"]
        assert refused == [], refused
        if all(e["state"] == "sent" for e in entries):
            return entries
        assert time.monotonic() < deadline, [(e["path"], e["state"]) for e in entries]
        await page.wait_for_timeout(100)


async def axe(page: Page, screen: str) -> list[dict[str, Any]]:
    """axe-core on the page as it is now: fails on any serious or critical violation."""
    # Evaluated through the DevTools protocol: the page's own policy allows no injected script.
    if not await page.evaluate("typeof window.axe !== 'undefined'"):
        await page.evaluate(AXE.read_text() + "\n;0")
    result = await page.evaluate(
        """async () => {
            const r = await axe.run(document, {resultTypes: ["violations"]});
            return r.violations.map(v => ({id: v.id, impact: v.impact, help: v.help,
                nodes: v.nodes.map(n => n.target.join(" ")).slice(0, 5)}));
        }"""
    )
    ARTIFACTS.mkdir(exist_ok=True)
    (ARTIFACTS / f"axe-{screen}.json").write_text(json.dumps(result, indent=2))
    serious = [v for v in result if v["impact"] in ("serious", "critical")]
    assert serious == [], f"{screen}: {json.dumps(serious, indent=1)}"
    return list(result)


async def check_layout(page: Page, screen: str) -> None:
    """No sideways scrolling, and every visible control at least 44 px each way."""
    width = await page.evaluate("document.documentElement.scrollWidth")
    viewport = page.viewport_size
    assert viewport is not None
    assert width <= viewport["width"], f"{screen}: {width}px wide at {viewport['width']}px"
    small = await page.evaluate(
        """(touch) => [...document.querySelectorAll(
              "button, select, input:not([type=checkbox]):not([type=radio]), textarea, .tabs a,"
              + " summary, label.check")]
            .filter(e => e.offsetParent !== null && !e.closest("[hidden]"))
            .map(e => ({e, r: e.getBoundingClientRect()}))
            .filter(({r}) => r.width > 0 && (r.height < touch || r.width < touch))
            .map(({e, r}) =>
                `${e.tagName.toLowerCase()}#${e.id}.${e.className} ${r.width}x${r.height}`)""",
        TOUCH,
    )
    assert small == [], f"{screen}: controls smaller than {TOUCH}px: {small}"


async def screenshots(page: Page, screen: str, *, full_page: bool = False) -> None:
    """Screenshots at a tablet's width (1024×768) and a phone's (390 wide), each checked for
    its layout; the page is left at the tablet's size."""
    ARTIFACTS.mkdir(exist_ok=True)
    for name, size in (("1024", TABLET), ("390", PHONE)):
        await page.set_viewport_size(size)
        await page.wait_for_timeout(150)
        await check_layout(page, f"{screen} at {name}")
        await page.screenshot(path=str(ARTIFACTS / f"{screen}-{name}.png"), full_page=full_page)
    await page.set_viewport_size(TABLET)


def today_in_brussels() -> dt.date:
    """Today's date where the services count their days."""
    return dt.datetime.now(BRUSSELS).date()


def clear_of_midnight(minutes: int = 4) -> dt.date:
    """Today in Brussels, after waiting out midnight if it is less than `minutes` away: a test
    that plans today's service and uses it must not see the day change under it."""
    now = dt.datetime.now(BRUSSELS)
    midnight = dt.datetime.combine(now.date() + dt.timedelta(days=1), dt.time(0), tzinfo=BRUSSELS)
    if midnight - now < dt.timedelta(minutes=minutes):
        time.sleep((midnight - now).total_seconds() + 2)
    return today_in_brussels()
