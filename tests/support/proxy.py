"""A TCP proxy on loopback whose connections a test can cut or hold, to simulate failures."""

import asyncio
import contextlib
from collections.abc import Callable
from typing import Self
from urllib.parse import urlsplit, urlunsplit

# Told about every chunk the proxy has just forwarded: (towards the server?, the bytes).
Forwarded = Callable[[bool, bytes], None]


class CuttableProxy:
    """Forwards a local port to a server; `cut()` drops every open connection at once.

    `pause()` holds the traffic of one or both directions (the connections stay open, as with a
    stalled network or server) until `resume()`.
    """

    def __init__(self, target_host: str, target_port: int) -> None:
        self._target = (target_host, target_port)
        self._server: asyncio.Server | None = None
        self._writers: set[asyncio.StreamWriter] = set()
        self._flowing = {True: asyncio.Event(), False: asyncio.Event()}
        for direction in self._flowing.values():
            direction.set()
        self.port = 0
        self.cuts = 0
        self.down = False

    @classmethod
    def for_url(cls, url: str) -> Self:
        """A proxy for the host and port of a URL."""
        parts = urlsplit(url)
        return cls(parts.hostname or "127.0.0.1", parts.port or 0)

    def url(self, url: str) -> str:
        """`url` with its host and port pointing at this proxy."""
        parts = urlsplit(url)
        credentials = parts.netloc.rsplit("@", 1)[0] + "@" if "@" in parts.netloc else ""
        return urlunsplit(parts._replace(netloc=f"{credentials}127.0.0.1:{self.port}"))

    async def start(self) -> None:
        """Listen on a free loopback port."""
        self._server = await asyncio.start_server(self._accept, "127.0.0.1", 0)
        self.port = self._server.sockets[0].getsockname()[1]

    async def stop(self) -> None:
        """Stop listening and drop every connection."""
        self.cut()
        if self._server is not None:
            self._server.close()
            await self._server.wait_closed()

    def go_down(self) -> None:
        """The server is gone: every connection is dropped, and every new one too, at once.

        The proxy keeps its port meanwhile. Had it stopped listening, another process could take
        the freed port, and a client connecting to it would wait for an answer that never comes
        instead of being refused.
        """
        self.down = True
        self.cut()

    def pause(self, *, upstream: bool = True, downstream: bool = True) -> None:
        """Hold what clients send (`upstream`) and/or what the server sends (`downstream`)."""
        if upstream:
            self._flowing[True].clear()
        if downstream:
            self._flowing[False].clear()

    def resume(self) -> None:
        """Forward again in both directions."""
        for direction in self._flowing.values():
            direction.set()

    def observer(self) -> Forwarded | None:
        """A subclass's hook: the callback told about one new connection's traffic."""
        return None

    def cut(self) -> None:
        """Drop every open connection, as a network failure would."""
        self.cuts += 1
        for writer in list(self._writers):
            with contextlib.suppress(Exception):
                writer.transport.abort()
        self._writers.clear()

    async def _accept(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        if self.down:
            writer.transport.abort()
            return
        # Known at once, so that a cut while the server's side is still being opened drops it too.
        self._writers.add(writer)
        cuts = self.cuts
        try:
            up_reader, up_writer = await asyncio.open_connection(*self._target)
        except OSError:
            writer.transport.abort()
            self._writers.discard(writer)
            return
        if self.cuts != cuts:
            up_writer.transport.abort()
            return  # the client's side was dropped by the cut
        self._writers.add(up_writer)
        forwarded = self.observer()
        await asyncio.gather(
            self._pipe(reader, up_writer, True, forwarded),
            self._pipe(up_reader, writer, False, forwarded),
            return_exceptions=True,
        )
        self._writers.discard(writer)
        self._writers.discard(up_writer)

    async def _pipe(
        self,
        reader: asyncio.StreamReader,
        writer: asyncio.StreamWriter,
        upstream: bool,
        forwarded: Forwarded | None,
    ) -> None:
        try:
            while data := await reader.read(65536):
                await self._flowing[upstream].wait()
                if writer.transport.is_closing():
                    return  # cut while held: what was held is lost, as on a broken link
                writer.write(data)
                # Before any reply can be read: an observer may hold the other side in time.
                if forwarded is not None:
                    forwarded(upstream, data)
                await writer.drain()
        finally:
            with contextlib.suppress(Exception):
                writer.transport.abort()
