"""A small HTTP/1.1 load generator: keep-alive connections, open-loop fixed rate or saturation.

Written on asyncio streams rather than a full client so that the load generator, which shares the
two cores with the servers it measures, costs as little as possible. At a fixed rate a request's
latency is counted from the moment it was due, so a server that falls behind is not hidden by
requests that were sent late (coordinated omission).
"""

import asyncio
import time
from collections.abc import Callable
from dataclasses import dataclass, field

# A request: path, JSON body and extra headers.
Request = tuple[str, bytes, dict[str, str]]


class HttpError(Exception):
    """A response other than the expected status."""


class Connection:
    """One keep-alive connection to a local server."""

    def __init__(self, host: str, port: int) -> None:
        self._host, self._port = host, port
        self._reader: asyncio.StreamReader | None = None
        self._writer: asyncio.StreamWriter | None = None

    async def post(self, request: Request) -> tuple[int, bytes]:
        """POST one request; its status and body."""
        if self._writer is None:
            self._reader, self._writer = await asyncio.open_connection(self._host, self._port)
        assert self._reader is not None
        path, body, headers = request
        head = "".join(f"{k}: {v}\r\n" for k, v in headers.items())
        self._writer.write(
            f"POST {path} HTTP/1.1\r\nHost: {self._host}\r\nContent-Type: application/json\r\n"
            f"Content-Length: {len(body)}\r\n{head}\r\n".encode()
            + body
        )
        response_head = await self._reader.readuntil(b"\r\n\r\n")
        lines = response_head.decode("latin-1").split("\r\n")
        status = int(lines[0].split(" ", 2)[1])
        length = next(
            (
                int(line.split(":", 1)[1])
                for line in lines
                if line.lower().startswith("content-length:")
            ),
            0,
        )
        return status, await self._reader.readexactly(length)

    async def close(self) -> None:
        """Close the connection."""
        if self._writer is not None:
            self._writer.close()
            self._writer = None


@dataclass
class LoadResult:
    """What a load phase measured."""

    seconds: float
    latencies: list[float] = field(default_factory=list)
    completions: list[float] = field(default_factory=list)

    @property
    def rate(self) -> float:
        """Completed requests per second."""
        return len(self.latencies) / self.seconds if self.seconds else 0.0


async def fixed_rate(
    host: str,
    port: int,
    make: Callable[[int], Request],
    rate: float,
    seconds: float,
    connections: int = 64,
    expected: int = 201,
) -> LoadResult:
    """Send `rate` requests per second for `seconds`; latency counted from each due time."""
    idle: asyncio.Queue[Connection] = asyncio.Queue()
    for _ in range(connections):
        idle.put_nowait(Connection(host, port))
    result = LoadResult(seconds)
    total = int(rate * seconds)
    start = time.perf_counter() + 0.05
    failures: list[BaseException] = []

    async def one(i: int, due: float) -> None:
        conn = await idle.get()
        try:
            status, body = await conn.post(make(i))
            if status != expected:
                raise HttpError(f"{status}: {body[:300]!r}")
            done = time.perf_counter()
            result.latencies.append(done - due)
            result.completions.append(done)
        except BaseException as exc:
            failures.append(exc)
        finally:
            idle.put_nowait(conn)

    tasks = []
    for i in range(total):
        due = start + i / rate
        delay = due - time.perf_counter()
        if delay > 0:
            await asyncio.sleep(delay)
        tasks.append(asyncio.create_task(one(i, due)))
    await asyncio.gather(*tasks)
    result.seconds = time.perf_counter() - start
    while not idle.empty():
        await idle.get_nowait().close()
    if failures:
        raise failures[0]
    return result


async def saturate(
    host: str,
    port: int,
    make: Callable[[int], Request],
    concurrency: int,
    seconds: float,
    first: int = 0,
    expected: int = 201,
    requests: int = 10**9,
) -> LoadResult:
    """`concurrency` clients sending back to back for `seconds` or `requests` in all."""
    result = LoadResult(seconds)
    counter = iter(range(first, first + requests))
    deadline = time.perf_counter() + seconds

    async def client() -> None:
        conn = Connection(host, port)
        try:
            while time.perf_counter() < deadline and (i := next(counter, None)) is not None:
                sent = time.perf_counter()
                status, body = await conn.post(make(i))
                if status != expected:
                    raise HttpError(f"{status}: {body[:300]!r}")
                done = time.perf_counter()
                result.latencies.append(done - sent)
                result.completions.append(done)
        finally:
            await conn.close()

    started = time.perf_counter()
    await asyncio.gather(*(client() for _ in range(concurrency)))
    result.seconds = time.perf_counter() - started
    return result
