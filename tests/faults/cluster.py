"""A private three-node RabbitMQ cluster, and the load balancer the services reach it through.

The services take one AMQP URL (aio-pika and FastStream connect to one address), so they reach
the cluster as production would put it behind a load balancer: `AmqpBalancer` forwards each new
connection to the next node that passes its health check, a check that waits for the broker's
AMQP greeting (as HAProxy's `tcp-check` would), so a frozen node that still accepts TCP is taken
out within a second; connections to a node marked down are closed so that their clients
reconnect elsewhere (HAProxy's `on-marked-down shutdown-sessions`).
"""

import asyncio
import concurrent.futures
import contextlib
import secrets
import shutil
import tempfile
import time
from collections.abc import AsyncIterator, Callable
from pathlib import Path

from tests.faults.private_servers import PrivateRabbitMQ, PrivateServerError

NODES = 3
# A lean node: one scheduler without busy waiting (two shared cores run three nodes).
LEAN_ERL_ARGS = "+S 1:1 +sbwt none +sbwtdcpu none +sbwtdio none"
# What production should run too: the minority side of a partition pauses rather than diverges.
NODE_CONFIG = "cluster_partition_handling = pause_minority\n"
AMQP_HEADER = b"AMQP\x00\x00\x09\x01"
CHECK_INTERVAL_SECONDS = 0.5
CHECK_TIMEOUT_SECONDS = 1.0


class PrivateRabbitCluster:
    """Three clustered private nodes; `start`, `stop` and `kill` act on all of them."""

    def __init__(self, root: Path) -> None:
        cookie = secrets.token_hex(16)
        self.nodes = []
        for index in range(NODES):
            (root / str(index)).mkdir()
            self.nodes.append(
                PrivateRabbitMQ(root / str(index), cookie, NODE_CONFIG, LEAN_ERL_ARGS)
            )
        self._formed = False
        self.balancer = AmqpBalancer([node.port for node in self.nodes])

    @property
    def amqp_url(self) -> str:
        """The URL clients connect to: the load balancer's."""
        return f"amqp://guest:guest@127.0.0.1:{self.balancer.port}/"

    def node(self, name: str) -> PrivateRabbitMQ:
        """The node of that Erlang node name."""
        return next(n for n in self.nodes if n.node == name)

    def start(self) -> None:
        """Form the cluster the first time (the first node, then the others join it); later
        start every node at once, as a node waits for the peers it last saw running."""
        if not self._formed:
            first, *others = self.nodes
            first.start()
            for node in others:
                node.start()
                node.ctl("stop_app")
                node.ctl("join_cluster", first.node)
                node.ctl("start_app")
            self._formed = True
            return
        _all_at_once([node.start for node in self.nodes])

    def stop(self) -> None:
        """Stop every node gracefully."""
        _all_at_once([node.stop for node in self.nodes])

    def kill(self) -> None:
        """SIGKILL every node."""
        _all_at_once([node.kill for node in self.nodes])

    def close(self) -> None:
        """End every node whatever its state, and remove their files."""
        for node in self.nodes:
            node.close()

    def leader_of(self, queue: str) -> PrivateRabbitMQ:
        """The node leading a quorum queue now."""
        for node in self.nodes:
            if not node.running:
                continue
            for line in node.ctl("list_queues", "name", "leader").splitlines():
                name, _, leader = line.partition("\t")
                if name == queue and leader.strip():
                    return self.node(leader.strip())
        raise PrivateServerError(f"no leader found for {queue}")

    def members_of(self, queue: str) -> int:
        """How many nodes a quorum queue or stream is replicated on."""
        for line in self.nodes[0].ctl("list_queues", "name", "members").splitlines():
            name, _, members = line.partition("\t")
            if name == queue:
                return members.count("@")
        raise PrivateServerError(f"no queue {queue}")


def _all_at_once(actions: list[Callable[[], None]]) -> None:
    """Run blocking node actions in parallel threads; raise the first failure."""
    with concurrent.futures.ThreadPoolExecutor(len(actions)) as pool:
        for future in [pool.submit(action) for action in actions]:
            future.result()


