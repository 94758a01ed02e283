"""What every benchmark shares: a private workspace on the shared servers, service processes and
their peak memory, the JSON lines of the figures, and small timing helpers.

A `Workspace` creates the databases and the topology prefix of one benchmark and removes them
afterwards, whatever happens; the services it starts are real `python -m <service> serve`
processes. Figures go to standard output, one JSON line each; progress goes to standard error.
"""

import asyncio
import contextlib
import importlib
import json
import math
import os
import secrets
import socket
import subprocess
import sys
import time
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from types import TracebackType
from typing import Self

import aio_pika
import asyncpg
from aio_pika.abc import AbstractChannel, AbstractRobustConnection

from buurtwerk_shared.db.migrations import migrate
from tests.support.apps import ServiceProcess
from tests.support.broker import TEST_PUBLISHERS, BrokerNamespace
from tests.support.databases import database_url

AMQP_URL = os.environ.get("AMQP_URL", "amqp://guest:guest@127.0.0.1:5672/")
ADMIN_URL = os.environ.get("DATABASE_URL", "postgresql://postgres@127.0.0.1:5432/postgres")
STARTED = time.monotonic()

# The highest peak resident memory seen for each service in this run, in MB.
PEAK_RSS_MB: dict[str, float] = {}


def log(message: str) -> None:
    """Progress on standard error (standard output carries only the figures)."""
    print(f"[bench {time.monotonic() - STARTED:6.1f}s] {message}", file=sys.stderr, flush=True)


@dataclass(frozen=True)
class Target:
    """What a figure should reach: a ratio to its baseline, or a bound on its value."""

    text: str
    met: Callable[[float, float | None], bool]


def ratio_at_least(ratio: float) -> Target:
    """The figure should be at least `ratio` times its baseline."""

    def met(value: float, baseline: float | None) -> bool:
        return bool(baseline) and value / baseline >= ratio  # type: ignore[operator]

    return Target(f">= {ratio} x baseline", met)


def below(limit: float, unit: str) -> Target:
    """The figure should stay under `limit`."""
    return Target(f"< {limit:g} {unit}", lambda value, _base: value < limit)


def report(
    bench: str,
    figure: str,
    unit: str,
    value: float,
    baseline: float | None = None,
    target: Target | None = None,
    **details: object,
) -> None:
    """Print one figure as a JSON line; the ratio where a baseline exists."""
    line: dict[str, object] = {
        "bench": bench,
        "figure": figure,
        "unit": unit,
        "value": _round(value),
    }
    if baseline is not None:
        line["baseline"] = _round(baseline)
        line["ratio"] = round(value / baseline, 3) if baseline else None
    if target is not None:
        line["target"] = target.text
        line["met"] = target.met(value, baseline)
    line.update(details)
    print(json.dumps(line), flush=True)


def _round(value: float) -> float:
    return round(value, 1) if abs(value) >= 10 else round(value, 3)


def percentile(values: Sequence[float], p: float) -> float:
    """Nearest-rank percentile."""
    ordered = sorted(values)
    return ordered[max(0, min(len(ordered) - 1, math.ceil(p / 100 * len(ordered)) - 1))]


def peak_rss_mb(pid: int) -> float | None:
    """The peak resident set size of a running process (VmHWM), in MB."""
    with contextlib.suppress(OSError):
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    return None


