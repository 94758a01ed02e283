"""Build a service's ASGI app: FastAPI for HTTP, a FastStream RabbitBroker for AMQP.

The broker is started and stopped in FastAPI's lifespan (FastStream's framework-neutral
integration), so the shutdown order is ours: stop taking messages, let the consumers finish their
batch and the relay its publish, then close the broker and the database pool.
"""

import asyncio
import contextlib
import datetime as dt
import logging
from collections.abc import AsyncIterator

from fastapi import FastAPI
from fastapi.responses import JSONResponse
from faststream.rabbit import Channel, RabbitBroker
from faststream.rabbit.opentelemetry import RabbitTelemetryMiddleware
from faststream.rabbit.prometheus import RabbitPrometheusMiddleware
from faststream.specification import AsyncAPI
from opentelemetry.sdk.trace import TracerProvider
from prometheus_client import REGISTRY, make_asgi_app

from buurtwerk_shared.db.pool import create_pool
from buurtwerk_shared.erasure_replay import replay_pending
from buurtwerk_shared.idempotency import expiry_task
from buurtwerk_shared.messaging.consumer import BatchConsumer
from buurtwerk_shared.messaging.relay import OutboxRelay
from buurtwerk_shared.messaging.topology import Topology, declare_topology
from buurtwerk_shared.observability.logging import configure_logging
from buurtwerk_shared.observability.queue_depths import QueueDepthSampler
from buurtwerk_shared.observability.telemetry import tracer_provider
from buurtwerk_shared.service.definition import (
    BackgroundContext,
    BackgroundTask,
    ServiceDefinition,
)
from buurtwerk_shared.service.middleware import TraceAndMeasure
from buurtwerk_shared.web import audit_log, docs, health
from buurtwerk_shared.web.auth import TokenVerifier
from buurtwerk_shared.web.headers import SecurityHeaders
from buurtwerk_shared.web.limits import BodySizeLimit
from buurtwerk_shared.web.problems import install_problem_handlers

log = logging.getLogger(__name__)

# Below the 30 s that orchestrators wait between SIGTERM and SIGKILL.
GRACEFUL_STOP_SECONDS = 15.0
# How long a background task that failed waits before it is started again.
BACKGROUND_RESTART_SECONDS = 1.0


def create_broker(
    definition: ServiceDefinition, tracing: TracerProvider | None = None
) -> RabbitBroker:
    """The service's broker, with a publisher per event type it publishes (for AsyncAPI).

    FastStream's Prometheus and OpenTelemetry middlewares measure and trace what goes through
    FastStream's own publishers and subscribers (`faststream_*` metrics); the outbox relay and the
    batch consumers talk to aio-pika directly and are measured by `buurtwerk_*` metrics.
    """
    platform = definition.settings.platform
    broker = RabbitBroker(
        platform.amqp_url,
        logger=None,
        graceful_timeout=GRACEFUL_STOP_SECONDS,
        default_channel=Channel(publisher_confirms=True, on_return_raises=True),
        middlewares=(
            RabbitPrometheusMiddleware(registry=REGISTRY, app_name=definition.name),
            RabbitTelemetryMiddleware(tracer_provider=tracing),
        ),
    )
    exchange = Topology(platform.topology_prefix).events_exchange
    for event_class in definition.publishes:
        broker.publisher(
            exchange=exchange,
            routing_key=event_class.event_type,
            persist=True,
            title=event_class.event_type,
            description=(event_class.__doc__ or "").strip(),
            schema=event_class,
        )
    return broker


def asyncapi(definition: ServiceDefinition, broker: RabbitBroker) -> AsyncAPI:
    """The AsyncAPI document of the events this service publishes."""
    return AsyncAPI(
        broker,
        title=f"Buurtwerk {definition.name} events",
        version="1.0.0",
        description=definition.description,
    )


async def supervise(task: BackgroundTask, context: BackgroundContext) -> None:
    """Run a background task until the service stops, restarting it after a failure."""
    name = getattr(task, "__qualname__", repr(task))
    while not context.stopping.is_set():
        try:
            await task(context)
        except Exception:
            log.exception("background task %s failed; restarting it", name)
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(context.stopping.wait(), BACKGROUND_RESTART_SECONDS)
        else:
            return


