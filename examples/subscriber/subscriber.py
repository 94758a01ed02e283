"""An example subscriber to Buurtwerk events: what another city system needs, and nothing more.

It declares its own durable quorum queue, binds it to the routing keys it wants on the topic
exchange `buurtwerk.events`, and prints each event as one JSON line: its CloudEvents attributes
(from the `ce-*` headers, binary content mode) and its data (the JSON body). Delivery is at least
once, so it remembers the ids it has handled (`--seen-file`) and skips a redelivered event. It
believes an event only when the broker says its source's own account published it (the AMQP
`user_id`, which RabbitMQ checks against the publishing connection), and skips any other.
With `--from-archive` it reads the stream `buurtwerk.archive` from the first event ever published
instead (a late subscriber catching up, or a rebuild).

    python examples/subscriber/subscriber.py --bind 'meals.#' --bind 'reporting.*.v1'
    python examples/subscriber/subscriber.py --from-archive --max-events 100

Only aio-pika is needed. Accounts: see docs/subscribing.md.
"""

import argparse
import asyncio
import json
import os
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import aio_pika
from aio_pika.abc import AbstractIncomingMessage

EXCHANGE = "buurtwerk.events"
ARCHIVE = "buurtwerk.archive"
REQUIRED_ATTRIBUTES = ("id", "source", "type", "specversion", "time")
# Which broker account publishes which source (docs/subscribing.md, "Who published it").
PUBLISHERS = {
    "/buurtwerk/meals": "buurtwerk-meals",
    "/buurtwerk/volunteers": "buurtwerk-volunteers",
    "/buurtwerk/courses": "buurtwerk-courses",
    "/buurtwerk/reporting": "buurtwerk-reporting",
}
MAX_MESSAGE_BYTES = 262_144


def authenticated(
    message: AbstractIncomingMessage, source: str, publishers: dict[str, str]
) -> bool:
    """Whether the account that published the message is the one of its claimed source."""
    account = publishers.get(source)
    return account is not None and message.user_id == account


def cloud_event(message: AbstractIncomingMessage, publishers: dict[str, str]) -> dict[str, Any]:
    """The event as CloudEvents attributes plus data; raises ValueError if it is not one, or not
    published by its source's account."""
    if len(message.body) > MAX_MESSAGE_BYTES:
        raise ValueError(f"{len(message.body)} bytes: larger than any event")
    headers = message.headers or {}

    def header(name: str) -> str | None:
        value = headers.get(name)
        return value.decode() if isinstance(value, bytes) else None if value is None else str(value)

    event: dict[str, Any] = {
        name: header(f"ce-{name}") for name in (*REQUIRED_ATTRIBUTES, "subject")
    }
    missing = [name for name in REQUIRED_ATTRIBUTES if not event[name]]
    if missing:
        raise ValueError(f"not a CloudEvent, missing ce-{', ce-'.join(missing)}")
    if not authenticated(message, event["source"], publishers):
        raise ValueError(f"not published by the account of {event['source']}: a forgery")
    event["traceparent"] = header("traceparent")
    event["data"] = json.loads(message.body)
    return event


class SeenIds:
    """The event ids already handled, kept in a file so a restart skips them too."""

    def __init__(self, path: Path | None) -> None:
        self._path = path
        self._ids = set(path.read_text().split()) if path and path.exists() else set()

    def __contains__(self, event_id: str) -> bool:
        return event_id in self._ids

    def add(self, event_id: str) -> None:
        self._ids.add(event_id)
        if self._path:
            with self._path.open("a") as file:
                file.write(event_id + "\n")


async def subscribe(args: argparse.Namespace) -> int:
    """Consume until interrupted, or until `--max-events` events have been printed."""
    connection = await aio_pika.connect_robust(args.amqp_url)
    done = asyncio.Event()
    seen = SeenIds(args.seen_file)
    handled = 0
    async with connection:
        channel = await connection.channel()
        await channel.set_qos(prefetch_count=100)
        if args.from_archive:
            queue = await channel.get_queue(args.prefix + ARCHIVE, ensure=False)
            consume_arguments: dict[str, Any] = {"x-stream-offset": "first"}
        else:
            queue = await channel.declare_queue(
                args.prefix + args.queue, durable=True, arguments={"x-queue-type": "quorum"}
            )
            for routing_key in args.bind:
                await queue.bind(args.prefix + EXCHANGE, routing_key=routing_key)
            consume_arguments = {}

        async def handle(message: AbstractIncomingMessage) -> None:
            nonlocal handled
            try:
                event = cloud_event(message, args.publishers)
            except ValueError as exc:
                print(f"skipping message {message.message_id}: {exc}", file=sys.stderr)
                await message.ack()
                return
            if event["id"] not in seen:
                print(json.dumps(event, ensure_ascii=False), flush=True)
                seen.add(event["id"])
                handled += 1
            await message.ack()
            if args.max_events and handled >= args.max_events:
                done.set()

        await queue.consume(handle, arguments=consume_arguments)
        print(f"subscribed to {queue.name}", file=sys.stderr, flush=True)
        await done.wait()
    return 0


def parse(argv: Sequence[str] | None = None) -> argparse.Namespace:
    """The command line."""
    parser = argparse.ArgumentParser(description="Print Buurtwerk events as JSON lines.")
    parser.add_argument(
        "--amqp-url",
        default=os.environ.get("SUBSCRIBER_AMQP_URL", "amqp://guest:guest@127.0.0.1:5672/"),
        help="your account on the broker (env SUBSCRIBER_AMQP_URL)",
    )
    parser.add_argument("--queue", default="city-datawarehouse.events", help="your queue")
    parser.add_argument(
        "--bind", action="append", default=[], help="a routing key pattern (repeatable)"
    )
    parser.add_argument("--from-archive", action="store_true", help="read the archive stream")
    parser.add_argument("--max-events", type=int, default=0, help="stop after this many")
    parser.add_argument("--seen-file", type=Path, help="where to remember handled event ids")
    parser.add_argument("--prefix", default="", help="topology prefix (test brokers only)")
    parser.add_argument(
        "--publishers",
        type=json.loads,
        default=os.environ.get("BUURTWERK_PUBLISHER_ACCOUNTS", json.dumps(PUBLISHERS)),
        help="JSON: the broker account of each source (a broker that names them otherwise)",
    )
    args = parser.parse_args(argv)
    if not args.from_archive and not args.bind:
        args.bind = ["#"]
    return args


if __name__ == "__main__":
    try:
        sys.exit(asyncio.run(subscribe(parse())))
    except KeyboardInterrupt:
        sys.exit(0)
