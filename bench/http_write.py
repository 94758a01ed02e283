"""HTTP write: meal registrations/s and latency: one till, a fixed 300 requests/s, saturation.

The product is a real `python -m meals serve`: token check, validation, the service locked and
its capacity read, the diner card turned into a pseudonym, the registration, its outbox row, its
audit row and the idempotency key in one transaction, and the relay publishing the events. The
baseline is `bench.baseline_server` on the same kind of server and the same database, doing only
the registration, outbox and audit inserts in one transaction. Both get the same requests from
the same load generator (`bench.http_load`): one in three with a diner card, each with its own
`Idempotency-Key`, spread over services planned today at every kitchen of the bench city.
"""

import datetime as dt
import json
from collections.abc import Callable
from zoneinfo import ZoneInfo

import httpx

from bench.harness import Workspace, below, log, percentile, ratio_at_least, report
from bench.http_load import LoadResult, Request, fixed_rate, saturate
from buurtwerk_shared.reference import reference_data
from buurtwerk_shared.web.auth import mint_dev_token

BENCH = "http_write"
TARIFFS = ("standard", "reduced", "child", "volunteer")
FIXED_RATE = 300.0
CONCURRENCY = 16
# A till registering one meal after the other, as the latency figure asks.
ONE_TILL_REQUESTS = 1000


def plan_services(url: str, per_kitchen: int = 2) -> list[str]:
    """Plan services for today at every kitchen (capacity 1,000 each); their ids."""
    kitchens = reference_data().kitchens
    token = mint_dev_token("centre_coordinator", [k.centre for k in kitchens])
    today = dt.datetime.now(ZoneInfo("Europe/Brussels")).date()
    ids = []
    with httpx.Client(base_url=url, timeout=30) as client:
        for kitchen in kitchens:
            for n in range(per_kitchen):
                response = client.post(
                    "/services",
                    headers={"Authorization": f"Bearer {token}"},
                    json={
                        "centre_id": kitchen.centre,
                        "kitchen_id": kitchen.id,
                        "date": today.isoformat(),
                        "start_time": f"{n:02d}:00",
                        "capacity": 1000,
                        "prices": {"standard": 650, "reduced": 350, "child": 300, "volunteer": 0},
                        "dishes": [{"name": "Stoofvlees", "allergens": ["gluten"]}],
                    },
                )
                response.raise_for_status()
                ids.append(response.json()["service_id"])
    return ids


def registrations(services: list[str], run: str) -> Callable[[int], Request]:
    """Request number i: a registration at the till, as `bench.http_load` sends it."""
    centres = sorted({k.centre for k in reference_data().kitchens})
    auth = f"Bearer {mint_dev_token('kitchen_staff', centres, sub='till')}"

    def make(i: int) -> Request:
        body: dict[str, object] = {"tariff": TARIFFS[i % 4], "takeaway": i % 5 == 4}
        if i % 3 == 0:
            body["diner_card"] = f"4711 {i % 500:04d} 0000"
        path = f"/services/{services[i % len(services)]}/registrations"
        headers = {"Authorization": auth, "Idempotency-Key": f"bench-{run}-{i}"}
        return path, json.dumps(body).encode(), headers

    return make


async def measure(
    port: int, make: Callable[[int], Request], seconds: float, till_requests: int
) -> dict[str, LoadResult]:
    """Warm up, then one till back to back, a fixed-rate phase and a saturation phase."""
    await fixed_rate("127.0.0.1", port, make, 100, 1.0)
    one_till = await saturate(
        "127.0.0.1", port, make, 1, 120.0, first=3 * 10**6, requests=till_requests
    )
    at_rate = await fixed_rate("127.0.0.1", port, lambda i: make(10**6 + i), FIXED_RATE, seconds)
    saturated = await saturate("127.0.0.1", port, make, CONCURRENCY, seconds, first=2 * 10**6)
    return {"one_till": one_till, "fixed": at_rate, "saturated": saturated}


def ms(values: list[float], p: float) -> float:
    """A percentile in milliseconds."""
    return 1000 * percentile(values, p)


async def run(quick: bool) -> None:
    """Measure meals and the baseline with the same load; print the figures."""
    seconds = 2.0 if quick else 12.0
    till_requests = 100 if quick else ONE_TILL_REQUESTS
    async with Workspace(BENCH) as ws:
        database = await ws.database("meals")
        meals = ws.start("meals", database)
        services = plan_services(meals.url)
        log(f"{BENCH}: meals, {FIXED_RATE:.0f} req/s then {CONCURRENCY} clients")
        product = await measure(meals.port, registrations(services, "p"), seconds, till_requests)
        ws.stop(meals)
        log(f"{BENCH}: the baseline server")
        server = ws.start_baseline_server(database)
        baseline = await measure(server.port, registrations(services, "b"), seconds, till_requests)
        ws.stop(server)

    till, base_till = product["one_till"], baseline["one_till"]
    for p in (50, 99):
        report(
            BENCH,
            f"p{p}_one_till",
            "ms",
            ms(till.latencies, p),
            ms(base_till.latencies, p),
            registrations=len(till.latencies),
        )
    fixed, base_fixed = product["fixed"], baseline["fixed"]
    saturated, base_saturated = product["saturated"], baseline["saturated"]
    report(
        BENCH,
        "rate_at_300",
        "req/s",
        fixed.rate,
        base_fixed.rate,
        ratio_at_least(0.7),
    )
    report(BENCH, "p50_at_300", "ms", ms(fixed.latencies, 50), ms(base_fixed.latencies, 50))
    report(
        BENCH,
        "p99_at_300",
        "ms",
        ms(fixed.latencies, 99),
        ms(base_fixed.latencies, 99),
        below(50, "ms"),
    )
    report(
        BENCH,
        "saturation",
        "req/s",
        saturated.rate,
        base_saturated.rate,
        ratio_at_least(0.7),
        clients=CONCURRENCY,
    )
    report(
        BENCH, "p50_saturated", "ms", ms(saturated.latencies, 50), ms(base_saturated.latencies, 50)
    )
    report(
        BENCH, "p99_saturated", "ms", ms(saturated.latencies, 99), ms(base_saturated.latencies, 99)
    )
