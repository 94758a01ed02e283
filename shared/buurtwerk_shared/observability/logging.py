"""Structured JSON logs on standard output, each line with the service and the trace id."""

import logging
import sys

from pythonjsonlogger.json import JsonFormatter

from buurtwerk_shared.observability.tracing import current_trace_id


class _ContextFilter(logging.Filter):
    def __init__(self, service: str) -> None:
        super().__init__()
        self.service = service

    def filter(self, record: logging.LogRecord) -> bool:
        record.service = self.service
        record.trace_id = current_trace_id()
        # uvicorn adds an ANSI-coloured copy of its message; the JSON line needs only one.
        record.__dict__.pop("color_message", None)
        return True


def configure_logging(service: str, level: str = "INFO") -> None:
    """Send every log record to stdout as one JSON object per line."""
    handler = logging.StreamHandler(sys.stdout)
    handler.addFilter(_ContextFilter(service))
    handler.setFormatter(
        JsonFormatter(
            "{asctime}{levelname}{name}{message}{service}{trace_id}",
            style="{",
            rename_fields={"asctime": "time", "levelname": "level", "name": "logger"},
        )
    )
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level.upper())
    # Per-request access lines would repeat what the metrics count; keep warnings and errors.
    logging.getLogger("uvicorn.access").setLevel(logging.WARNING)
