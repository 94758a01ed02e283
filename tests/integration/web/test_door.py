"""Limits at the door, against a real `python -m meals serve` over real sockets: a head larger
than the cap is refused at once, a client too slow to send its request is cut off, a process
takes no more connections than its cap, and all the while the service answers `/health/ready`
within a second."""

import asyncio
import contextlib
import time
from collections.abc import AsyncIterator, Callable
from typing import Any

import asyncpg
import httpx
import pytest

from buurtwerk_shared.config import HttpLimits
from tests.support.apps import ServiceProcess
from tests.support.broker import BrokerNamespace
from tests.support.databases import database_url
from tests.support.servers import Servers

Start = Callable[..., Any]


@pytest.fixture
async def meals_process(servers: Servers, namespace: BrokerNamespace) -> AsyncIterator[Start]:
    """Start meals as a process with the given environment (one database for all)."""
    name = f"bw_door_meals_{namespace.topology.prefix.strip('.')}"
    namespace.track_service_queues()
    started: list[ServiceProcess] = []

    def start(**env: str) -> ServiceProcess:
        process = ServiceProcess(
            "meals",
            {
                "MEALS_DATABASE_URL": database_url(servers.database_url, name),
                "BUURTWERK_AMQP_URL": servers.amqp_url,
                "BUURTWERK_TOPOLOGY_PREFIX": namespace.topology.prefix,
                **env,
            },
        )
        if not started:
            process.migrate()
        process.start()
        started.append(process)
        return process

    try:
        yield start
    finally:
        for process in started:
            process.stop()
        conn = await asyncpg.connect(servers.database_url)
        try:
            await conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        finally:
            await conn.close()


async def _answer(reader: asyncio.StreamReader, within: float) -> bytes:
    """Everything the server sends until it closes the connection."""
    return await asyncio.wait_for(reader.read(), within)


async def _ready_times(url: str, stop: asyncio.Event) -> list[float]:
    """How long `/health/ready` takes, asked again and again until `stop`."""
    times = []
    async with httpx.AsyncClient(base_url=url, timeout=5) as client:
        while not stop.is_set():
            sent = time.monotonic()
            response = await client.get("/health/ready")
            assert response.status_code == 200
            times.append(time.monotonic() - sent)
            await asyncio.sleep(0.2)
    return times


async def _slow_head(port: int) -> tuple[float, bytes]:
    """A client sending its headers a byte at a time: when it was cut off, and what it got."""
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    started = time.monotonic()
    try:
        writer.write(b"GET /services HTTP/1.1\r\nHost: meals\r\n")
        for byte in b"Authorization: Bearer " + b"x" * 200:
            if reader.at_eof():
                break
            writer.write(bytes([byte]))
            with contextlib.suppress(ConnectionError):
                await writer.drain()
            with contextlib.suppress(TimeoutError):
                data = await asyncio.wait_for(reader.read(), 0.5)
                return time.monotonic() - started, data
        return time.monotonic() - started, b""
    finally:
        writer.close()


async def _slow_body(port: int) -> tuple[float, bytes]:
    """A client sending its head at once and its body a byte at a time."""
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    started = time.monotonic()
    try:
        writer.write(
            b"POST /services HTTP/1.1\r\nHost: meals\r\nContent-Type: application/json\r\n"
            b"Content-Length: 500\r\n\r\n{"
        )
        for _ in range(499):
            writer.write(b" ")
            with contextlib.suppress(ConnectionError):
                await writer.drain()
            with contextlib.suppress(TimeoutError):
                data = await asyncio.wait_for(reader.read(), 0.5)
                return time.monotonic() - started, data
        return time.monotonic() - started, b""
    finally:
        writer.close()


async def _huge_header(port: int) -> tuple[float, bytes]:
    """A 1 MB Authorization header, sent at once."""
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    started = time.monotonic()
    try:
        writer.write(
            b"GET /services HTTP/1.1\r\nHost: meals\r\nAuthorization: Bearer "
            + b"x" * 1_048_576
            + b"\r\n\r\n"
        )
        with contextlib.suppress(ConnectionError):
            await writer.drain()
        return time.monotonic() - started, await _answer(reader, 10)
    finally:
        writer.close()


async def test_hostile_requests_are_cut_off_and_the_service_stays_ready(
    meals_process: Start,
) -> None:
    defaults = HttpLimits()
    assert defaults.read_seconds <= 30 and defaults.max_header_bytes < 1_048_576
    meals = meals_process()
    stop = asyncio.Event()
    health = asyncio.create_task(_ready_times(meals.url, stop))
    try:
        (huge_s, huge), (head_s, head), (body_s, body) = await asyncio.gather(
            _huge_header(meals.port), _slow_head(meals.port), _slow_body(meals.port)
        )
    finally:
        stop.set()
    times = await health
    assert huge.startswith(b"HTTP/1.1 431 "), huge[:100]
    assert b"larger than 32768 bytes" in huge
    assert b"x-content-type-options: nosniff" in huge and b"frame-ancestors 'none'" in huge
    assert huge_s < 2, "refused at once"
    assert head.startswith(b"HTTP/1.1 408 "), head[:100]
    assert body.startswith(b"HTTP/1.1 408 "), body[:100]
    for cut in (head_s, body_s):
        assert defaults.read_seconds - 1 < cut < 30, "cut off at the deadline, within 30 s"
    assert len(times) > 20 and max(times) < 1.0, times
    async with httpx.AsyncClient(base_url=meals.url) as client:
        assert (await client.get("/health/ready")).status_code == 200


async def test_a_process_takes_no_more_connections_than_its_cap(meals_process: Start) -> None:
    meals = meals_process(BUURTWERK_HTTP__MAX_CONNECTIONS="10", BUURTWERK_HTTP__READ_SECONDS="3")
    idle = [await asyncio.open_connection("127.0.0.1", meals.port) for _ in range(10)]
    try:
        for _, writer in idle:
            writer.write(b"GET /health/live HTTP/1.1\r\nHost: meals\r\n")
        await asyncio.sleep(0.3)
        async with httpx.AsyncClient(base_url=meals.url, timeout=5) as client:
            sent = time.monotonic()
            full = await client.get("/health/live")
            assert full.status_code == 503 and time.monotonic() - sent < 1, "at once"
            # The idle ones are cut off at the read deadline; the process answers again.
            answers = [await _answer(reader, 5) for reader, _ in idle]
            assert all(a.startswith(b"HTTP/1.1 408 ") for a in answers), answers[0]
            for _, writer in idle:
                writer.close()
            await asyncio.sleep(0.3)
            assert (await client.get("/health/ready")).status_code == 200
    finally:
        for _, writer in idle:
            writer.close()
