"""Run the four services as local processes against the local RabbitMQ and PostgreSQL.

`make run` calls this: it checks that the broker and the database answer (and says what to start
if not), migrates every service's database (creating it), starts the services with their output
prefixed by name, and stops them all on Ctrl-C.
"""

import asyncio
import contextlib
import os
import signal
import sys

import aio_pika
import asyncpg

from buurtwerk_shared.config import PlatformSettings
from courses.settings import CoursesSettings
from meals.settings import MealsSettings
from reporting.settings import ReportingSettings
from volunteers.settings import VolunteersSettings

SERVICES = {
    "meals": MealsSettings,
    "volunteers": VolunteersSettings,
    "courses": CoursesSettings,
    "reporting": ReportingSettings,
}
COLOURS = {"meals": 32, "volunteers": 35, "courses": 34, "reporting": 33}


async def _check_servers() -> str | None:
    """None when both servers answer, else what to do about it."""
    amqp_url = PlatformSettings().amqp_url
    try:
        async with asyncio.timeout(5):
            connection = await aio_pika.connect(amqp_url)
            await connection.close()
    except Exception as exc:
        return (
            f"RabbitMQ does not answer at {amqp_url} ({exc!r}).\n"
            "Start it with `rabbitmq-server -detached` (Debian package rabbitmq-server), "
            "or set BUURTWERK_AMQP_URL."
        )
    database_url = MealsSettings().database_url.rsplit("/", 1)[0] + "/postgres"
    try:
        async with asyncio.timeout(5):
            conn = await asyncpg.connect(database_url)
            await conn.close()
    except Exception as exc:
        return (
            f"PostgreSQL does not answer at {database_url} ({exc!r}).\n"
            "Start it with `pg_ctlcluster --skip-systemctl-redirect <version> main start` "
            "(Debian package postgresql), or set MEALS_DATABASE_URL and the others."
        )
    return None


async def _relay(name: str, stream: asyncio.StreamReader) -> None:
    prefix = f"\x1b[{COLOURS[name]}m{name:<10}\x1b[0m| " if sys.stdout.isatty() else f"{name:<10}| "
    while line := await stream.readline():
        sys.stdout.write(prefix + line.decode(errors="replace"))
        sys.stdout.flush()


async def _migrate(name: str) -> None:
    process = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        name,
        "migrate",
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.STDOUT,
    )
    assert process.stdout is not None
    await _relay(name, process.stdout)
    if await process.wait() != 0:
        raise SystemExit(f"migrating {name} failed")


async def main() -> int:
    """Check, migrate, run; return the exit code."""
    if problem := await _check_servers():
        print(problem, file=sys.stderr)  # noqa: T201
        return 2
    for name in SERVICES:
        await _migrate(name)
    env = {**os.environ, "PYTHONUNBUFFERED": "1"}
    processes = {
        name: await asyncio.create_subprocess_exec(
            sys.executable,
            "-m",
            name,
            "serve",
            stdout=asyncio.subprocess.PIPE,
            stderr=asyncio.subprocess.STDOUT,
            env=env,
        )
        for name in SERVICES
    }
    relays = [asyncio.create_task(_relay(n, p.stdout)) for n, p in processes.items() if p.stdout]
    for name, settings in SERVICES.items():
        print(f"{name:<10}| http://127.0.0.1:{settings().http_port}/docs")  # noqa: T201
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(sig, stop.set)
    exited = [asyncio.create_task(p.wait()) for p in processes.values()]
    await asyncio.wait(
        [asyncio.create_task(stop.wait()), *exited], return_when=asyncio.FIRST_COMPLETED
    )
    for process in processes.values():
        if process.returncode is None:
            with contextlib.suppress(ProcessLookupError):
                process.send_signal(signal.SIGTERM)
    codes = await asyncio.gather(*(p.wait() for p in processes.values()))
    await asyncio.gather(*relays, return_exceptions=True)
    failed = [n for n, c in zip(processes, codes, strict=True) if c not in (0, -signal.SIGTERM)]
    return 1 if failed and not stop.is_set() else 0


if __name__ == "__main__":
    sys.exit(asyncio.run(main()))
