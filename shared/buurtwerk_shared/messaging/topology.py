"""Exchanges and queues, declared by the services at start-up (idempotently).

The arguments below are the one source of truth for the broker topology:
- `buurtwerk.events`: the durable topic exchange every domain event is published to, with the
  event type as routing key;
- `buurtwerk.archive`: a stream queue bound to every event, kept forever by default, from which
  projections are rebuilt and late subscribers catch up;
- per consumer, a durable quorum queue `<service>.<purpose>` bound to the event types it handles,
  with an explicit delivery limit and dead-lettering into `<queue>.dlq` via `buurtwerk.dlx`.
"""

from dataclasses import dataclass

from faststream.rabbit import ExchangeType, QueueType, RabbitBroker, RabbitExchange, RabbitQueue

EVENTS_EXCHANGE = "buurtwerk.events"
DEAD_LETTER_EXCHANGE = "buurtwerk.dlx"
ARCHIVE_STREAM = "buurtwerk.archive"


@dataclass(frozen=True)
class ConsumerQueue:
    """A consumer's quorum queue: its name, the event types bound to it, its delivery limit."""

    name: str
    event_types: tuple[str, ...]
    delivery_limit: int = 5

    @property
    def dead_letter_queue(self) -> str:
        """The name of this queue's dead-letter queue."""
        return f"{self.name}.dlq"


@dataclass(frozen=True)
class Topology:
    """Names of the broker objects, under an optional prefix (tests, shared brokers)."""

    prefix: str = ""

    @property
    def events_exchange(self) -> RabbitExchange:
        """The topic exchange of domain events."""
        return RabbitExchange(self.prefix + EVENTS_EXCHANGE, type=ExchangeType.TOPIC, durable=True)

    @property
    def dead_letter_exchange(self) -> RabbitExchange:
        """The direct exchange that routes dead letters to `<queue>.dlq`."""
        return RabbitExchange(
            self.prefix + DEAD_LETTER_EXCHANGE, type=ExchangeType.DIRECT, durable=True
        )

    @property
    def archive_stream(self) -> RabbitQueue:
        """The stream that keeps every event (no retention limit: a rebuild starts at the first)."""
        return RabbitQueue(self.prefix + ARCHIVE_STREAM, queue_type=QueueType.STREAM, durable=True)

    def queue_name(self, consumer: ConsumerQueue) -> str:
        """The broker name of a consumer queue."""
        return self.prefix + consumer.name

    def dead_letter_queue_name(self, consumer: ConsumerQueue) -> str:
        """The broker name of a consumer's dead-letter queue (also its DLX routing key)."""
        return self.prefix + consumer.dead_letter_queue

    def consumer_queue(self, consumer: ConsumerQueue) -> RabbitQueue:
        """The quorum queue of a consumer, with its delivery limit and dead-lettering."""
        return RabbitQueue(
            self.queue_name(consumer),
            queue_type=QueueType.QUORUM,
            durable=True,
            arguments={
                "x-delivery-limit": consumer.delivery_limit,
                "x-dead-letter-exchange": self.dead_letter_exchange.name,
                "x-dead-letter-routing-key": self.dead_letter_queue_name(consumer),
                # Dead letters are moved with publisher confirms inside the broker, so none is
                # lost; RabbitMQ requires reject-publish overflow for this strategy.
                "x-dead-letter-strategy": "at-least-once",
                "x-overflow": "reject-publish",
            },
        )

    def dead_letter_queue(self, consumer: ConsumerQueue) -> RabbitQueue:
        """The durable quorum queue that holds a consumer's dead letters."""
        return RabbitQueue(
            self.dead_letter_queue_name(consumer), queue_type=QueueType.QUORUM, durable=True
        )


async def declare_topology(
    broker: RabbitBroker, topology: Topology, consumers: tuple[ConsumerQueue, ...] = ()
) -> None:
    """Declare the exchanges, the archive stream and the given consumers' queues and bindings."""
    events = await broker.declare_exchange(topology.events_exchange)
    dead_letters = await broker.declare_exchange(topology.dead_letter_exchange)
    archive = await broker.declare_queue(topology.archive_stream)
    await archive.bind(events, routing_key="#")
    for consumer in consumers:
        dlq = await broker.declare_queue(topology.dead_letter_queue(consumer))
        await dlq.bind(dead_letters, routing_key=topology.dead_letter_queue_name(consumer))
        queue = await broker.declare_queue(topology.consumer_queue(consumer))
        for event_type in consumer.event_types:
            await queue.bind(events, routing_key=event_type)
