"""What a service declares about itself; the skeleton builds the process from it."""

from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from fastapi import APIRouter

from buurtwerk_shared.config import ServiceSettings
from buurtwerk_shared.contracts.events import EventData
from buurtwerk_shared.messaging.consumer import BatchHandler
from buurtwerk_shared.messaging.topology import ConsumerQueue


@dataclass(frozen=True)
class Consumer:
    """A consumer queue and the batch handler that applies its events."""

    queue: ConsumerQueue
    handler: BatchHandler


@dataclass(frozen=True)
class ServiceDefinition:
    """A service: its name, settings, HTTP routers, consumers, published events, migrations."""

    name: str
    title: str
    description: str
    settings: ServiceSettings
    migrations: Path
    routers: Sequence[APIRouter] = ()
    consumers: Sequence[Consumer] = ()
    publishes: Sequence[type[EventData]] = field(default_factory=tuple)
