"""`make run` as a newcomer runs it: four services up, one request each, Ctrl-C stops them all.

Ports, databases and the topology prefix are overridden so the run does not collide with anyone
else's on this machine; `make run` itself is unchanged.
"""

import asyncio
import contextlib
import os
import signal
import socket
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path

import asyncpg
import httpx

from tests.support.apps import free_port
from tests.support.broker import BrokerNamespace, rabbitmqctl, wait_for
from tests.support.databases import database_url
from tests.support.servers import Servers
from tests.support.tokens import bearer

ROOT = Path(__file__).parents[2]
SERVICES = ("meals", "volunteers", "courses", "reporting")
CENTRE = "sint-maartensdal"
COORDINATOR = bearer("centre_coordinator", [CENTRE], sub="newcomer")
COOK = bearer("kitchen_staff", [CENTRE], sub="newcomer-cook")
ANALYST = bearer("analyst", ["all"], sub="newcomer-analyst")


def listening(port: int) -> bool:
    with socket.socket() as s:
        return s.connect_ex(("127.0.0.1", port)) == 0


def group_alive(pgid: int) -> bool:
    try:
        os.killpg(pgid, 0)
    except ProcessLookupError:
        return False
    return True


@contextlib.contextmanager
def make_run(env: dict[str, str], log: Path) -> Iterator[subprocess.Popen[bytes]]:
    """`make run` in its own process group (as a terminal runs it); killed if the test fails."""
    with log.open("wb") as out:
        process = subprocess.Popen(
            ["make", "run"],
            cwd=ROOT,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
            start_new_session=True,
        )
        try:
            yield process
        finally:
            if group_alive(process.pid):
                os.killpg(process.pid, signal.SIGKILL)
            process.wait()


def tail(log: Path) -> str:
    return log.read_text(errors="replace")[-3000:]


async def wait_ready(
    client: httpx.AsyncClient, urls: dict[str, str], process: subprocess.Popen[bytes], log: Path
) -> None:
    deadline = time.monotonic() + 180
    waiting = dict(urls)
    while waiting:
        assert process.poll() is None, f"make run exited early:\n{tail(log)}"
        assert time.monotonic() < deadline, f"not ready: {sorted(waiting)}\n{tail(log)}"
        for name, url in list(waiting.items()):
            with contextlib.suppress(httpx.HTTPError):
                if (await client.get(f"{url}/health/ready", timeout=1)).status_code == 200:
                    del waiting[name]
        await asyncio.sleep(0.2)


async def one_request_each(client: httpx.AsyncClient, urls: dict[str, str]) -> None:
    planned = await client.post(
        f"{urls['meals']}/services",
        json={
            "centre_id": CENTRE,
            "kitchen_id": "sint-maartensdal-keuken",
            "date": "2026-06-02",
            "start_time": "12:00",
            "capacity": 20,
            "prices": {"standard": 650},
            "dishes": [{"name": "Soep van de dag", "allergens": ["celery"]}],
        },
        headers={**COORDINATOR, "Idempotency-Key": "newcomer-plan"},
    )
    assert planned.status_code == 201, planned.text
    registered = await client.post(
        f"{urls['meals']}/services/{planned.json()['service_id']}/registrations",
        json={"tariff": "standard", "count": 3},
        headers=COOK,
    )
    assert registered.status_code == 201, registered.text
    june = {"centre_id": CENTRE, "period": "2026-06"}
    for _ in range(200):
        indicator = await client.get(
            f"{urls['reporting']}/indicators/meals.served", params=june, headers=ANALYST
        )
        assert indicator.status_code == 200, indicator.text
        if indicator.json()["value"] == 3:
            break
        await asyncio.sleep(0.1)
    assert indicator.json()["value"] == 3, "the served meals reached reporting"
    for name in ("volunteers", "courses"):
        api = await client.get(f"{urls[name]}/openapi.json")
        assert api.status_code == 200
        assert api.json()["info"]["title"] == f"Buurtwerk {name}"


