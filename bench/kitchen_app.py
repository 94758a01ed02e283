"""Kitchen app: the tablet as a cook uses it, in Debian's chromium, against a real meals process.

- `first_load`: `/kitchen/` opened in a fresh browser (no cache, no service worker), from the
  navigation to the login form on screen. Baseline: the same built files (and the same login
  settings) from Python's plain static file server (`http.server`), in the same browser.
- `reopen_till`: the logged-in tab reloaded, to the till's tariff buttons on screen (the reference
  data and today's services read again).
- `tap_online_p50/p99`, `tap_offline_p50/p99`: a click on a tariff button to the new count in the
  totals, measured in the page (the click's capture, the totals changed, the next frame); offline
  with the browser context cut off the network. Baseline: a page whose button only writes a
  counter, measured the same way in the same browser.
- `sync_200`: 200 taps made offline, then the network back: until the device has sent every one
  and been answered; meals must then hold exactly 200. Baseline: the same 200 registrations sent
  one after the other by httpx over one connection, each with its own Idempotency-Key.
"""

import asyncio
import contextlib
import datetime as dt
import json
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import httpx
from playwright.async_api import Browser, BrowserContext, Page

from bench.harness import Workspace, below, log, percentile, report
from buurtwerk_shared.web.auth import mint_dev_token
from meals.kitchen import STATIC
from tests.support.browser import BRUSSELS, chromium, dev_login, service_worker_in_control

BENCH = "kitchen_app"
CENTRE = "mannenstraat"
TARIFFS = ("standard", "reduced", "child", "volunteer")
PRICES = {"standard": 650, "reduced": 350, "child": 300, "volunteer": 0}
# In the page: when a tariff button is clicked (capture phase) and when the totals show one more
# meal (after the next frame: what the cook sees). Written as a function: the page allows no eval.
MEASURE_TAPS = """() => {
    window.__taps = [];
    if (window.__measuring) return;
    window.__measuring = true;
    let started = null;
    const served = () => parseInt(document.getElementById("total-served")?.textContent ?? "0", 10);
    let last = served();
    document.addEventListener("click", (event) => {
        if (event.target.closest("button.tariff, #bare")) started = performance.now();
    }, true);
    new MutationObserver(() => {
        const now = served();
        if (started === null || now <= last) return;
        last = now;
        const from = started;
        started = null;
        requestAnimationFrame(() => window.__taps.push(performance.now() - from));
    }).observe(document.body, { subtree: true, childList: true, characterData: true });
}"""
BARE_PAGE = """<!doctype html><html lang="en"><title>bare</title>
<button id="bare" type="button">tap</button><dl><dd id="total-served">0</dd></dl>
<script src="bare.js"></script></html>"""
BARE_SCRIPT = """document.getElementById("bare").addEventListener("click", () => {
  const served = document.getElementById("total-served");
  served.textContent = String(Number(served.textContent) + 1);
});"""


def plan_today(url: str) -> str:
    """A service in the centre's kitchen today, started, with room for every tap."""
    token = mint_dev_token("centre_coordinator", [CENTRE])
    response = httpx.post(
        f"{url}/services",
        headers={"Authorization": f"Bearer {token}"},
        json={
            "centre_id": CENTRE,
            "kitchen_id": f"{CENTRE}-keuken",
            "date": dt.datetime.now(BRUSSELS).date().isoformat(),
            "start_time": "00:00",
            "capacity": 1000,
            "prices": PRICES,
            "dishes": [{"name": "Stoofvlees", "allergens": ["gluten"]}],
        },
        timeout=30,
    )
    response.raise_for_status()
    service_id: str = response.json()["service_id"]
    return service_id


def registered(url: str, service_id: str) -> int:
    """How many meals meals holds for the service."""
    token = mint_dev_token("analyst", ["all"])
    response = httpx.get(
        f"{url}/services/{service_id}", headers={"Authorization": f"Bearer {token}"}, timeout=30
    )
    response.raise_for_status()
    served: int = response.json()["totals"]["served"]
    return served


