"""What the reporting routes and background work share in one process.

FastAPI runs a router's lifespan inside the application's, after the skeleton has opened the
database pool: the plan, the indicators and the indicator publisher live here.
"""

import asyncio
import contextlib
from collections.abc import AsyncIterator
from dataclasses import dataclass

from fastapi import APIRouter, FastAPI, Request

from reporting.catalogue.plan import Plan, plan_from
from reporting.indicators.values import Indicators
from reporting.publishing.publisher import IndicatorPublisher
from reporting.settings import ReportingSettings


@dataclass(frozen=True)
class Runtime:
    """The loaded plan, its indicators and the settings."""

    settings: ReportingSettings
    plan: Plan
    indicators: Indicators


def build_runtime(settings: ReportingSettings) -> Runtime:
    """Load the plan and set up its indicators."""
    plan = plan_from(settings.plan_file)
    return Runtime(settings, plan, Indicators(plan, settings.suppression_threshold))


def runtime_router(settings: ReportingSettings) -> APIRouter:
    """A router without routes whose lifespan runs the indicator publisher."""

    @contextlib.asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        runtime = build_runtime(settings)
        app.state.runtime = runtime
        publisher = IndicatorPublisher(
            app.state.pool,
            runtime.indicators,
            settings.publish_debounce_seconds,
            settings.publish_batch_size,
        )
        task = asyncio.create_task(publisher.run(), name="indicator-publisher")
        try:
            yield
        finally:
            publisher.stop()
            with contextlib.suppress(asyncio.CancelledError, TimeoutError):
                await asyncio.wait_for(task, timeout=10)

    return APIRouter(lifespan=lifespan)


async def runtime(request: Request) -> Runtime:
    """FastAPI dependency: the process's runtime."""
    value: Runtime = request.app.state.runtime
    return value
