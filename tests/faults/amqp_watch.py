"""An AMQP proxy that reads the frames it forwards, so a test can act at an exact moment.

It keeps, per connection and channel, what a service has published and what the broker has
confirmed, and what the broker has delivered and the service has settled. A test can ask to be
called the moment the next publish or delivery passes, e.g. to hold the service's database
connection just before the confirms arrive, which puts the outbox relay between the confirm and
the marking of its rows, where a kill leaves published rows unmarked.
"""

import struct
from collections.abc import Callable
from dataclasses import dataclass, field

from tests.support.proxy import CuttableProxy, Forwarded

PROTOCOL_HEADER_SIZE = 8  # "AMQP\x00\x00\x09\x01", sent by the client before its first frame
FRAME_HEADER = struct.Struct(">BHI")  # type, channel, payload size; then the payload and 0xCE
METHOD_FRAME = 1

CHANNEL_OPEN = (20, 10)
CONFIRM_SELECT = (85, 10)
BASIC_PUBLISH = (60, 40)
BASIC_DELIVER = (60, 60)
BASIC_ACK = (60, 80)
BASIC_REJECT = (60, 90)
BASIC_NACK = (60, 120)


@dataclass(frozen=True)
class Method:
    """One method frame: its direction, channel, (class, method) and raw arguments."""

    upstream: bool
    channel: int
    method: tuple[int, int]
    arguments: bytes


class FrameReader:
    """Cuts one direction of a connection into frames and returns the method frames."""

    def __init__(self, upstream: bool) -> None:
        self._upstream = upstream
        self._buffer = bytearray()
        self._header_left = PROTOCOL_HEADER_SIZE if upstream else 0

    def feed(self, data: bytes) -> list[Method]:
        """The method frames completed by `data`."""
        self._buffer += data
        if self._header_left:
            skipped = min(self._header_left, len(self._buffer))
            del self._buffer[:skipped]
            self._header_left -= skipped
        methods: list[Method] = []
        while len(self._buffer) >= FRAME_HEADER.size:
            kind, channel, size = FRAME_HEADER.unpack_from(self._buffer)
            end = FRAME_HEADER.size + size + 1
            if len(self._buffer) < end:
                break
            payload = bytes(self._buffer[FRAME_HEADER.size : end - 1])
            del self._buffer[:end]
            if kind == METHOD_FRAME:
                class_id, method_id = struct.unpack_from(">HH", payload)
                methods.append(Method(self._upstream, channel, (class_id, method_id), payload[4:]))
        return methods


def _settle(tags: set[int], tag: int, multiple: bool) -> None:
    if multiple:
        tags.difference_update({t for t in tags if t <= tag})
    else:
        tags.discard(tag)


@dataclass
class ChannelLedger:
    """Publishes not yet confirmed and deliveries not yet settled, on one channel."""

    confirming: bool = False
    published: int = 0
    unconfirmed: set[int] = field(default_factory=set)
    in_hand: set[int] = field(default_factory=set)


@dataclass
class ConnectionLedger:
    """What passed on one proxied AMQP connection."""

    channels: dict[int, ChannelLedger] = field(default_factory=dict)
    readers: dict[bool, FrameReader] = field(
        default_factory=lambda: {True: FrameReader(True), False: FrameReader(False)}
    )

    def record(self, method: Method) -> None:
        """Update the channel's ledger with one method frame."""
        if method.method == CHANNEL_OPEN:
            self.channels[method.channel] = ChannelLedger()
            return
        ledger = self.channels.setdefault(method.channel, ChannelLedger())
        args = method.arguments
        if method.method == CONFIRM_SELECT:
            ledger.confirming = True
        elif method.method == BASIC_PUBLISH and ledger.confirming:
            ledger.published += 1
            ledger.unconfirmed.add(ledger.published)
        elif method.method == BASIC_DELIVER:
            consumer_tag_length = args[0]
            (tag,) = struct.unpack_from(">Q", args, 1 + consumer_tag_length)
            ledger.in_hand.add(tag)
        elif method.method in (BASIC_ACK, BASIC_NACK, BASIC_REJECT):
            tag, bits = struct.unpack_from(">QB", args)
            multiple = bool(bits & 1) and method.method != BASIC_REJECT
            # From the broker: a publisher confirm; from the service: a consumer's settlement.
            _settle(ledger.unconfirmed if not method.upstream else ledger.in_hand, tag, multiple)


class WatchedAmqpProxy(CuttableProxy):
    """A cuttable proxy for AMQP that keeps a ledger per connection and fires one-shot hooks."""

    def __init__(self, target_host: str, target_port: int) -> None:
        super().__init__(target_host, target_port)
        self.connections: list[ConnectionLedger] = []
        self.publishes = 0
        self.deliveries = 0
        self._hooks: list[tuple[tuple[int, int], Callable[[], None]]] = []

    def observer(self) -> Forwarded:
        """A new connection: a ledger of its own."""
        ledger = ConnectionLedger()
        self.connections.append(ledger)

        def forwarded(upstream: bool, data: bytes) -> None:
            for method in ledger.readers[upstream].feed(data):
                ledger.record(method)
                self._count(method)

        return forwarded

    def on_next_publish(self, action: Callable[[], None]) -> None:
        """Call `action` once, as soon as the next publish has been forwarded to the broker."""
        self._hooks.append((BASIC_PUBLISH, action))

    def on_next_delivery(self, action: Callable[[], None]) -> None:
        """Call `action` once, as soon as the next delivery has been forwarded to the service."""
        self._hooks.append((BASIC_DELIVER, action))

    @property
    def unconfirmed(self) -> int:
        """Publishes forwarded to the broker whose confirm has not been forwarded back."""
        return sum(len(channel.unconfirmed) for channel in self._channels())

    @property
    def in_hand(self) -> int:
        """Deliveries forwarded to the service that it has not acked, nacked or rejected."""
        return sum(len(channel.in_hand) for channel in self._channels())

    def _channels(self) -> list[ChannelLedger]:
        return [c for ledger in self.connections for c in ledger.channels.values()]

    def forget_connections(self) -> None:
        """Drop the ledgers (after the service died: its channels are gone)."""
        self.connections.clear()

    def _count(self, method: Method) -> None:
        if method.method == BASIC_PUBLISH:
            self.publishes += 1
        elif method.method == BASIC_DELIVER:
            self.deliveries += 1
        fired = [hook for hook in self._hooks if hook[0] == method.method]
        for hook in fired:
            self._hooks.remove(hook)
            hook[1]()
