"""What a service declares about itself; the skeleton builds the process from it."""

import asyncio
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import asyncpg
from fastapi import APIRouter

from buurtwerk_shared.config import ServiceSettings
from buurtwerk_shared.contracts.events import EventData
from buurtwerk_shared.erasure_replay import ErasureReplay
from buurtwerk_shared.messaging.consumer import BatchHandler, Vetting
from buurtwerk_shared.messaging.topology import ConsumerQueue


@dataclass(frozen=True)
class Consumer:
    """A consumer queue and the batch handler that applies its events."""

    queue: ConsumerQueue
    handler: BatchHandler
    # Refuses events by what only this consumer knows (dead-lettered with the reason).
    vet: Vetting | None = None


@dataclass(frozen=True)
class BackgroundContext:
    """What a background task gets: the service's pool and settings, and when to stop."""

    pool: asyncpg.Pool
    settings: ServiceSettings
    stopping: asyncio.Event


# A long-running task started with the service (e.g. a scheduler). It returns when `stopping` is
# set; if it raises, the skeleton logs the error and starts it again.
BackgroundTask = Callable[[BackgroundContext], Awaitable[None]]


@dataclass(frozen=True)
class ServiceDefinition:
    """A service: its name, settings, HTTP routers, consumers, published events, migrations,
    the background tasks it runs beside them, and what its pages call."""

    name: str
    title: str
    description: str
    settings: ServiceSettings
    migrations: Path
    routers: Sequence[APIRouter] = ()
    consumers: Sequence[Consumer] = ()
    publishes: Sequence[type[EventData]] = field(default_factory=tuple)
    background: Sequence[BackgroundTask] = ()
    # The service's erasure event and how to apply it again after a restore (services holding
    # personal data): `buurtwerk_shared.erasure_replay`.
    erasures: ErasureReplay | None = None
    # Origins the service's pages call besides their own (an identity provider they log in at):
    # added to the Content-Security-Policy's `connect-src`.
    csp_connect_sources: Sequence[str] = ()
