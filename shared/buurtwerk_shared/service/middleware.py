"""HTTP middleware: the trace context of each request, and its metrics.

Plain ASGI rather than Starlette's `BaseHTTPMiddleware`, which runs every request in a task of
its own with memory streams between the two: a cost on each registration at the till.
"""

import time

from starlette.datastructures import Headers, MutableHeaders
from starlette.routing import Match, Mount
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from buurtwerk_shared.observability import metrics
from buurtwerk_shared.observability.tracing import continue_trace


def _route_template(scope: Scope) -> str:
    # Label by route template, not raw path, so ids do not explode the metric's cardinality.
    # The router records the route it dispatched to in the scope (included routers and mounts
    # are resolved there, which matching the top-level routes again would not do).
    route = scope.get("route")
    if route is not None:
        return str(getattr(route, "path", "unmatched"))
    for candidate in scope["app"].router.routes:
        match, _ = candidate.matches(scope)
        if match == Match.FULL and isinstance(candidate, Mount):
            return candidate.path
    return "unmatched"


class TraceAndMeasure:
    """Continue the caller's `traceparent` (or start one), return it, and count the request."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        traceparent = continue_trace(Headers(scope=scope).get("traceparent"))
        started = time.perf_counter()
        status = 500  # what the server answers when the application raises

        async def send_with_trace(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
                MutableHeaders(scope=message)["traceparent"] = traceparent
            await send(message)

        try:
            await self.app(scope, receive, send_with_trace)
        finally:
            route = _route_template(scope)
            metrics.HTTP_REQUESTS.labels(scope["method"], route, str(status)).inc()
            metrics.HTTP_LATENCY.labels(scope["method"], route).observe(
                time.perf_counter() - started
            )
