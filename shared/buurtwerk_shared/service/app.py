"""Build a service's ASGI app: FastAPI for HTTP, a FastStream RabbitBroker for AMQP.

The broker is started and stopped in FastAPI's lifespan (FastStream's framework-neutral
integration), so the shutdown order is ours: stop taking messages, let the consumers finish their
batch and the relay its publish, then close the broker and the database pool, all within the
grace period (`buurtwerk_shared.service.stopping`).
"""

import asyncio
import contextlib
import datetime as dt
import inspect
import logging
from collections.abc import AsyncIterator

from fastapi import FastAPI
from fastapi.responses import JSONResponse
from faststream.rabbit import Channel, RabbitBroker
from faststream.rabbit.opentelemetry import RabbitTelemetryMiddleware
from faststream.rabbit.prometheus import RabbitPrometheusMiddleware
from faststream.specification import AsyncAPI
from opentelemetry.sdk.trace import TracerProvider
from prometheus_client import REGISTRY

from buurtwerk_shared import VERSION, clock
from buurtwerk_shared.cancellation import raise_if_cancelled
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
from buurtwerk_shared.service.stopping import (
    CANCEL_SECONDS,
    CLOSE_SECONDS,
    cancel_and_wait,
    close_within,
    lifespan_seconds,
    stop_workers,
)
from buurtwerk_shared.web import audit_log, docs, health
from buurtwerk_shared.web import metrics as metrics_route
from buurtwerk_shared.web.auth import TokenVerifier
from buurtwerk_shared.web.headers import SecurityHeaders
from buurtwerk_shared.web.limits import BodySizeLimit
from buurtwerk_shared.web.problems import install_problem_handlers

log = logging.getLogger(__name__)

# The relay's share of the stop, after the workers whose rows it publishes.
RELAY_SECONDS = 1.0
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
        graceful_timeout=CLOSE_SECONDS,
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
            description=inspect.cleandoc(event_class.__doc__ or ""),
            schema=event_class,
        )
    return broker


def asyncapi(definition: ServiceDefinition, broker: RabbitBroker) -> AsyncAPI:
    """The AsyncAPI document of the events this service publishes."""
    return AsyncAPI(
        broker,
        title=f"Buurtwerk {definition.name} events",
        version=VERSION,
        description=definition.description,
    )


async def supervise(task: BackgroundTask, context: BackgroundContext) -> None:
    """Run a background task until the service stops, restarting it after a failure."""
    name = getattr(task, "__qualname__", repr(task))
    while not context.stopping.is_set():
        try:
            await task(context)
        except Exception as exc:
            raise_if_cancelled(exc)
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
    if platform.clock_start is not None:
        clock.start_at(platform.clock_start)
        log.warning("the clock starts at %s (BUURTWERK_CLOCK_START)", platform.clock_start)
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
            await replay_pending(
                pool, connection, topology, definition.erasures, platform.publisher_accounts
            )
        relay = OutboxRelay(
            pool,
            settings.database_url,
            topology.events_exchange.name,
            user_id=platform.broker_user,
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
                publishers=platform.publisher_accounts,
                vet=c.vet,
                batch_size=settings.consumer_batch_size,
            )
            for c in definition.consumers
        ]
        sampler = QueueDepthSampler(
            topology,
            [c.queue for c in definition.consumers],
            interval_seconds=settings.queue_sample_seconds,
        )
        relay_task = asyncio.create_task(relay.run(connection), name="outbox relay")
        sampler_task = asyncio.create_task(sampler.run(connection), name="queue depths")
        background = BackgroundContext(pool=pool, settings=settings, stopping=asyncio.Event())
        expiry = expiry_task(
            dt.timedelta(days=settings.idempotency_keep_days), settings.idempotency_sweep_seconds
        )
        # Each worker, with what becomes of its work if the stop cuts it short.
        workers: dict[asyncio.Task[None], str] = {
            asyncio.create_task(c.run(connection), name=f"consumer {c.name}"): (
                "the messages it holds return to the queue"
            )
            for c in consumers
        }
        for i, task in enumerate((*definition.background, expiry)):
            name = f"background task {getattr(task, '__qualname__', i)}"
            worker = asyncio.create_task(supervise(task, background), name=name)
            workers[worker] = "it carries on from the database at the next start"
        log.info("%s started", definition.name)
        try:
            yield
        finally:
            loop = asyncio.get_running_loop()
            began = loop.time()
            # The workers' part ends before the broker and the pool are closed; the relay, last,
            # gets a second of it to publish what the others committed as they stopped.
            end = began + lifespan_seconds(platform.stop_grace_seconds) - 2 * CLOSE_SECONDS
            background.stopping.set()
            for consumer in consumers:
                consumer.stop()
            await cancel_and_wait(sampler_task)
            await stop_workers(workers, deadline=end - RELAY_SECONDS)
            relay.stop()
            await stop_workers(
                {relay_task: "unpublished rows stay in the outbox and go out after the restart"},
                deadline=max(end, loop.time() + CANCEL_SECONDS),
            )
            await close_within("the broker connection", broker.stop())
            if not await close_within("the database pool", pool.close()):
                pool.terminate()
            tracing.shutdown()
            took = loop.time() - began
            log.info("%s stopped", definition.name, extra={"stop_seconds": round(took, 3)})

    app = FastAPI(
        title=f"Buurtwerk {definition.title}",
        description=definition.description,
        version=VERSION,
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
    app.include_router(metrics_route.router)

    @app.get("/asyncapi.json", include_in_schema=False)
    async def asyncapi_document() -> JSONResponse:
        return JSONResponse(spec.to_specification().to_jsonable())

    return app
