"""Run the four services: as local processes, or with Docker Compose where only Docker is there.

`make run` calls this. When the local RabbitMQ and PostgreSQL answer, it migrates every service's
database (creating it), starts the services as processes with their output prefixed by name, and
stops them all on Ctrl-C. When they do not answer but a Docker engine does, it brings the compose
stack in `deploy/` up instead. When neither, it stops at once and says what to install.

The services' own variables are honoured (`<SERVICE>_HTTP_PORT`, `<SERVICE>_DATABASE_URL`,
`BUURTWERK_AMQP_URL`, `BUURTWERK_TOPOLOGY_PREFIX`, ...): the processes inherit the environment.
`BUURTWERK_AMQP_URL` is the administrator's (guest on a development broker): with it, and
`rabbitmqctl`, `make run` creates each service's development account with its least privileges
(`messaging.accounts`; under a topology prefix, the accounts' names carry it too) and starts each
service as its own account, never as guest.
"""

import asyncio
import contextlib
import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
from enum import Enum
from pathlib import Path
from urllib.parse import quote, unquote, urlsplit, urlunsplit

import aio_pika
import asyncpg

from buurtwerk_shared.config import PlatformSettings
from buurtwerk_shared.contracts.events import operations
from buurtwerk_shared.contracts.publishers import SERVICE_ACCOUNTS
from buurtwerk_shared.messaging.accounts import service_definitions, service_of
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
COLOURS = {"meals": 32, "volunteers": 35, "courses": 34, "reporting": 33, "mail": 36}
# The development mail catcher's page (its SMTP port is the services' BUURTWERK_MAIL__SMTP_PORT).
MAIL_CATCHER_HTTP_PORT = int(os.environ.get("MAIL_CATCHER_HTTP_PORT", "8025"))
DEPLOY = Path(__file__).resolve().parents[1]
COMPOSE_FILE = DEPLOY / "compose.yaml"
# The compose stack's secrets; another file can be named (e.g. one kept outside the checkout).
COMPOSE_ENV = Path(os.environ.get("BUURTWERK_COMPOSE_ENV_FILE", DEPLOY / ".env"))
PROBE_SECONDS = 3.0
# The development accounts' password: a developer's own broker, never production (which refuses
# the development settings and takes its accounts from deploy/rabbitmq/definitions.json).
DEV_BROKER_PASSWORD = "buurtwerk-development"

NOTHING_TO_RUN_ON = """\
Neither a local RabbitMQ and PostgreSQL nor a Docker engine answers, so there is nothing to run on.
{problems}
Install and start one of these, then run `make run` again:
  - the local servers (Debian/Ubuntu, as root):
      apt-get install rabbitmq-server postgresql
      rabbitmq-server -detached
      pg_ctlcluster --skip-systemctl-redirect <version> main start
    (or point BUURTWERK_AMQP_URL and <SERVICE>_DATABASE_URL at servers you have);
  - or Docker Engine with the Compose plugin (https://docs.docker.com/engine/install/):
    `make run` then starts the compose stack of deploy/compose.yaml."""


class Mode(Enum):
    """Where the services run."""

    LOCAL = "local processes"
    COMPOSE = "docker compose"
    NONE = "nothing to run on"


def choose_mode(servers_answer: bool, docker_answers: bool) -> Mode:
    """Local processes when the servers answer; else the compose stack when Docker answers."""
    if servers_answer:
        return Mode.LOCAL
    return Mode.COMPOSE if docker_answers else Mode.NONE


def _admin_url(database_url: str) -> str:
    return urlunsplit(urlsplit(database_url)._replace(path="/postgres"))


