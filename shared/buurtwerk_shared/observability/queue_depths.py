"""Consumer lag and dead letters: the depth of a service's queues, sampled periodically.

A passive `queue.declare` returns the number of messages ready in a queue without touching them
(no management plugin needed). For a consumer queue that is the lag: events published but not yet
taken by any replica. For a dead-letter queue it is the number of messages waiting for someone to
inspect and replay or discard them. Every replica samples the same queues, so dashboards and alerts
aggregate with `max`, never `sum`.
"""

import asyncio
import logging
from collections.abc import Sequence

import aio_pika
from aio_pika.abc import AbstractChannel, AbstractRobustConnection
from prometheus_client import Gauge

from buurtwerk_shared.cancellation import raise_if_cancelled
from buurtwerk_shared.messaging.channels import close_channel
from buurtwerk_shared.messaging.topology import ConsumerQueue, Topology
from buurtwerk_shared.observability import metrics

log = logging.getLogger(__name__)


async def ready_messages(channel: AbstractChannel, queue_name: str) -> int:
    """Messages ready in a queue, from a passive declare (raises if the queue does not exist)."""
    queue = await channel.declare_queue(queue_name, passive=True)
    count = queue.declaration_result.message_count
    return int(count or 0)


class QueueDepthSampler:
    """Samples the lag of each consumer queue and the size of each dead-letter queue."""

    def __init__(
        self, topology: Topology, consumers: Sequence[ConsumerQueue], interval_seconds: float
    ) -> None:
        self._queues: list[tuple[str, Gauge]] = []
        for consumer in consumers:
            self._queues.append((topology.queue_name(consumer), metrics.CONSUMER_LAG))
            self._queues.append(
                (topology.dead_letter_queue_name(consumer), metrics.DEAD_LETTER_QUEUE_MESSAGES)
            )
        self._interval = interval_seconds

    async def sample(self, connection: AbstractRobustConnection) -> None:
        """Sample every queue once; a queue that cannot be read is counted as a failure."""
        for name, gauge in self._queues:
            # A failed passive declare closes its channel: one channel per queue keeps them apart.
            channel = await connection.channel()
            try:
                gauge.labels(name).set(await ready_messages(channel, name))
            except aio_pika.exceptions.AMQPError as exc:
                metrics.QUEUE_SAMPLE_FAILURES.labels(name).inc()
                log.warning("cannot sample the depth of queue %s: %r", name, exc)
            finally:
                await close_channel(channel)

    async def run(self, connection: AbstractRobustConnection) -> None:
        """Sample until cancelled; a broken connection is retried at the next interval."""
        if not self._queues:
            return
        while True:
            try:
                await self.sample(connection)
            except Exception as exc:
                raise_if_cancelled(exc)
                log.warning("queue depth sampling failed: %r", exc)
            await asyncio.sleep(self._interval)
