"""Memory: the peak resident memory (VmHWM) of each service under the benchmarks' loads.

Every service process a benchmark starts has its peak read just before it is stopped (the rebuild
command's from its resource usage at exit); this reports the highest per service over the run.
Volunteers and courses carry no load in the other benchmarks, and a service this run has not
started yet (memory run on its own) gets one here: the four services together, loaded with the
demo data through their APIs (`deploy.local.demo`; not in the quick run), then 300
registrations/s at meals.
"""

import datetime as dt

from bench.harness import PEAK_RSS_MB, Workspace, below, log, report
from bench.http_load import fixed_rate
from bench.http_write import plan_services, registrations
from deploy.local.demo.days import BRUSSELS
from deploy.local.demo.loader import load

BENCH = "memory"
SERVICES = ("meals", "volunteers", "courses", "reporting")


async def load_all_four(seconds: float, demo: bool) -> None:
    """The four services under the demo load (if asked) and meals registrations."""
    async with Workspace(BENCH) as ws:
        processes = {}
        for name in ("reporting", "meals", "volunteers", "courses"):
            processes[name] = ws.start(name, await ws.database(name))
        if demo:
            log(f"{BENCH}: loading the demo data into the four services")
            await load({name: p.url for name, p in processes.items()}, dt.datetime.now(BRUSSELS))
        services = plan_services(processes["meals"].url, per_kitchen=1)
        port = processes["meals"].port
        await fixed_rate("127.0.0.1", port, registrations(services, "m"), 300, seconds)


async def run(quick: bool) -> None:
    """Report each service's peak; load the ones this run has not measured."""
    if any(name not in PEAK_RSS_MB for name in ("volunteers", "courses")):
        await load_all_four(2.0 if quick else 10.0, demo=not quick)
    for name in (*SERVICES, "reporting rebuild"):
        if name in PEAK_RSS_MB:
            report(
                BENCH,
                f"peak_rss_{name.replace(' ', '_')}",
                "MB",
                PEAK_RSS_MB[name],
                target=below(150, "MB"),
            )
