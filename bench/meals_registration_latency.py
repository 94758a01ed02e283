"""Latency of registering a served meal over HTTP, as a till sees it.

Starts a real `python -m meals serve` process on its own database and broker prefix, plans a
service, and times N registrations sent one after the other over a keep-alive connection (one
till), each with an `Idempotency-Key` and one in three with a diner card (from a pool of returning
diners). In the same run it times N raw single-row INSERT transactions on the same PostgreSQL, the
floor any durable write stands on, and reports the registration latency beside it. Finally it
waits until the outbox relay has published every event. Everything it creates is removed.

    uv run python bench/meals_registration_latency.py [--n 1000] [--tills 1]

Uses AMQP_URL and DATABASE_URL (an administrative URL) like the tests, else the local servers.
"""

import argparse
import asyncio
import contextlib
import datetime as dt
import os
import secrets
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator, Sequence
from multiprocessing.pool import ThreadPool
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit
from zoneinfo import ZoneInfo

import aio_pika
import asyncpg
import httpx

from buurtwerk_shared.messaging.topology import Topology
from buurtwerk_shared.web.auth import mint_dev_token

AMQP_URL = os.environ.get("AMQP_URL", "amqp://guest:guest@127.0.0.1:5672/")
ADMIN_URL = os.environ.get("DATABASE_URL", "postgresql://postgres@127.0.0.1:5432/postgres")
CENTRE = "mannenstraat"
TARIFFS = ("standard", "reduced", "child", "volunteer")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


def database_url(name: str) -> str:
    return urlunsplit(urlsplit(ADMIN_URL)._replace(path=f"/{name}"))


def percentile(sorted_values: Sequence[float], p: float) -> float:
    """Nearest-rank percentile of sorted values."""
    rank = max(1, round(p / 100 * len(sorted_values)))
    return sorted_values[rank - 1]


def summary(name: str, seconds: Sequence[float]) -> dict[str, float]:
    ms = sorted(s * 1000 for s in seconds)
    figures = {
        "p50": percentile(ms, 50),
        "p90": percentile(ms, 90),
        "p99": percentile(ms, 99),
        "max": ms[-1],
        "mean": statistics.fmean(ms),
    }
    print(
        f"{name:<34} n={len(ms):>5}  " + "  ".join(f"{k}={v:7.2f} ms" for k, v in figures.items())
    )
    return figures


@contextlib.contextmanager
def meals_process(env: dict[str, str], log: Path) -> Iterator[str]:
    """Migrate and serve meals; yield its URL; stop it with SIGTERM."""
    subprocess.run([sys.executable, "-m", "meals", "migrate"], env=env, check=True, timeout=120)
    with log.open("ab") as out:
        process = subprocess.Popen(
            [sys.executable, "-m", "meals", "serve"], env=env, stdout=out, stderr=out
        )
    url = f"http://127.0.0.1:{env['MEALS_HTTP_PORT']}"
    try:
        deadline = time.monotonic() + 30
        while True:
            if process.poll() is not None:
                raise RuntimeError(f"meals exited: see {log}")
            with contextlib.suppress(httpx.HTTPError):
                if httpx.get(f"{url}/health/ready", timeout=1).status_code == 200:
                    break
            if time.monotonic() > deadline:
                raise RuntimeError(f"meals not ready: see {log}")
            time.sleep(0.1)
        yield url
    finally:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(20)
        except subprocess.TimeoutExpired:
            process.kill()


def plan_service(client: httpx.Client, coordinator: dict[str, str]) -> str:
    today = dt.datetime.now(ZoneInfo("Europe/Brussels")).date()
    response = client.post(
        "/services",
        json={
            "centre_id": CENTRE,
            "kitchen_id": "mannenstraat-keuken",
            "date": today.isoformat(),
            "start_time": "00:00",
            "capacity": 1000,
            "prices": {"standard": 650, "reduced": 350, "child": 300, "volunteer": 0},
            "dishes": [{"name": "Stoofvlees met frietjes", "allergens": ["gluten", "mustard"]}],
        },
        headers=coordinator,
    )
    response.raise_for_status()
    service_id: str = response.json()["service_id"]
    return service_id


def registration(i: int) -> dict[str, object]:
    body: dict[str, object] = {"tariff": TARIFFS[i % 4], "takeaway": i % 3 == 2}
    if i % 3 == 0:
        body["diner_card"] = f"4711 {i % 200:04d} 0000"
    return body


def till(url: str, service_id: str, cook: dict[str, str], numbers: range) -> list[float]:
    """One till registering meals one after the other; the latency of each."""
    latencies = []
    with httpx.Client(base_url=url, timeout=10) as client:
        for i in numbers:
            headers = {**cook, "Idempotency-Key": f"bench-{i:06d}"}
            started = time.perf_counter()
            response = client.post(
                f"/services/{service_id}/registrations", json=registration(i), headers=headers
            )
            latencies.append(time.perf_counter() - started)
            if response.status_code != 201:
                raise RuntimeError(f"registration {i}: {response.status_code} {response.text}")
    return latencies