def create_app(definition: ServiceDefinition) -> FastAPI:
    """The ASGI application of one service."""
    settings = definition.settings
    platform = settings.platform
    configure_logging(definition.name, platform.log_level)
    topology = Topology(platform.topology_prefix)
    tracing = tracer_provider(definition.name)
    broker = create_broker(definition, tracing)
    spec = asyncapi(definition, broker)

    @contextlib.asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        pool = await create_pool(settings.database_url, settings.db_pool_size)
        app.state.pool = pool
        await broker.start()
        connection = await broker.connect()
        await declare_topology(broker, topology, tuple(c.queue for c in definition.consumers))
        if definition.erasures is not None:
            # After a restore: the erasures made since the backup, before anything is answered.
            await replay_pending(pool, connection, topology, definition.erasures)
        relay = OutboxRelay(
            pool,
            settings.database_url,
            topology.events_exchange.name,
            batch_size=settings.outbox_batch_size,
            poll_seconds=settings.outbox_poll_seconds,
        )
        consumers = [
            BatchConsumer(
                name=c.queue.name,
                queue=c.queue,
                topology=topology,
                pool=pool,
                handler=c.handler,
                batch_size=settings.consumer_batch_size,
            )
            for c in definition.consumers
        ]
        sampler = QueueDepthSampler(
            topology,
            [c.queue for c in definition.consumers],
            interval_seconds=settings.queue_sample_seconds,
        )
        relay_task = asyncio.create_task(relay.run(connection), name="outbox-relay")
        sampler_task = asyncio.create_task(sampler.run(connection), name="queue-depths")
        consumer_tasks = [
            asyncio.create_task(c.run(connection), name=f"consumer-{c.name}") for c in consumers
        ]
        background = BackgroundContext(pool=pool, settings=settings, stopping=asyncio.Event())
        expiry = expiry_task(
            dt.timedelta(days=settings.idempotency_keep_days), settings.idempotency_sweep_seconds
        )
        background_tasks = [
            asyncio.create_task(supervise(task, background), name=f"background-{i}")
            for i, task in enumerate((*definition.background, expiry))
        ]
        log.info("%s started", definition.name)
        try:
            yield
        finally:
            background.stopping.set()
            for consumer in consumers:
                consumer.stop()
            if consumer_tasks or background_tasks:
                _, pending = await asyncio.wait(
                    consumer_tasks + background_tasks, timeout=GRACEFUL_STOP_SECONDS
                )
                for task in pending:
                    task.cancel()
            for task in (relay_task, sampler_task):
                task.cancel()
                with contextlib.suppress(asyncio.CancelledError):
                    await task
            await broker.stop()
            await pool.close()
            tracing.shutdown()
            log.info("%s stopped", definition.name)

    app = FastAPI(
        title=f"Buurtwerk {definition.title}",
        description=definition.description,
        version="1.0.0",
        lifespan=lifespan,
        # Served from files the service ships (`buurtwerk_shared.web.docs`), not from a CDN.
        docs_url=None,
        redoc_url=None,
    )
    app.state.broker = broker
    app.state.settings = settings
    app.state.token_verifier = TokenVerifier(platform.auth)
    # Added first, so it runs inside the tracing middleware: refusals are traced and counted.
    app.add_middleware(BodySizeLimit, max_bytes=platform.max_request_bytes)
    app.add_middleware(TraceAndMeasure)
    app.add_middleware(
        SecurityHeaders,
        connect_sources=[*platform.csp_connect_sources, *definition.csp_connect_sources],
    )
    install_problem_handlers(app)
    app.include_router(health.router)
    app.include_router(audit_log.router)
    app.include_router(docs.router)
    for router in definition.routers:
        app.include_router(router)
    app.mount("/metrics", make_asgi_app())

    @app.get("/asyncapi.json", include_in_schema=False)
    async def asyncapi_document() -> JSONResponse:
        return JSONResponse(spec.to_specification().to_jsonable())

    return app