@contextlib.contextmanager
def plain_static_server(login_config: dict[str, Any]) -> Any:
    """The built kitchen app (and the bare page) from `python -m http.server`; its URL."""
    with tempfile.TemporaryDirectory(prefix="bench-kitchen-") as directory:
        root = Path(directory)
        shutil.copytree(STATIC, root / "kitchen")
        (root / "kitchen" / "config.json").write_text(json.dumps(login_config))
        (root / "bare").mkdir()
        (root / "bare" / "index.html").write_text(BARE_PAGE)
        (root / "bare" / "bare.js").write_text(BARE_SCRIPT)
        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            port = s.getsockname()[1]
        server = subprocess.Popen(
            [sys.executable, "-m", "http.server", str(port), "--bind", "127.0.0.1"],
            cwd=root,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        try:
            url = f"http://127.0.0.1:{port}"
            for _ in range(100):
                with contextlib.suppress(httpx.HTTPError):
                    httpx.get(f"{url}/bare/index.html", timeout=1)
                    break
                time.sleep(0.05)
            yield url
        finally:
            server.terminate()
            server.wait()


async def cold_loads(browser: Browser, url: str, times: int) -> list[float]:
    """Milliseconds from the navigation to the login form, each in a fresh browser context."""
    loads = []
    for _ in range(times):
        context = await browser.new_context()
        page = await context.new_page()
        started = time.perf_counter()
        await page.goto(f"{url}/kitchen/")
        await page.wait_for_selector("#login-role", state="visible")
        loads.append(1000 * (time.perf_counter() - started))
        await context.close()
    return loads


@contextlib.asynccontextmanager
async def logged_in(browser: Browser, url: str) -> AsyncIterator[tuple[BrowserContext, Page]]:
    """A tab of the till, logged in as the centre's kitchen staff, its service worker in
    control."""
    context = await browser.new_context(viewport={"width": 1024, "height": 768})
    page = await context.new_page()
    await page.goto(f"{url}/kitchen/")
    await dev_login(page, "kitchen_staff", CENTRE)
    await page.wait_for_selector("button.tariff")
    await service_worker_in_control(page)
    try:
        yield context, page
    finally:
        await context.close()


async def taps(page: Page, count: int, selector: str = "button.tariff") -> list[float]:
    """Click `count` times (tariffs in turn); the milliseconds of each to the totals."""
    await page.evaluate(MEASURE_TAPS)
    buttons = page.locator(selector)
    for i in range(count):
        await buttons.nth(i % await buttons.count()).click()
        await page.wait_for_function(
            "(n) => window.__taps.length >= n", arg=i + 1, polling=10, timeout=10_000
        )
    measured: list[float] = await page.evaluate("() => window.__taps")
    return measured


async def reopen(page: Page, times: int) -> list[float]:
    """Milliseconds from a reload of the logged-in tab to the till's buttons."""
    loads = []
    for _ in range(times):
        started = time.perf_counter()
        await page.reload()
        await page.wait_for_selector("button.tariff", state="visible")
        loads.append(1000 * (time.perf_counter() - started))
    return loads


async def queued_sync(context: BrowserContext, page: Page, count: int) -> float:
    """Seconds from the network's return to the last of `count` offline taps answered."""
    await context.set_offline(True)
    buttons = page.locator("button.tariff")
    for i in range(count):
        await buttons.nth(i % 4).click()
    await page.wait_for_selector(f"#unsent-count:has-text('{count} niet verzonden')")
    started = time.perf_counter()
    await context.set_offline(False)
    await page.wait_for_selector("#unsent-count", state="detached", timeout=120_000)
    return time.perf_counter() - started


def direct_sync(url: str, service_id: str, count: int) -> float:
    """Seconds to send `count` registrations one after the other over one connection."""
    token = mint_dev_token("kitchen_staff", [CENTRE], sub="bench-direct")
    with httpx.Client(base_url=url, timeout=30) as client:
        client.get("/health/live")
        started = time.perf_counter()
        for i in range(count):
            response = client.post(
                f"/services/{service_id}/registrations",
                json={"tariff": TARIFFS[i % 4], "tapped_at": dt.datetime.now(dt.UTC).isoformat()},
                headers={"Authorization": f"Bearer {token}", "Idempotency-Key": str(uuid.uuid4())},
            )
            response.raise_for_status()
        return time.perf_counter() - started


def ms(values: list[float], p: float) -> float:
    return percentile(values, p)


async def run(quick: bool) -> None:
    """Start meals, drive the till in chromium, print the figures."""
    loads = 3 if quick else 15
    tap_count = 10 if quick else 60
    queued = 20 if quick else 200
    async with Workspace(BENCH) as ws:
        meals = ws.start("meals", await ws.database("meals"))
        service_id = plan_today(meals.url)
        async with httpx.AsyncClient(timeout=10) as client:
            login_config = (await client.get(f"{meals.url}/kitchen/config.json")).json()
        async with chromium() as browser:
            log(f"{BENCH}: {loads} cold loads, from meals and from a plain static server")
            await cold_loads(browser, meals.url, 1)
            product_loads = await cold_loads(browser, meals.url, loads)
            with plain_static_server(login_config) as plain:
                plain_loads = await cold_loads(browser, plain, loads)
                bare_context = await browser.new_context()
                bare_page = await bare_context.new_page()
                await bare_page.goto(f"{plain}/bare/index.html")
                bare_taps = await taps(bare_page, tap_count, "#bare")
                await bare_context.close()
            async with logged_in(browser, meals.url) as (context, page):
                reopened = await reopen(page, loads)
                log(f"{BENCH}: {tap_count} taps online, {tap_count} offline")
                online = await taps(page, tap_count)
                await context.set_offline(True)
                offline = await taps(page, tap_count)
                await context.set_offline(False)
                await page.wait_for_selector("#unsent-count", state="detached", timeout=60_000)
                before = registered(meals.url, service_id)
                log(f"{BENCH}: {queued} taps queued offline, then the network back")
                synced = await queued_sync(context, page, queued)
                await asyncio.sleep(0.5)
                counted = registered(meals.url, service_id) - before
        log(f"{BENCH}: the same {queued} registrations sent directly")
        direct = direct_sync(meals.url, service_id, queued)

    report(
        BENCH,
        "first_load",
        "ms",
        statistics.median(product_loads),
        statistics.median(plain_loads),
        below(1000, "ms"),
        loads=loads,
        p99=round(ms(product_loads, 99), 1),
    )
    report(
        BENCH,
        "reopen_till",
        "ms",
        statistics.median(reopened),
        target=below(1000, "ms"),
        p99=round(ms(reopened, 99), 1),
    )
    for name, values in (("online", online), ("offline", offline)):
        report(BENCH, f"tap_{name}_p50", "ms", ms(values, 50), ms(bare_taps, 50))
        report(
            BENCH,
            f"tap_{name}_p99",
            "ms",
            ms(values, 99),
            ms(bare_taps, 99),
            below(100, "ms"),
            taps=len(values),
        )
    report(
        BENCH,
        f"sync_{queued}",
        "s",
        synced,
        direct,
        below(10, "s"),
        counted=counted,
        counted_once=counted == queued,
    )
    if counted != queued:
        raise AssertionError(f"{queued} taps synced, meals counts {counted}")