async def raw_inserts(url: str, n: int) -> list[float]:
    """N single-row INSERT transactions (each committed, fsync on) on the same server."""
    conn = await asyncpg.connect(url)
    try:
        await conn.execute("CREATE TABLE bench_raw (id uuid PRIMARY KEY, data jsonb NOT NULL)")
        latencies = []
        for i in range(n):
            started = time.perf_counter()
            await conn.execute(
                "INSERT INTO bench_raw VALUES (gen_random_uuid(), $1::jsonb)", f'{{"i": {i}}}'
            )
            latencies.append(time.perf_counter() - started)
        await conn.execute("DROP TABLE bench_raw")
        return latencies
    finally:
        await conn.close()


async def wait_until_published(url: str) -> float:
    """Seconds until the outbox has no unpublished event left (at most a minute)."""
    conn = await asyncpg.connect(url)
    try:
        started = time.perf_counter()
        async with asyncio.timeout(60):
            while True:
                if not await conn.fetchval(
                    "SELECT count(*) FROM outbox WHERE published_at IS NULL"
                ):
                    return time.perf_counter() - started
                await asyncio.sleep(0.05)
    finally:
        await conn.close()


async def admin(sql: str) -> None:
    conn = await asyncpg.connect(ADMIN_URL)
    try:
        await conn.execute(sql)
    finally:
        await conn.close()


async def delete_topology(topology: Topology) -> None:
    connection = await aio_pika.connect(AMQP_URL)
    try:
        for queue in (topology.archive_stream.name,):
            channel = await connection.channel()
            with contextlib.suppress(aio_pika.exceptions.AMQPError):
                await channel.queue_delete(queue)
        for exchange in (topology.events_exchange.name, topology.dead_letter_exchange.name):
            channel = await connection.channel()
            with contextlib.suppress(aio_pika.exceptions.AMQPError):
                await channel.exchange_delete(exchange)
    finally:
        await connection.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--n", type=int, default=1000, help="registrations to time")
    parser.add_argument("--warmup", type=int, default=50, help="registrations before timing")
    parser.add_argument("--tills", type=int, default=1, help="tills registering at once")
    args = parser.parse_args()

    run = secrets.token_hex(4)
    name = f"bw_bench_meals_{run}"
    topology = Topology(prefix=f"bench{run}.")
    env = {
        **os.environ,
        "MEALS_DATABASE_URL": database_url(name),
        "MEALS_HTTP_PORT": str(free_port()),
        "BUURTWERK_AMQP_URL": AMQP_URL,
        "BUURTWERK_TOPOLOGY_PREFIX": topology.prefix,
        "PYTHONUNBUFFERED": "1",
    }
    coordinator = {"Authorization": f"Bearer {mint_dev_token('centre_coordinator', [CENTRE])}"}
    cook = {"Authorization": f"Bearer {mint_dev_token('kitchen_staff', [CENTRE], sub='till')}"}
    log = Path(tempfile.gettempdir()) / f"{name}.log"
    print(f"machine: {os.cpu_count()} cores; python {sys.version.split()[0]}; log {log}")
    try:
        with meals_process(env, log) as url:
            with httpx.Client(base_url=url, timeout=10) as client:
                service_id = plan_service(client, coordinator)
            till(url, service_id, cook, range(args.warmup))
            per_till = args.n // args.tills
            started = time.perf_counter()
            with ThreadPool(args.tills) as pool:
                results = pool.map(
                    lambda t: till(
                        url,
                        service_id,
                        cook,
                        range(args.warmup + t * per_till, args.warmup + (t + 1) * per_till),
                    ),
                    range(args.tills),
                )
            elapsed = time.perf_counter() - started
            latencies = [latency for result in results for latency in result]
            drained = asyncio.run(wait_until_published(database_url(name)))
            raw = asyncio.run(raw_inserts(database_url(name), args.n))
        print()
        registered = summary(f"registration over HTTP ({args.tills} till)", latencies)
        floor = summary("raw INSERT + commit (asyncpg)", raw)
        print(
            f"\nthroughput: {len(latencies) / elapsed:.0f} registrations/s; outbox drained "
            f"{drained * 1000:.0f} ms after the last registration"
        )
        print(
            f"registration / raw commit: p50 {registered['p50'] / floor['p50']:.1f}x, "
            f"p99 {registered['p99'] / floor['p99']:.1f}x"
        )
    finally:
        asyncio.run(admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        asyncio.run(delete_topology(topology))


if __name__ == "__main__":
    main()
