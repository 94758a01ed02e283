"""A limit on the size of request bodies: beyond it, 413 as a problem document.

A body announced larger than the limit (`Content-Length`) is refused before it is read; a body
sent without a length (chunked) is counted as it arrives and refused once it passes the limit.
(Starlette's own `max_body_size` answers an announced one in plain text, whatever the app says.)
"""

from starlette.exceptions import HTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from buurtwerk_shared.web.problems import http_problem


class BodySizeLimit:
    """ASGI middleware refusing HTTP request bodies of more than `max_bytes`."""

    def __init__(self, app: ASGIApp, max_bytes: int) -> None:
        self.app = app
        self.max_bytes = max_bytes
        self.detail = f"the request body is larger than {max_bytes} bytes"

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        length = dict(scope["headers"]).get(b"content-length", b"")
        if length.isdigit() and int(length) > self.max_bytes:
            await http_problem(scope["path"], 413, self.detail)(scope, receive, send)
            return
        received = 0

        async def counted() -> Message:
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > self.max_bytes:
                    # Raised where the route reads its body: the problem handlers answer it.
                    raise HTTPException(413, self.detail)
            return message

        await self.app(scope, counted, send)
