"""Services under test: in process (ASGI) or as real processes."""

import contextlib
import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import AsyncIterator
from pathlib import Path

import httpx

from buurtwerk_shared.config import PlatformSettings
from buurtwerk_shared.service.app import create_app
from buurtwerk_shared.service.definition import ServiceDefinition
from tests.support.broker import BrokerNamespace

ARTIFACTS = Path(__file__).parents[2] / "artifacts"
# How long a service process may take to become ready. Not what these tests check: on a CI
# machine kept busy, four services importing and migrating at once took over 30 s.
START_SECONDS = 90.0
# Longer than `/health/ready`'s own checks (2 s each): a ready answer that is slow is still read,
# where a 1 s client timeout missed every answer of a service on a loaded machine.
READY_ANSWER_SECONDS = 5.0


def platform_settings(namespace: BrokerNamespace) -> PlatformSettings:
    """Platform settings pointing at the test broker namespace."""
    return PlatformSettings(amqp_url=namespace.amqp_url, topology_prefix=namespace.topology.prefix)


@contextlib.asynccontextmanager
async def in_process(definition: ServiceDefinition) -> AsyncIterator[httpx.AsyncClient]:
    """Run a service's lifespan in this process and talk to it over ASGI."""
    app = create_app(definition)
    async with (
        app.router.lifespan_context(app),
        httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://test") as client,
    ):
        yield client


def free_port() -> int:
    """A TCP port nobody listens on right now."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


class ServiceProcess:
    """One service started as `python -m <name> serve`, its output kept under `artifacts/`."""

    def __init__(self, name: str, env: dict[str, str]) -> None:
        self.name = name
        self.port = free_port()
        prefix = name.upper()
        self.env = {
            **os.environ,
            **env,
            f"{prefix}_HTTP_PORT": str(self.port),
            "PYTHONUNBUFFERED": "1",
        }
        self.url = f"http://127.0.0.1:{self.port}"
        ARTIFACTS.mkdir(exist_ok=True)
        self.log_path = ARTIFACTS / f"{name}-{self.port}.log"
        self._process: subprocess.Popen[bytes] | None = None

    def migrate(self) -> None:
        """Run the service's migrations (creating its database)."""
        subprocess.run(
            [sys.executable, "-m", self.name, "migrate"], env=self.env, check=True, timeout=120
        )

    def start(self, timeout: float = START_SECONDS) -> None:
        """Start serving and wait until `/health/ready` answers 200."""
        log = self.log_path.open("ab")
        self._process = subprocess.Popen(
            [sys.executable, "-m", self.name, "serve"], env=self.env, stdout=log, stderr=log
        )
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self._process.poll() is not None:
                raise RuntimeError(f"{self.name} exited: see {self.log_path}")
            with contextlib.suppress(httpx.HTTPError):
                ready = httpx.get(f"{self.url}/health/ready", timeout=READY_ANSWER_SECONDS)
                if ready.status_code == 200:
                    return
            time.sleep(0.1)
        raise RuntimeError(f"{self.name} not ready within {timeout}s: see {self.log_path}")

    @property
    def pid(self) -> int | None:
        """The process id while it runs (started and not yet stopped)."""
        running = self._process is not None and self._process.poll() is None
        return self._process.pid if running and self._process is not None else None

    def stop(self, timeout: float = 20.0) -> int:
        """Stop gracefully (SIGTERM) and return the exit code (uvicorn re-raises the signal)."""
        if self._process is None:
            return 0
        self._process.send_signal(signal.SIGTERM)
        try:
            return self._process.wait(timeout)
        except subprocess.TimeoutExpired:
            self._process.kill()
            return self._process.wait()

    def kill(self) -> None:
        """Kill the process with SIGKILL: no shutdown code runs, as in a crash."""
        if self._process is not None and self._process.poll() is None:
            self._process.kill()
            self._process.wait()

    def logs(self) -> str:
        """Everything the process wrote."""
        return self.log_path.read_text(errors="replace")
