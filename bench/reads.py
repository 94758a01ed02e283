"""Reads: one indicator value, and the council's CSV report, on 5 years x 20 centres of data.

The projections are filled with five years of the bench city's mixed events (`bench.events`,
twenty centres), applied in large batches by the real projection code (`project.apply`) straight
on the database, without the broker: the data a reporting database holds after five years. Then
a real `python -m reporting serve` answers: `GET /indicators/{id}` for a random mix of every
computed indicator, centre (or the city) and period of every granularity, computed from the
projections (nothing has been published yet, so every read computes), and `GET /report.csv` for
the five years by quarter.
"""

import datetime as dt
import random
import statistics
import time
from itertools import islice

import httpx

from bench.events import CityDays, received
from bench.harness import Workspace, below, log, percentile, report
from buurtwerk_shared.db.pool import create_pool
from buurtwerk_shared.reference import reference_data
from buurtwerk_shared.web.auth import mint_dev_token
from reporting.indicators.periods import GRANULARITIES, period_of
from reporting.indicators.registry import COMPUTATIONS
from reporting.projections.project import apply

BENCH = "reads"
APPLY_BATCH = 5000


async def fill(database: str, first: dt.date, last: dt.date) -> int:
    """Apply the city's events from `first` to `last` to the projections; how many."""
    # A pool's connection: with the JSON codecs the projections expect.
    pool = await create_pool(database, 1)
    applied = 0
    try:
        days = iter(CityDays(first, last))
        while True:
            batch = list(islice(days, APPLY_BATCH))
            if not batch:
                return applied
            async with pool.acquire() as conn, conn.transaction():
                await apply(conn, received(batch), None)
            applied += len(batch)
    finally:
        await pool.close()


async def run(quick: bool) -> None:
    """Fill five years (a quarter when quick), time the reads, print the figures."""
    last = dt.date.today()
    years = 0.25 if quick else 5.0
    first = last - dt.timedelta(days=round(365.25 * years))
    requests = 100 if quick else 600
    async with Workspace(BENCH) as ws:
        database = await ws.database("reporting")
        centres = reference_data().codes("centres")
        log(f"{BENCH}: applying {first} to {last} for {len(centres)} centres")
        started = time.perf_counter()
        events = await fill(database, first, last)
        log(f"{BENCH}: {events} events applied in {time.perf_counter() - started:.0f}s")
        reporting = ws.start("reporting", database)
        rng = random.Random(7)
        headers = {"Authorization": f"Bearer {mint_dev_token('analyst', ['all'])}"}
        indicators = sorted(COMPUTATIONS)
        days = (last - first).days
        latencies: list[float] = []
        async with httpx.AsyncClient(
            base_url=reporting.url, timeout=120, headers=headers
        ) as client:
            for i in range(requests + 50):
                indicator = rng.choice(indicators)
                day = first + dt.timedelta(days=rng.randrange(days))
                period = period_of(day, rng.choice(GRANULARITIES)).label
                centre = rng.choice((None, *centres))
                params = {"period": period} | ({"centre_id": centre} if centre else {})
                sent = time.perf_counter()
                response = await client.get(f"/indicators/{indicator}", params=params)
                response.raise_for_status()
                if i >= 50:  # the first reads warm the caches
                    latencies.append(time.perf_counter() - sent)
            csv_seconds = []
            for _ in range(1 if quick else 3):
                sent = time.perf_counter()
                response = await client.get(
                    "/report.csv",
                    params={"granularity": "quarter", "from": str(first), "to": str(last)},
                )
                response.raise_for_status()
                csv_seconds.append(time.perf_counter() - sent)
        rows = response.text.count("\n")
    ms = [1000 * s for s in latencies]
    report(BENCH, "indicator_p50", "ms", percentile(ms, 50), reads=len(ms), events=events)
    report(
        BENCH,
        "indicator_p95",
        "ms",
        percentile(ms, 95),
        target=below(50, "ms"),
        reads=len(ms),
        events=events,
    )
    report(BENCH, "report_csv_quarters", "s", statistics.median(csv_seconds), rows=rows)