async def test_make_run_starts_serves_and_stops_the_four_services(
    servers: Servers, namespace: BrokerNamespace, tmp_path: Path
) -> None:
    namespace.track_service_queues()
    run_id = namespace.topology.prefix.strip(".")
    ports = {name: free_port() for name in SERVICES}
    databases = {name: f"bw_e2e_run_{name}_{run_id}" for name in SERVICES}
    env = {
        **os.environ,
        "BUURTWERK_AMQP_URL": servers.amqp_url,
        "BUURTWERK_TOPOLOGY_PREFIX": namespace.topology.prefix,
    }
    for name in SERVICES:
        env[f"{name.upper()}_HTTP_PORT"] = str(ports[name])
        env[f"{name.upper()}_DATABASE_URL"] = database_url(servers.database_url, databases[name])
    smtp_port, mail_page_port = free_port(), free_port()
    env["BUURTWERK_MAIL__SMTP_PORT"] = str(smtp_port)
    env["MAIL_CATCHER_HTTP_PORT"] = str(mail_page_port)
    urls = {name: f"http://127.0.0.1:{port}" for name, port in ports.items()}
    log = tmp_path / "make-run.log"
    try:
        with make_run(env, log) as process:
            async with httpx.AsyncClient(timeout=10) as client:
                await wait_ready(client, urls, process, log)
                await one_request_each(client, urls)
                mail_page = await client.get(f"http://127.0.0.1:{mail_page_port}/")
                assert mail_page.status_code == 200 and "Mail catcher" in mail_page.text
            assert listening(smtp_port), "the mail catcher takes the services' mail"
            os.killpg(process.pid, signal.SIGINT)  # Ctrl-C in the terminal
            # make is interrupted too, as in a terminal; run.py has stopped the services by then.
            assert process.wait(timeout=60) in (0, -signal.SIGINT)
            await wait_for(lambda: not group_alive(process.pid), within=10)
        output = log.read_text()
        accounts = [f"{namespace.topology.prefix}buurtwerk-{name}" for name in SERVICES]
        assert f"created the development broker accounts {', '.join(accounts)}" in output
        for name in SERVICES:
            assert not listening(ports[name]), f"{name} still listens"
            assert f'{name:<10}| {{"time"' in output, f"{name}'s output is prefixed"
            assert f'"message": "{name} stopped"' in output, f"{name} stopped gracefully"
        assert not listening(smtp_port) and not listening(mail_page_port), "the catcher stopped"
    finally:
        for name in SERVICES:
            # The development accounts make run created under the test's prefix.
            with contextlib.suppress(subprocess.CalledProcessError):
                rabbitmqctl("delete_user", f"{namespace.topology.prefix}buurtwerk-{name}")
        conn = await asyncpg.connect(servers.database_url)
        try:
            for name in databases.values():
                await conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        finally:
            await conn.close()


def test_make_run_fails_at_once_saying_what_to_install_when_nothing_answers(tmp_path: Path) -> None:
    closed = free_port()
    env = {
        **os.environ,
        "BUURTWERK_AMQP_URL": f"amqp://guest:guest@127.0.0.1:{closed}/",
        "DOCKER_HOST": f"tcp://127.0.0.1:{closed}",
    }
    for name in SERVICES:
        env[f"{name.upper()}_DATABASE_URL"] = f"postgresql://postgres@127.0.0.1:{closed}/x"
    started = time.monotonic()
    result = subprocess.run(
        ["make", "run"], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120
    )
    elapsed = time.monotonic() - started
    assert result.returncode != 0
    assert "apt-get install rabbitmq-server postgresql" in result.stderr
    assert "Docker Engine with the Compose plugin" in result.stderr
    assert f"RabbitMQ does not answer at amqp://guest:***@127.0.0.1:{closed}/" in result.stderr
    assert elapsed < 60, f"took {elapsed:.0f}s"


FAKE_DOCKER = """#!/bin/sh
echo "$@" >> "$FAKE_DOCKER_LOG"
case "$1 $2" in
  "version --format") echo 28.2.2 ;;
  "compose version") echo "Docker Compose version v2.40.3" ;;
esac
"""


def test_make_run_brings_the_compose_stack_up_where_only_docker_answers(tmp_path: Path) -> None:
    closed = free_port()
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    (bin_dir / "docker").write_text(FAKE_DOCKER)
    (bin_dir / "docker").chmod(0o755)
    env_file = tmp_path / "compose.env"
    env = {
        **os.environ,
        "PATH": f"{bin_dir}:{os.environ['PATH']}",
        "FAKE_DOCKER_LOG": str(tmp_path / "docker.log"),
        "BUURTWERK_COMPOSE_ENV_FILE": str(env_file),
        "BUURTWERK_AMQP_URL": f"amqp://guest:guest@127.0.0.1:{closed}/",
    }
    without_env_file = subprocess.run(
        ["make", "run"], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120
    )
    assert without_env_file.returncode != 0
    assert f"cp {ROOT / 'deploy' / 'env.example'} {env_file}" in without_env_file.stderr

    env_file.write_text("POSTGRES_PASSWORD=chosen-by-the-operator\n")
    with_env_file = subprocess.run(
        ["make", "run"], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120
    )
    assert with_env_file.returncode == 0, with_env_file.stderr
    assert "starting the compose stack" in with_env_file.stdout
    calls = (tmp_path / "docker.log").read_text().splitlines()
    compose = ROOT / "deploy" / "compose.yaml"
    assert calls[-1] == f"compose --file {compose} --env-file {env_file} up --build"
