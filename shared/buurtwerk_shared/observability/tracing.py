"""The W3C `traceparent` of the work in progress: the correlation id across HTTP and events.

An HTTP request continues the caller's trace (or starts one); every event emitted while handling
it carries the trace, and a consumer continues the trace of the event it handles, so one trace id
follows a meal from the till to the council's indicator.
"""

import re
import secrets
from contextvars import ContextVar

_TRACEPARENT = re.compile(r"^00-([0-9a-f]{32})-([0-9a-f]{16})-([0-9a-f]{2})$")
_current: ContextVar[str | None] = ContextVar("traceparent", default=None)


def new_traceparent(trace_id: str | None = None) -> str:
    """A traceparent with a fresh span id, continuing `trace_id` or starting a new trace."""
    return f"00-{trace_id or secrets.token_hex(16)}-{secrets.token_hex(8)}-01"


def continue_trace(incoming: str | None) -> str:
    """Start a child span of a valid incoming traceparent, or a new trace; make it current."""
    match = _TRACEPARENT.match(incoming or "")
    traceparent = new_traceparent(match.group(1) if match else None)
    _current.set(traceparent)
    return traceparent


def current_traceparent() -> str | None:
    """The traceparent of the work in progress, if any."""
    return _current.get()


def current_trace_id() -> str | None:
    """The trace id (correlation id) of the work in progress, if any."""
    match = _TRACEPARENT.match(_current.get() or "")
    return match.group(1) if match else None
