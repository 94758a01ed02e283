"""HTTP middleware: the trace context of each request, and its metrics."""

import time
from collections.abc import Awaitable, Callable

from fastapi import Request, Response
from starlette.routing import Match, Mount

from buurtwerk_shared.observability import metrics
from buurtwerk_shared.observability.tracing import continue_trace


def _route_template(request: Request) -> str:
    # Label by route template, not raw path, so ids do not explode the metric's cardinality.
    # The router records the route it dispatched to in the scope (included routers and mounts
    # are resolved there, which matching the top-level routes again would not do).
    route = request.scope.get("route")
    if route is not None:
        return str(getattr(route, "path", "unmatched"))
    for candidate in request.app.router.routes:
        match, _ = candidate.matches(request.scope)
        if match == Match.FULL and isinstance(candidate, Mount):
            return candidate.path
    return "unmatched"


async def trace_and_measure(
    request: Request, call_next: Callable[[Request], Awaitable[Response]]
) -> Response:
    """Continue the caller's `traceparent` (or start one) and count the request."""
    traceparent = continue_trace(request.headers.get("traceparent"))
    started = time.perf_counter()
    response = await call_next(request)
    route = _route_template(request)
    metrics.HTTP_REQUESTS.labels(request.method, route, str(response.status_code)).inc()
    metrics.HTTP_LATENCY.labels(request.method, route).observe(time.perf_counter() - started)
    response.headers["traceparent"] = traceparent
    return response
