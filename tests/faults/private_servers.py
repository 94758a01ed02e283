"""A private RabbitMQ node and a private PostgreSQL cluster that fault tests may stop and kill.

The fault tests never restart the shared servers other people test against: each session starts
its own broker node and database cluster from the locally installed (Debian) binaries, on free
loopback ports, with every file under a temporary directory, and removes them at the end.
"""

import contextlib
import os
import pwd
import shutil
import signal
import subprocess
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

from tests.support.apps import free_port

RABBITMQ_SCRIPTS = Path("/usr/lib/rabbitmq/bin")
POSTGRES_INSTALLATIONS = Path("/usr/lib/postgresql")
START_TIMEOUT_SECONDS = 90.0


class PrivateServerError(RuntimeError):
    """A private server could not be found, started or stopped."""


def _rabbitmq_script(name: str) -> Path:
    # Debian's /usr/sbin scripts switch to the rabbitmq user and its home; the real scripts
    # behind them take our environment as it is.
    for candidate in (RABBITMQ_SCRIPTS / name, shutil.which(name)):
        if candidate and Path(candidate).is_file():
            return Path(candidate)
    raise PrivateServerError(f"{name} not found: install RabbitMQ (Debian: rabbitmq-server)")


def _postgres_bin() -> Path:
    versions = sorted(
        (p for p in POSTGRES_INSTALLATIONS.glob("*/bin") if (p / "initdb").is_file()),
        key=lambda p: int(p.parent.name) if p.parent.name.isdigit() else 0,
    )
    if versions:
        return versions[-1]
    initdb = shutil.which("initdb")
    if initdb:
        return Path(initdb).resolve().parent
    raise PrivateServerError("initdb not found: install PostgreSQL (Debian: postgresql)")


class PrivateRabbitMQ:
    """One RabbitMQ node of our own: `start`, `stop` (graceful), `kill` (SIGKILL), `freeze`
    (SIGSTOP) and `thaw`, `close`.

    Nodes given the same `cookie` can be clustered (`tests.faults.cluster`); `config` is added to
    the node's rabbitmq.conf, `erl_args` to its Erlang VM's arguments.
    """

    def __init__(
        self, root: Path, cookie: str | None = None, config: str = "", erl_args: str = ""
    ) -> None:
        self.root = root
        self.port = free_port()
        self.node = f"bwfaults{self.port}@localhost"
        self._process: subprocess.Popen[bytes] | None = None
        (root / "enabled_plugins").write_text("[].\n")
        (root / "rabbitmq.conf").write_text(
            f"listeners.tcp.default = 127.0.0.1:{self.port}\n{config}"
        )
        (root / "rabbitmq-env.conf").write_text("")
        if cookie is not None:
            path = root / ".erlang.cookie"
            path.write_text(cookie)
            path.chmod(0o400)
        self.env = {
            **os.environ,
            # The Erlang cookie is written to HOME: keep it in our directory.
            "HOME": str(root),
            "RABBITMQ_NODENAME": self.node,
            "RABBITMQ_NODE_PORT": str(self.port),
            "RABBITMQ_DIST_PORT": str(free_port()),
            "RABBITMQ_MNESIA_BASE": str(root / "mnesia"),
            "RABBITMQ_LOG_BASE": str(root / "log"),
            "RABBITMQ_PID_FILE": str(root / "rabbitmq.pid"),
            "RABBITMQ_ENABLED_PLUGINS_FILE": str(root / "enabled_plugins"),
            "RABBITMQ_CONFIG_FILE": str(root / "rabbitmq.conf"),
            "RABBITMQ_ADVANCED_CONFIG_FILE": str(root / "advanced.config"),
            # Not the machine's rabbitmq-env.conf, which names the shared node.
            "RABBITMQ_CONF_ENV_FILE": str(root / "rabbitmq-env.conf"),
            "ERL_EPMD_ADDRESS": "127.0.0.1",
            "RABBITMQ_SERVER_ADDITIONAL_ERL_ARGS": erl_args,
        }

    @property
    def amqp_url(self) -> str:
        """The URL clients connect to."""
        return f"amqp://guest:guest@127.0.0.1:{self.port}/"

    @property
    def running(self) -> bool:
        """Whether the node's process is alive."""
        return self._process is not None and self._process.poll() is None

    def start(self) -> None:
        """Start the node (on the same data as before, if any) and wait until it has booted."""
        with (self.root / "server.log").open("ab") as log:
            self._process = subprocess.Popen(
                [str(_rabbitmq_script("rabbitmq-server"))],
                env=self.env,
                cwd=self.root,
                stdout=log,
                stderr=log,
                start_new_session=True,  # its own process group, so `kill` takes every child
            )
        deadline = time.monotonic() + START_TIMEOUT_SECONDS
        # await_startup fails at once while the node is not yet known to epmd: ask again.
        while True:
            if not self.running:
                output = (self.root / "server.log").read_text(errors="replace")[-2000:]
                raise PrivateServerError(f"RabbitMQ exited while starting:\n{output}")
            try:
                self.ctl("await_startup", timeout=START_TIMEOUT_SECONDS)
                return
            except PrivateServerError:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.5)

    def stop(self) -> None:
        """Stop the node gracefully and wait for its process to end."""
        if not self.running:
            return
        self.ctl("stop", str(self.root / "rabbitmq.pid"), timeout=60)
        self._wait()

    def kill(self) -> None:
        """Kill the node with SIGKILL, as a crash would."""
        if self._process is not None and self._process.poll() is None:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self._process.pid, signal.SIGKILL)
        self._wait()

    def freeze(self) -> None:
        """SIGSTOP: the node stops answering but keeps its connections, as a stalled VM would."""
        self._signal(signal.SIGSTOP)

    def thaw(self) -> None:
        """SIGCONT after `freeze`."""
        self._signal(signal.SIGCONT)

    def _signal(self, number: signal.Signals) -> None:
        if self._process is not None and self._process.poll() is None:
            os.killpg(self._process.pid, number)

    def close(self) -> None:
        """End the node whatever its state (its data goes too: no need to stop it gracefully)."""
        try:
            self.thaw()
            self.kill()
        finally:
            shutil.rmtree(self.root, ignore_errors=True)

    def _wait(self) -> None:
        if self._process is not None:
            self._process.wait(timeout=60)

    def ctl(self, *args: str, timeout: float = 60) -> str:
        """Run `rabbitmqctl` against this node; its standard output."""
        command = [str(_rabbitmq_script("rabbitmqctl")), "-q", "-n", self.node, *args]
        result = subprocess.run(
            command, env=self.env, capture_output=True, timeout=timeout, check=False
        )
        if result.returncode != 0:
            raise PrivateServerError(
                f"rabbitmqctl {' '.join(args)} failed: {result.stderr.decode(errors='replace')}"
            )
        return result.stdout.decode(errors="replace")