class AmqpBalancer:
    """A TCP load balancer on loopback in front of the cluster's nodes, with health checks."""

    def __init__(self, ports: list[int]) -> None:
        self._ports = ports
        self.healthy = dict.fromkeys(ports, False)
        self._sessions: dict[int, set[asyncio.StreamWriter]] = {port: set() for port in ports}
        self._next = 0
        self._server: asyncio.Server | None = None
        self._checks: list[asyncio.Task[None]] = []
        self.port = 0

    async def start(self) -> None:
        """Listen on a free loopback port and start checking the nodes."""
        self._server = await asyncio.start_server(self._accept, "127.0.0.1", 0)
        self.port = self._server.sockets[0].getsockname()[1]
        self._checks = [asyncio.create_task(self._check(port)) for port in self._ports]

    async def stop(self) -> None:
        """Stop listening and checking; drop every connection."""
        for task in self._checks:
            task.cancel()
        for port in self._ports:
            self._shut(port)
        if self._server is not None:
            self._server.close()
            await self._server.wait_closed()

    async def _check(self, port: int) -> None:
        while True:
            up = await _greets(port)
            if self.healthy[port] and not up:
                self._shut(port)
            self.healthy[port] = up
            await asyncio.sleep(CHECK_INTERVAL_SECONDS)

    def _shut(self, port: int) -> None:
        for writer in list(self._sessions[port]):
            with contextlib.suppress(Exception):
                writer.transport.abort()
        self._sessions[port].clear()

    def _choose(self) -> int | None:
        for offset in range(len(self._ports)):
            port = self._ports[(self._next + offset) % len(self._ports)]
            if self.healthy[port]:
                self._next = (self._next + offset + 1) % len(self._ports)
                return port
        return None

    async def _accept(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        port = self._choose()
        if port is None:
            writer.transport.abort()  # no node up: refused, the client tries again
            return
        try:
            up_reader, up_writer = await asyncio.open_connection("127.0.0.1", port)
        except OSError:
            writer.transport.abort()
            return
        session = self._sessions[port]
        session.update((writer, up_writer))
        await asyncio.gather(_pipe(reader, up_writer), _pipe(up_reader, writer))
        session.discard(writer)
        session.discard(up_writer)


async def _greets(port: int) -> bool:
    """Whether the node answers the AMQP protocol header with its greeting in time."""
    writer: asyncio.StreamWriter | None = None
    try:
        async with asyncio.timeout(CHECK_TIMEOUT_SECONDS):
            reader, writer = await asyncio.open_connection("127.0.0.1", port)
            writer.write(AMQP_HEADER)
            await writer.drain()
            # A method frame (type 1) carrying connection.start.
            return await reader.read(1) == b"\x01"
    except (OSError, TimeoutError):
        return False
    finally:
        if writer is not None:
            writer.transport.abort()


async def _pipe(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
    try:
        while data := await reader.read(65536):
            writer.write(data)
            await writer.drain()
    except (OSError, ConnectionError):
        pass
    finally:
        with contextlib.suppress(Exception):
            writer.transport.abort()


@contextlib.asynccontextmanager
async def private_cluster() -> AsyncIterator[PrivateRabbitCluster]:
    """A started three-node cluster behind its balancer, removed at the end whatever happens."""
    root = Path(tempfile.mkdtemp(prefix="bwfaults-cluster-"))
    cluster = PrivateRabbitCluster(root)
    try:
        began = time.monotonic()
        await asyncio.to_thread(cluster.start)
        await cluster.balancer.start()
        while not all(cluster.balancer.healthy.values()):
            if time.monotonic() - began > 180:
                raise PrivateServerError("the cluster's nodes did not all answer")
            await asyncio.sleep(0.1)
        yield cluster
    finally:
        try:
            await cluster.balancer.stop()
        finally:
            cluster.close()
            shutil.rmtree(root, ignore_errors=True)
