"""FastStream's Prometheus and OpenTelemetry middlewares count and trace broker publishes."""

from faststream.rabbit import RabbitQueue
from opentelemetry.sdk.trace import TracerProvider
from opentelemetry.sdk.trace.export import SimpleSpanProcessor
from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter
from prometheus_client import REGISTRY, generate_latest

from buurtwerk_shared.service.app import create_broker
from meals.service import definition
from meals.settings import MealsSettings
from tests.support.apps import platform_settings
from tests.support.broker import BrokerNamespace, collect, wait_for
from tests.support.metrics import Scrape


async def test_a_broker_publish_is_counted_and_traced_with_its_traceparent(
    namespace: BrokerNamespace,
) -> None:
    spans = InMemorySpanExporter()
    tracing = TracerProvider()
    tracing.add_span_processor(SimpleSpanProcessor(spans))
    settings = MealsSettings(platform=platform_settings(namespace))
    broker = create_broker(definition(settings), tracing)
    await broker.start()
    try:
        probe = namespace.name("probe.middlewares")
        destination = f"default.{probe}"  # FastStream's label: exchange (none) and routing key
        await broker.declare_queue(RabbitQueue(probe, durable=True))
        before = Scrape(generate_latest(REGISTRY).decode()).value(
            "faststream_published_messages_total", app_name="meals", destination=destination
        )
        async with collect(await broker.connect(), probe) as received:
            await broker.publish({"hello": "buurt"}, queue=probe, persist=True)
            await wait_for(lambda: len(received) == 1)
    finally:
        await broker.stop()

    after = Scrape(generate_latest(REGISTRY).decode()).value(
        "faststream_published_messages_total", app_name="meals", destination=destination
    )
    assert (after or 0) - (before or 0) == 1
    [span] = [s for s in spans.get_finished_spans() if s.name == f"{destination} publish"]
    assert span.context is not None
    traceparent = received[0].headers["traceparent"]
    assert isinstance(traceparent, str)
    assert traceparent.split("-")[1] == format(span.context.trace_id, "032x")
