"""Limits at the door: how a request may arrive, before the application sees it.

Uvicorn gives a cap on concurrent connections and tasks per process (`limit_concurrency`: beyond
it a new request gets 503 at once) and a keep-alive timeout between requests. What it lacks with
its fast `httptools` parser, and what this protocol adds, is
- a cap on the size of a request's head (request line and headers): beyond
  `max_header_bytes` the client gets `431 Request Header Fields Too Large` as soon as the bytes
  pass the cap, and the connection is closed; nothing more of it is read;
- a deadline for reading a request: its head and body must have arrived within `read_seconds`
  of its first byte (or of the connection, for the first request), else the client gets
  `408 Request Timeout` (when no answer was started yet) and the connection is closed, so a
  client sending a byte at a time holds nothing for longer than that.

h11 (uvicorn's other parser) has `h11_max_incomplete_event_size` for the first limit; we keep
httptools (a C parser, on the till's hot path) and count the bytes here. Written
against uvicorn's `HttpToolsProtocol` (its parser callbacks); a uvicorn upgrade that changes them
fails `tests/integration/web/test_door.py`, which runs a real process over real sockets.
"""

import asyncio
import json
from typing import Any

from uvicorn.config import Config
from uvicorn.protocols.http.httptools_impl import HttpToolsProtocol
from uvicorn.server import ServerState

# How long a refused connection is drained before it is closed.
LINGER_SECONDS = 2.0


def _refusal(status: int, reason: str, detail: str) -> bytes:
    body = json.dumps(
        {
            "type": f"https://buurtwerk.leuven.be/problems/{reason.lower().replace(' ', '-')}",
            "title": reason,
            "status": status,
            "detail": detail,
        }
    ).encode()
    head = (
        f"HTTP/1.1 {status} {reason}\r\n"
        "content-type: application/problem+json\r\n"
        f"content-length: {len(body)}\r\n"
        # The application's middleware never sees this answer: the headers every answer carries.
        "content-security-policy: default-src 'none'; frame-ancestors 'none'\r\n"
        "x-content-type-options: nosniff\r\n"
        "referrer-policy: no-referrer\r\n"
        "cache-control: no-store\r\n"
        "connection: close\r\n\r\n"
    )
    return head.encode() + body


class LimitedHttpToolsProtocol(HttpToolsProtocol):
    """Uvicorn's httptools protocol with a cap on a request's head and a deadline to read it."""

    max_header_bytes = 32_768
    read_seconds = 20.0

    def __init__(
        self,
        config: Config,
        server_state: ServerState,
        app_state: dict[str, Any],
        _loop: asyncio.AbstractEventLoop | None = None,
    ) -> None:
        super().__init__(config, server_state, app_state, _loop)
        self._head_bytes = 0
        self._in_head = True
        self._reading = False
        self._deadline: asyncio.TimerHandle | None = None
        self._refused = False

    @classmethod
    def with_limits(
        cls, max_header_bytes: int, read_seconds: float
    ) -> type["LimitedHttpToolsProtocol"]:
        """The protocol class with these limits (uvicorn takes a class, not an instance)."""
        return type(
            cls.__name__,
            (cls,),
            {"max_header_bytes": max_header_bytes, "read_seconds": read_seconds},
        )

    def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
        super().connection_made(transport)
        self._start_reading()

    def connection_lost(self, exc: Exception | None) -> None:
        self._stop_reading()
        super().connection_lost(exc)

    def data_received(self, data: bytes) -> None:
        if self._refused:
            return  # lingering after a refusal: what the client still sends is dropped
        if not self._reading and self._in_head:
            self._start_reading()  # the first byte of a request on a kept-alive connection
        if self._in_head:
            self._head_bytes += len(data)
            if self._head_bytes > self.max_header_bytes:
                self._refuse(
                    431,
                    "Request Header Fields Too Large",
                    f"the request line and headers are larger than {self.max_header_bytes} bytes",
                )
                return
        super().data_received(data)

    def on_message_begin(self) -> None:
        super().on_message_begin()
        self._in_head = True

    def on_headers_complete(self) -> None:
        self._in_head = False
        self._head_bytes = 0
        super().on_headers_complete()

    def on_message_complete(self) -> None:
        self._stop_reading()
        super().on_message_complete()

    def on_response_complete(self) -> None:
        super().on_response_complete()
        # Idle until the next request: uvicorn's keep-alive timeout watches that.
        self._in_head = True
        self._head_bytes = 0

    def _start_reading(self) -> None:
        self._stop_reading()
        self._reading = True
        self._deadline = self.loop.call_later(self.read_seconds, self._too_slow)

    def _stop_reading(self) -> None:
        self._reading = False
        if self._deadline is not None:
            self._deadline.cancel()
            self._deadline = None

    def _too_slow(self) -> None:
        self._deadline = None
        if self.transport.is_closing():
            return
        detail = f"the request did not arrive within {self.read_seconds:g} seconds"
        if self.cycle is not None and not self.cycle.response_complete:
            # The application is reading the body: it sees the client go (`http.disconnect`).
            self.cycle.disconnected = True
            self.cycle.message_event.set()
            if not self.cycle.response_started:
                self.transport.write(_refusal(408, "Request Timeout", detail))
            self.transport.close()
            return
        self._refuse(408, "Request Timeout", detail)

    def _refuse(self, status: int, reason: str, detail: str) -> None:
        """Answer and close. Closing while the client still sends makes the kernel reset the
        connection, and a reset can destroy the answer before the client reads it: so the
        answer is sent, the sending side shut, and what still arrives dropped for a moment
        (a lingering close, as web servers do) before the connection is closed."""
        self._stop_reading()
        self._refused = True
        self.logger.warning("refused a request: %s", detail)
        self.transport.write(_refusal(status, reason, detail))
        if self.transport.can_write_eof():
            self.transport.write_eof()
        self.loop.call_later(LINGER_SECONDS, self.transport.close)