async def _server_problems() -> list[str]:
    """What does not answer among the broker and the service databases' server(s)."""
    problems = []
    amqp_url = PlatformSettings().amqp_url
    try:
        async with asyncio.timeout(PROBE_SECONDS):
            connection = await aio_pika.connect(amqp_url)
            await connection.close()
    except Exception as exc:
        problems.append(f"RabbitMQ does not answer at {_safe(amqp_url)}: {exc!r}")
    for database_url in sorted({_admin_url(s().database_url) for s in SERVICES.values()}):
        try:
            async with asyncio.timeout(PROBE_SECONDS):
                conn = await asyncpg.connect(database_url)
                await conn.close()
        except Exception as exc:
            problems.append(f"PostgreSQL does not answer at {_safe(database_url)}: {exc!r}")
    return problems


def _safe(url: str) -> str:
    """A URL without its password, for messages."""
    parts = urlsplit(url)
    if parts.password is None:
        return url
    return urlunsplit(parts._replace(netloc=parts.netloc.replace(f":{parts.password}@", ":***@")))


def _docker_compose() -> list[str] | None:
    """The compose command when a Docker engine and the Compose plugin answer, else None."""
    if shutil.which("docker") is None:
        return None
    try:
        engine = subprocess.run(
            ["docker", "version", "--format", "{{.Server.Version}}"],
            capture_output=True,
            timeout=PROBE_SECONDS * 2,
            check=False,
        )
        plugin = subprocess.run(
            ["docker", "compose", "version"],
            capture_output=True,
            timeout=PROBE_SECONDS,
            check=False,
        )
    except (OSError, subprocess.TimeoutExpired):
        return None
    if engine.returncode != 0 or plugin.returncode != 0:
        return None
    return ["docker", "compose", "--file", str(COMPOSE_FILE), "--env-file", str(COMPOSE_ENV)]


def _run_compose(compose: list[str]) -> int:
    """Bring the compose stack up in the foreground; Ctrl-C stops it (containers are kept)."""
    if not COMPOSE_ENV.exists():
        print(  # noqa: T201
            f"No local RabbitMQ/PostgreSQL; using Docker Compose, which needs {COMPOSE_ENV}:\n"
            f"  cp {DEPLOY / 'env.example'} {COMPOSE_ENV}   # then set every secret in it",
            file=sys.stderr,
        )
        return 2
    print("No local RabbitMQ/PostgreSQL answers; starting the compose stack.")  # noqa: T201
    return subprocess.run([*compose, "up", "--build"], check=False).returncode


async def _relay(name: str, stream: asyncio.StreamReader) -> None:
    prefix = f"\x1b[{COLOURS[name]}m{name:<10}\x1b[0m| " if sys.stdout.isatty() else f"{name:<10}| "
    while line := await stream.readline():
        sys.stdout.write(prefix + line.decode(errors="replace"))
        sys.stdout.flush()


async def _migrate(name: str, env: dict[str, str]) -> None:
    process = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        name,
        "migrate",
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.STDOUT,
        env=env,
    )
    assert process.stdout is not None
    await _relay(name, process.stdout)
    if await process.wait() != 0:
        raise SystemExit(f"migrating {name} failed")


def development_account_names(platform: PlatformSettings) -> dict[str, str]:
    """The development account of each service's event source (prefixed like the topology)."""
    prefix = platform.topology_prefix
    return {source: prefix + account for source, account in SERVICE_ACCOUNTS.items()}