def cpu_seconds(pid: int) -> float:
    """CPU time (user and system) a process has used so far."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def record_peak(name: str, megabytes: float | None) -> None:
    """Keep the highest peak memory seen for a service."""
    if megabytes is not None:
        PEAK_RSS_MB[name] = max(PEAK_RSS_MB.get(name, 0.0), megabytes)


async def wait_until(
    predicate: Callable[[], Awaitable[bool]], within: float, interval: float = 0.05
) -> None:
    """Poll `predicate()` until it holds; TimeoutError after `within` seconds."""
    deadline = time.monotonic() + within
    while not await predicate():
        if time.monotonic() > deadline:
            raise TimeoutError(f"not reached within {within:.0f}s")
        await asyncio.sleep(interval)


async def queue_depth(channel: AbstractChannel, name: str) -> int:
    """How many messages wait in a queue."""
    # On the channel underneath: a robust channel answers a repeated declaration from its cache.
    underlay = await channel.get_underlay_channel()
    declared = await underlay.queue_declare(name, passive=True)
    return int(declared.message_count or 0)


def migrations_of(service: str) -> Path:
    """The migrations directory of a service."""
    module = importlib.import_module(f"{service}.service")
    path: Path = module.definition().migrations
    return path


class Workspace:
    """One benchmark's databases, topology prefix and service processes, removed on exit."""

    def __init__(self, bench: str) -> None:
        self.run = secrets.token_hex(3)
        self.bench = bench
        self.namespace = BrokerNamespace(AMQP_URL, prefix=f"bench-{bench}-")
        self.topology = self.namespace.topology
        self._databases: list[str] = []
        self._services: list[ServiceProcess] = []
        self._connections: list[AbstractRobustConnection] = []

    async def __aenter__(self) -> Self:
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self.close()

    async def connect(self) -> AbstractRobustConnection:
        """A broker connection, closed with the workspace."""
        connection = await aio_pika.connect_robust(AMQP_URL)
        self._connections.append(connection)
        return connection

    async def database(self, service: str, migrated: bool = True) -> str:
        """A new database for a service (migrated unless told otherwise); its URL."""
        name = f"bw_bench_{self.bench}_{service}_{self.run}_{len(self._databases)}"
        self._databases.append(name)
        url = database_url(ADMIN_URL, name)
        if migrated:
            # Alembic runs its own event loop: give it a thread.
            await asyncio.to_thread(migrate, url, migrations_of(service))
        else:
            await admin(f'CREATE DATABASE "{name}"')
        return url

    def env(self, **extra: str) -> dict[str, str]:
        """The environment of a service process in this workspace."""
        return {
            "BUURTWERK_AMQP_URL": AMQP_URL,
            # The bench's one broker user publishes every source's events.
            "BUURTWERK_PUBLISHER_ACCOUNTS": json.dumps(TEST_PUBLISHERS),
            "BUURTWERK_TOPOLOGY_PREFIX": self.topology.prefix,
            "BUURTWERK_LOG_LEVEL": "WARNING",
            **extra,
        }

    def start(self, service: str, database: str, **env: str) -> ServiceProcess:
        """Start `python -m <service> serve` on a database; wait until it is ready."""
        process = ServiceProcess(
            service, self.env(**{f"{service.upper()}_DATABASE_URL": database}, **env)
        )
        self._services.append(process)
        self.namespace.track_service_queues()
        process.start(timeout=60)
        return process

    def start_baseline_server(self, database: str) -> "BaselineServer":
        """Start `bench.baseline_server` on a database; wait until it answers."""
        server = BaselineServer(database)
        self._services.append(server)
        server.start(timeout=60)
        return server

    def stop(self, process: ServiceProcess) -> None:
        """Stop a service, keeping its peak memory."""
        if process in self._services:
            self._services.remove(process)
        if process.pid is not None:
            record_peak(process.name, peak_rss_mb(process.pid))
        code = process.stop()
        if code not in (0, -15):
            log(f"{process.name} exited with {code}: see {process.log_path}")

    async def close(self) -> None:
        """Stop the services, then remove the topology and the databases."""
        for process in list(self._services):
            self.stop(process)
        for connection in self._connections:
            with contextlib.suppress(Exception):
                await connection.close()
        await self.namespace.delete()
        for name in self._databases:
            await admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


async def admin(sql: str) -> None:
    """Run one statement on the administrative database."""
    conn = await asyncpg.connect(ADMIN_URL)
    try:
        await conn.execute(sql)
    finally:
        await conn.close()


def throughput(count: int, seconds: float) -> float:
    """Items per second."""
    return count / seconds if seconds > 0 else 0.0


class BaselineServer(ServiceProcess):
    """`python -m bench.baseline_server`, run and stopped like a service."""

    def __init__(self, database: str) -> None:
        super().__init__("baseline", {"BENCH_DATABASE_URL": database})
        self.env["BENCH_PORT"] = str(self.port)

    def start(self, timeout: float = 30.0) -> None:
        """Start the server and wait until it answers."""
        log_file = self.log_path.open("ab")
        self._process = subprocess.Popen(
            [sys.executable, "-m", "bench.baseline_server"],
            env=self.env,
            stdout=log_file,
            stderr=log_file,
        )
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            with contextlib.suppress(OSError):
                socket.create_connection(("127.0.0.1", self.port), timeout=1).close()
                return
            time.sleep(0.1)
        raise RuntimeError(f"baseline server not up within {timeout}s: see {self.log_path}")
