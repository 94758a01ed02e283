"""End to end: from a registration's HTTP 201 at meals to the indicator that counts it, visible
in reporting's API, at 200 writes/s.

Real `meals` and `reporting` processes on their own databases and topology prefix. Registrations
(one meal each) go to today's services at a fixed rate; meanwhile a reader asks reporting for the
city's `meals.served` of the current month, back to back. The k-th registration to get its 201
is visible once a read answers a value of at least k; its latency is the moment that read's
answer arrived minus the moment of its 201 (a conservative figure: it includes the read itself).

Then, on the same reporting process, the delay of HACCP reminders from their due time to a
subscriber (`bench.reminders`).
"""

import asyncio
import datetime as dt
import time
from zoneinfo import ZoneInfo

import httpx

from bench.harness import Workspace, below, log, percentile, report, wait_until
from bench.http_load import fixed_rate
from bench.http_write import plan_services, registrations
from bench.reminders import delays
from buurtwerk_shared.web.auth import mint_dev_token

BENCH = "end_to_end"
RATE = 200.0


async def watch(url: str, period: str, until: asyncio.Event, seen: list[tuple[float, int]]) -> None:
    """Read the city's meals.served until told to stop, noting (answer time, value)."""
    token = mint_dev_token("analyst", ["all"])
    async with httpx.AsyncClient(base_url=url, timeout=10) as client:
        while not until.is_set():
            response = await client.get(
                "/indicators/meals.served",
                params={"period": period},
                headers={"Authorization": f"Bearer {token}"},
            )
            response.raise_for_status()
            seen.append((time.perf_counter(), int(response.json()["value"] or 0)))


def visibility(completions: list[float], seen: list[tuple[float, int]]) -> list[float]:
    """For each 201 in order, how long until a read counted it."""
    latencies = []
    reads = iter(seen)
    read_at, value = next(reads)
    for k, done in enumerate(sorted(completions), start=1):
        while value < k or read_at < done:
            read_at, value = next(reads)
        latencies.append(read_at - done)
    return latencies


async def run(quick: bool) -> None:
    """Registrations at 200/s with the indicator read back to back; then HACCP reminder delays."""
    seconds = 2.0 if quick else 12.0
    async with Workspace(BENCH) as ws:
        # Reporting first: its queue must be bound before meals publishes.
        reporting = ws.start("reporting", await ws.database("reporting"))
        meals = ws.start("meals", await ws.database("meals"))
        count = int(RATE * seconds)
        services = plan_services(meals.url, per_kitchen=1)
        month = dt.datetime.now(ZoneInfo("Europe/Brussels")).strftime("%Y-%m")
        log(f"{BENCH}: {count} registrations at {RATE:.0f}/s, reading the indicator")
        stop = asyncio.Event()
        seen: list[tuple[float, int]] = []
        watcher = asyncio.create_task(watch(reporting.url, month, stop, seen))
        load = await fixed_rate(
            "127.0.0.1", meals.port, registrations(services, "e"), RATE, seconds
        )

        async def all_counted() -> bool:
            if watcher.done():
                watcher.result()  # a failed reader fails the benchmark
            return bool(seen) and seen[-1][1] >= len(load.completions)

        await wait_until(all_counted, within=60, interval=0.1)
        stop.set()
        await watcher
        spread, window, burst = (20, 3.0, 0) if quick else (100, 10.0, 100)
        log(f"{BENCH}: HACCP reminders, {spread} over {window:.0f} s and {burst} due at once")
        connection = await ws.connect()
        reminders = await delays(connection, ws.namespace, spread, window, burst)
    latencies = visibility(load.completions, seen)
    report(BENCH, "p50_201_to_indicator", "ms", 1000 * percentile(latencies, 50), writes=count)
    report(
        BENCH,
        "p95_201_to_indicator",
        "ms",
        1000 * percentile(latencies, 95),
        target=below(500, "ms"),
        writes=count,
        rate=RATE,
    )
    for load_name, expected in (("spread", spread), ("burst", burst)):
        if expected:
            values = [1000 * v for v in reminders[load_name]] or [float("nan")]
            for p in (95, 99):
                report(
                    BENCH,
                    f"haccp_reminder_{load_name}_p{p}",
                    "ms",
                    percentile(values, p),
                    reminders=len(reminders[load_name]),
                    expected=expected,
                )