def development_accounts(platform: PlatformSettings) -> dict[str, str]:
    """Create (or update) each service's broker account; each service's AMQP URL.

    With `rabbitmqctl import_definitions`, on the broker of `platform.amqp_url`, in its vhost,
    with the permissions production gives (`messaging.accounts`). Raises SystemExit when that
    cannot be done: the services would otherwise refuse each other's events.
    """
    parts = urlsplit(platform.amqp_url)
    vhost = unquote(parts.path[1:]) or "/"
    accounts = development_account_names(platform)
    definitions = service_definitions(
        vhost,
        dict.fromkeys(accounts.values(), DEV_BROKER_PASSWORD),
        accounts,
        platform.topology_prefix,
    )
    if shutil.which("rabbitmqctl") is None:
        raise SystemExit(
            "make run creates the services' development broker accounts with rabbitmqctl, which "
            "is not on the PATH: run it where the local RabbitMQ runs (apt-get install "
            "rabbitmq-server)"
        )
    with tempfile.NamedTemporaryFile("w", suffix=".json") as file:
        json.dump(definitions, file)
        file.flush()
        os.chmod(file.name, 0o644)  # the broker's node reads it, as its own user
        result = subprocess.run(
            ["rabbitmqctl", "-q", "import_definitions", file.name],
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
        )
    if result.returncode != 0:
        raise SystemExit(f"creating the development broker accounts failed: {result.stderr}")
    host = parts.netloc.rsplit("@", 1)[-1]
    password = quote(DEV_BROKER_PASSWORD, safe="")
    print(  # noqa: T201
        f"make run: created the development broker accounts {', '.join(accounts.values())} "
        f"in vhost {vhost!r} (password {DEV_BROKER_PASSWORD!r}); each service connects as its own"
    )
    return {
        service_of(source): urlunsplit(
            parts._replace(netloc=f"{quote(account, safe='')}:{password}@{host}")
        )
        for source, account in accounts.items()
    }


async def run_locally() -> int:
    """Migrate, start the mail catcher and the four services, stop them all on Ctrl-C (SIGINT)
    or SIGTERM."""
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(sig, stop.set)
    platform = PlatformSettings()
    amqp_urls = development_accounts(platform)
    env = {
        **os.environ,
        "PYTHONUNBUFFERED": "1",
        # Voids come from the dead-letter tool, which `make dead-letters` runs as the broker
        # account of BUURTWERK_AMQP_URL.
        "BUURTWERK_PUBLISHER_ACCOUNTS": json.dumps(
            {**development_account_names(platform), operations.SOURCE: platform.broker_user}
        ),
    }
    for name in SERVICES:
        await _migrate(name, env)
    if stop.is_set():
        return 0
    # The mail catcher first: the services hand their mail to it (nothing leaves the machine).
    commands = {
        "mail": [
            "buurtwerk_shared.tools.mail_catcher",
            f"--smtp-port={PlatformSettings().mail.smtp_port}",
            f"--http-port={MAIL_CATCHER_HTTP_PORT}",
        ],
        **{name: [name, "serve"] for name in SERVICES},
    }
    processes = {
        name: await asyncio.create_subprocess_exec(
            sys.executable,
            "-m",
            *command,
            stdout=asyncio.subprocess.PIPE,
            stderr=asyncio.subprocess.STDOUT,
            # Each service connects as its own broker account; the mail catcher uses none.
            env={**env, "BUURTWERK_AMQP_URL": amqp_urls[name]} if name in amqp_urls else env,
        )
        for name, command in commands.items()
    }
    relays = [asyncio.create_task(_relay(n, p.stdout)) for n, p in processes.items() if p.stdout]
    for name, settings in SERVICES.items():
        print(f"{name:<10}| http://127.0.0.1:{settings().http_port}/docs")  # noqa: T201
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
    stopped = (0, -signal.SIGTERM, -signal.SIGINT)
    failed = [n for n, c in zip(processes, codes, strict=True) if c not in stopped]
    for name in failed:
        print(f"{name} exited with {processes[name].returncode}", file=sys.stderr)  # noqa: T201
    return 1 if failed and not stop.is_set() else 0


def main() -> int:
    """Choose where to run, and run; returns the exit code."""
    problems = asyncio.run(_server_problems())
    compose = None if not problems else _docker_compose()
    mode = choose_mode(not problems, compose is not None)
    if mode is Mode.LOCAL:
        return asyncio.run(run_locally())
    if mode is Mode.COMPOSE:
        assert compose is not None
        return _run_compose(compose)
    print(NOTHING_TO_RUN_ON.format(problems="\n".join(problems)), file=sys.stderr)  # noqa: T201
    return 2


if __name__ == "__main__":
    sys.exit(main())
