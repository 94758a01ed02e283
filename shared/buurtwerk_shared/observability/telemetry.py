"""OpenTelemetry tracing of the broker's messages (FastStream's telemetry middleware).

Spans are exported with OTLP over HTTP when the standard variable `OTEL_EXPORTER_OTLP_ENDPOINT`
(or `OTEL_EXPORTER_OTLP_TRACES_ENDPOINT`) names a collector; the exporter reads the rest of the
standard `OTEL_EXPORTER_OTLP_*` variables itself. Without a collector the spans are still created,
so the W3C `traceparent` is continued across FastStream publishers and subscribers, and dropped.
"""

import os

from opentelemetry.exporter.otlp.proto.http.trace_exporter import OTLPSpanExporter
from opentelemetry.sdk.resources import Resource
from opentelemetry.sdk.trace import TracerProvider
from opentelemetry.sdk.trace.export import BatchSpanProcessor

OTLP_ENDPOINT_VARIABLES = ("OTEL_EXPORTER_OTLP_TRACES_ENDPOINT", "OTEL_EXPORTER_OTLP_ENDPOINT")


def tracer_provider(service: str) -> TracerProvider:
    """A tracer provider for one service, exporting to the configured collector if any."""
    provider = TracerProvider(resource=Resource.create({"service.name": f"buurtwerk-{service}"}))
    if any(os.environ.get(name) for name in OTLP_ENDPOINT_VARIABLES):
        provider.add_span_processor(BatchSpanProcessor(OTLPSpanExporter()))
    return provider