class PrivatePostgres:
    """One PostgreSQL cluster of our own: `start`, `stop` (immediate by default), `close`.

    initdb refuses to run as root: as root, the cluster belongs to the `postgres` OS user and
    its commands run as that user.
    """

    def __init__(self, root: Path) -> None:
        self.root = root
        self.port = free_port()
        self.data = root / "data"
        self._bin = _postgres_bin()
        self._as_postgres = os.geteuid() == 0
        if self._as_postgres:
            owner = pwd.getpwnam("postgres")
            os.chown(root, owner.pw_uid, owner.pw_gid)
        self._run(
            "initdb",
            "-D",
            str(self.data),
            "-U",
            "postgres",
            "--auth=trust",
            "-E",
            "UTF8",
            "--no-sync",
        )
        self._started = False

    @property
    def admin_url(self) -> str:
        """An administrative URL (tests create their databases through it)."""
        return f"postgresql://postgres@127.0.0.1:{self.port}/postgres"

    def start(self) -> None:
        """Start the cluster (recovering after an immediate stop) and wait until it accepts."""
        options = (
            f"-p {self.port} -k {self.root} -c listen_addresses=127.0.0.1 -c max_connections=300 "
            # Frequent checkpoints keep the WAL that a restart after a crash replays short (every
            # test database is copied from its template through the WAL).
            "-c checkpoint_timeout=30s"
        )
        log = str(self.root / "log")
        self._run("pg_ctl", "-D", str(self.data), "-o", options, "-l", log, "-w", "start")
        self._started = True

    def stop(self, mode: str = "immediate") -> None:
        """Stop the cluster; `immediate` aborts every backend, as a crash would."""
        if self._started:
            self._run("pg_ctl", "-D", str(self.data), "-m", mode, "-w", "stop")
            self._started = False

    def close(self) -> None:
        """Stop the cluster whatever its state and remove its files."""
        try:
            with contextlib.suppress(PrivateServerError):
                self._run("pg_ctl", "-D", str(self.data), "-m", "immediate", "-w", "stop")
        finally:
            shutil.rmtree(self.root, ignore_errors=True)

    def _run(self, program: str, *args: str) -> None:
        command = [str(self._bin / program), *args]
        if self._as_postgres:
            command = ["runuser", "-u", "postgres", "--", *command]
        result = subprocess.run(command, capture_output=True, timeout=120, check=False)
        if result.returncode != 0:
            raise PrivateServerError(f"{program} failed: {result.stderr.decode(errors='replace')}")


@contextlib.contextmanager
def private_servers() -> Iterator[tuple[PrivateRabbitMQ, PrivatePostgres]]:
    """A started private broker and database cluster, removed at the end whatever happens."""
    rabbit_root = Path(tempfile.mkdtemp(prefix="bwfaults-rabbitmq-"))
    postgres_root = Path(tempfile.mkdtemp(prefix="bwfaults-postgres-"))
    rabbit = PrivateRabbitMQ(rabbit_root)
    try:
        postgres = PrivatePostgres(postgres_root)
    except BaseException:
        shutil.rmtree(postgres_root, ignore_errors=True)
        rabbit.close()
        raise
    try:
        rabbit.start()
        postgres.start()
        yield rabbit, postgres
    finally:
        try:
            rabbit.close()
        finally:
            postgres.close()
