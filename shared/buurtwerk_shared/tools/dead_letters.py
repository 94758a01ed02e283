"""Dead-letter queues: list them, inspect their messages, replay them after a fix, or discard them;
and void events that reached the archive (forged, or published by mistake).

    python -m buurtwerk_shared.tools.dead_letters list
    python -m buurtwerk_shared.tools.dead_letters inspect reporting.projections.dlq
    python -m buurtwerk_shared.tools.dead_letters replay reporting.projections.dlq --all \\
        --reason "projection fixed in 1.4.2"
    python -m buurtwerk_shared.tools.dead_letters discard reporting.projections.dlq \\
        --id 0b7f... --reason "test event published by mistake"
    python -m buurtwerk_shared.tools.dead_letters void --source /buurtwerk/meals \\
        --type meals.meal_served.v1 --from 2026-03-01T00:00Z --until 2026-03-02T00:00Z \\
        --reason "forged through a stolen account, incident #7" [--dry-run]

Queue names are given without the topology prefix (`BUURTWERK_TOPOLOGY_PREFIX` is added).

`replay` publishes each chosen message back to the events exchange with its original routing key
and headers (less the dead-letter ones), waits for the broker's confirm, and only then removes it
from the DLQ: a crash in between leaves it in the DLQ, and the consumers' inbox absorbs the
duplicate if it was in fact delivered. Every consumer bound to that routing key receives the
replayed event again (and the archive stream keeps a second copy); consumers are idempotent on the
event id, so only the consumer that had failed applies it. `discard` removes chosen messages.
Every replayed or discarded message gets one audit line (JSON) in the audit log and on stdout.

`void` (by `--id`, or by `--source`, `--type`, `--from` and `--until` on the events' `ce-time`)
finds the events in the archive stream, lists them, and unless `--dry-run` publishes
`operations.events_voided.v1` naming them (`buurtwerk_shared.tools.voids`): every projection
drops them and every later rebuild skips them. Each void event published gets an audit line.
"""

import argparse
import asyncio
import datetime as dt
import getpass
import json
import sys
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Literal
from uuid import UUID

import aio_pika
from aio_pika.abc import AbstractChannel, AbstractIncomingMessage, AbstractRobustConnection
from pydantic import ValidationError

from buurtwerk_shared.config import PlatformSettings
from buurtwerk_shared.contracts.events.operations import VoidSelection
from buurtwerk_shared.messaging.topology import Topology
from buurtwerk_shared.observability.queue_depths import ready_messages
from buurtwerk_shared.tools.installed import installed_services
from buurtwerk_shared.tools.voids import ArchivedEvent, find_archived, publish_void, selected_by

# Headers that describe the dead-lettering itself: ours (messaging.consumer) and the broker's.
DEAD_LETTER_HEADERS = frozenset(
    {
        "x-dead-letter-reason",
        "x-dead-letter-detail",
        "x-original-routing-key",
        "x-original-queue",
        "x-failed-attempts",
        "x-original-user-id",
        "x-death",
        "x-first-death-exchange",
        "x-first-death-queue",
        "x-first-death-reason",
        "x-last-death-exchange",
        "x-last-death-queue",
        "x-last-death-reason",
        "x-delivery-count",
    }
)
DEFAULT_AUDIT_LOG = Path("dead-letters.audit.jsonl")
DEFAULT_LIMIT = 1000
# How long a command waits for the messages it held to be ready in the DLQ again.
GIVE_BACK_SECONDS = 5.0

Action = Literal["replayed", "discarded", "replay_failed"]


class DeadLetterError(Exception):
    """A DLQ command that cannot be carried out (no such queue, no routing key...)."""


@dataclass(frozen=True)
class DeadLetter:
    """One message held from a DLQ, with what an operator needs to decide about it."""

    message: AbstractIncomingMessage

    @property
    def message_id(self) -> str:
        """The message id (the event id for events published by the relay)."""
        return self.message.message_id or ""

    @property
    def headers(self) -> dict[str, Any]:
        """The message's headers."""
        return dict(self.message.headers or {})

    @property
    def event_type(self) -> str | None:
        """The CloudEvents type, if the message has one."""
        return _text(self.headers.get("ce-type"))

    @property
    def reason(self) -> str:
        """Why it was dead-lettered: our consumer's reason, or the broker's (`delivery_limit`)."""
        headers = self.headers
        return (
            _text(headers.get("x-dead-letter-reason"))
            or _text(headers.get("x-first-death-reason"))
            or _broker_death(headers).get("reason", "unknown")
        )

    @property
    def original_routing_key(self) -> str | None:
        """The routing key it was first published with (our header, or the broker's x-death)."""
        headers = self.headers
        if key := _text(headers.get("x-original-routing-key")):
            return key
        keys = _broker_death(headers).get("routing-keys") or []
        return _text(keys[0]) if keys else None

    @property
    def original_user_id(self) -> str | None:
        """The account that published it (our header; a broker dead letter keeps the property)."""
        return _text(self.headers.get("x-original-user-id")) or self.message.user_id

    def replay_headers(self) -> dict[str, Any]:
        """The original headers, without those that describe the dead-lettering."""
        return {k: v for k, v in self.headers.items() if k not in DEAD_LETTER_HEADERS}

    def summary(self) -> dict[str, Any]:
        """What `inspect` shows of a message."""
        headers = self.headers
        body = self.message.body.decode(errors="replace")
        try:
            data: Any = json.loads(body)
        except ValueError:
            data = body
        return {
            "message_id": self.message_id,
            "type": self.event_type,
            "routing_key": self.original_routing_key,
            "reason": self.reason,
            "detail": _text(headers.get("x-dead-letter-detail")),
            "original_queue": _text(headers.get("x-original-queue"))
            or _text(headers.get("x-first-death-queue")),
            "attempts": headers.get("x-failed-attempts"),
            "headers": {k: _jsonable(v) for k, v in self.replay_headers().items()},
            "data": data,
        }


def _text(value: Any) -> str | None:
    if isinstance(value, bytes):
        return value.decode(errors="replace")
    return None if value is None else str(value)


def _jsonable(value: Any) -> Any:
    if isinstance(value, bytes):
        return value.decode(errors="replace")
    if isinstance(value, datetime):
        return value.isoformat()
    return value if isinstance(value, str | int | float | bool | type(None)) else str(value)


def _broker_death(headers: dict[str, Any]) -> dict[str, Any]:
    deaths = headers.get("x-death")
    if isinstance(deaths, list) and deaths and isinstance(deaths[0], dict):
        return {k: _text(v) if k != "routing-keys" else v for k, v in deaths[0].items()}
    return {}


class AuditLog:
    """Appends one JSON line per replayed or discarded message, and echoes it to stdout."""

    def __init__(self, path: Path, operator: str) -> None:
        self.path = path
        self.operator = operator

    def record(
        self, action: Action, queue: str, letter: DeadLetter, reason: str, **extra: Any
    ) -> None:
        """Write the audit line of one message."""
        self.write(
            {
                "action": action,
                "queue": queue,
                "message_id": letter.message_id,
                "type": letter.event_type,
                "routing_key": letter.original_routing_key,
                "dead_letter_reason": letter.reason,
                "reason": reason,
                **extra,
            }
        )

    def write(self, entry: dict[str, Any]) -> None:
        """Write one audit line: the time, the operator, and what was done."""
        line = json.dumps(
            {"time": datetime.now(UTC).isoformat(), "operator": self.operator, **entry},
            default=str,
        )
        with self.path.open("a", encoding="utf-8") as audit:
            audit.write(line + "\n")
        print(line)  # noqa: T201


class DeadLetters:
    """Works on the DLQs of one broker and topology."""

    def __init__(self, connection: AbstractRobustConnection, topology: Topology) -> None:
        self._connection = connection
        self._topology = topology

    async def depths(self, queues: Sequence[str]) -> dict[str, int | None]:
        """Messages waiting in each DLQ (None where the queue does not exist)."""
        depths: dict[str, int | None] = {}
        for queue in queues:
            channel = await self._connection.channel()
            try:
                depths[queue] = await ready_messages(channel, self._topology.prefix + queue)
            except aio_pika.exceptions.AMQPError:
                depths[queue] = None
            finally:
                await _close(channel)
        return depths

    async def inspect(self, queue: str, limit: int = DEFAULT_LIMIT) -> list[dict[str, Any]]:
        """The first `limit` messages of a DLQ, left in the queue."""
        channel = await self._connection.channel()
        letters: list[DeadLetter] = []
        ready = 0
        try:
            letters, ready = await self._take(channel, queue, limit)
            return [letter.summary() for letter in letters]
        finally:
            await self._give_back(channel, queue, ready, letters)

    async def replay(
        self,
        queue: str,
        audit: AuditLog,
        reason: str,
        *,
        ids: Sequence[str] = (),
        event_type: str | None = None,
        limit: int = DEFAULT_LIMIT,
    ) -> int:
        """Publish the chosen messages back to the events exchange, then remove them; a count."""
        replayed = 0
        channel = await self._connection.channel(publisher_confirms=True, on_return_raises=True)
        letters: list[DeadLetter] = []
        ready = 0
        try:
            exchange = await channel.get_exchange(self._topology.events_exchange.name, ensure=False)
            letters, ready = await self._take(channel, queue, limit)
            chosen = _choose(letters, ids, event_type)
            for letter in chosen:
                routing_key = letter.original_routing_key
                if routing_key is None:
                    audit.record(
                        "replay_failed", queue, letter, reason, error="no original routing key"
                    )
                    continue
                try:
                    await exchange.publish(_replay_message(letter), routing_key, mandatory=True)
                except (aio_pika.exceptions.AMQPError, TimeoutError) as exc:
                    audit.record("replay_failed", queue, letter, reason, error=repr(exc))
                    continue
                await letter.message.ack()
                audit.record("replayed", queue, letter, reason)
                replayed += 1
        finally:
            await self._give_back(channel, queue, ready, letters)
        return replayed

    async def discard(
        self,
        queue: str,
        audit: AuditLog,
        reason: str,
        *,
        ids: Sequence[str] = (),
        event_type: str | None = None,
        limit: int = DEFAULT_LIMIT,
    ) -> int:
        """Remove the chosen messages from the DLQ; returns how many."""
        channel = await self._connection.channel()
        letters: list[DeadLetter] = []
        ready = 0
        try:
            letters, ready = await self._take(channel, queue, limit)
            chosen = _choose(letters, ids, event_type)
            for letter in chosen:
                await letter.message.ack()
                audit.record("discarded", queue, letter, reason)
            return len(chosen)
        finally:
            await self._give_back(channel, queue, ready, letters)

    async def _take(
        self, channel: AbstractChannel, queue: str, limit: int
    ) -> tuple[list[DeadLetter], int]:
        """Hold up to `limit` messages of a DLQ unacknowledged until the channel closes; with
        how many were ready in it before.

        Nobody else consumes a DLQ, so holding them is safe; each held message is either acked
        (replayed or discarded) or given back when the channel closes.
        """
        if not queue.endswith(".dlq"):
            raise DeadLetterError(f"'{queue}' is not a dead-letter queue (<queue>.dlq)")
        try:
            source = await channel.declare_queue(self._topology.prefix + queue, passive=True)
        except aio_pika.exceptions.ChannelClosed as exc:
            raise DeadLetterError(f"no queue '{queue}' on the broker") from exc
        letters: list[DeadLetter] = []
        while len(letters) < limit:
            message = await source.get(no_ack=False, fail=False)
            if message is None:
                break
            letters.append(DeadLetter(message))
        return letters, int(source.declaration_result.message_count or 0)

    async def _give_back(
        self, channel: AbstractChannel, queue: str, ready: int, letters: list[DeadLetter]
    ) -> None:
        """Close the channel, and wait until the messages it gave back are ready in the DLQ again.

        A quorum queue takes returned messages back after the channel's close-ok: without the
        wait, a command run right after (a `list`, another `inspect`) may not see them yet.
        """
        await _close(channel)
        expected = ready - sum(1 for letter in letters if letter.message.processed)
        deadline = asyncio.get_running_loop().time() + GIVE_BACK_SECONDS
        while ((await self.depths([queue]))[queue] or 0) < expected:
            if asyncio.get_running_loop().time() > deadline:
                return
            await asyncio.sleep(0.05)


def _choose(
    letters: list[DeadLetter], ids: Sequence[str], event_type: str | None
) -> list[DeadLetter]:
    """The held messages chosen by id and/or type (all when neither is given)."""
    return [
        letter
        for letter in letters
        if (not ids or letter.message_id in ids)
        and (event_type is None or letter.event_type == event_type)
    ]


async def _close(channel: AbstractChannel) -> None:
    """Close the channel, which gives every message still held back to the DLQ.

    Not `nack(requeue=True)`: on RabbitMQ 4.0-4.2 that counts toward the quorum queue's delivery
    limit (20 by default on 4.x, and a DLQ has no dead-letter exchange of its own), so inspecting
    a DLQ often enough would drop its messages. A failed passive declare has already closed it.
    """
    if not channel.is_closed:
        await channel.close()


def _replay_message(letter: DeadLetter) -> aio_pika.Message:
    original = letter.message
    return aio_pika.Message(
        original.body,
        headers=letter.replay_headers(),
        content_type=original.content_type,
        content_encoding=original.content_encoding,
        message_id=original.message_id,
        timestamp=original.timestamp,
        correlation_id=original.correlation_id,
        # The publisher's account again, so consumers still know who published it: the broker
        # accepts it only from an account tagged `impersonator` (the operators' buurtwerk-admin).
        user_id=letter.original_user_id,
        delivery_mode=aio_pika.DeliveryMode.PERSISTENT,
    )


def known_dead_letter_queues() -> Iterator[str]:
    """The DLQ of every consumer of the installed services."""
    for definition in installed_services():
        for consumer in definition.consumers:
            yield consumer.queue.dead_letter_queue


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m buurtwerk_shared.tools.dead_letters",
        description="List, inspect, replay or discard the messages of dead-letter queues.",
    )
    commands = parser.add_subparsers(dest="command", required=True)
    listing = commands.add_parser("list", help="messages waiting in each DLQ")
    listing.add_argument("queues", nargs="*", help="DLQs (default: those of installed services)")
    inspect = commands.add_parser("inspect", help="show a DLQ's messages (they stay)")
    inspect.add_argument("queue")
    inspect.add_argument("--limit", type=int, default=20)
    for name, text in (
        ("replay", "publish messages back to the events exchange, then remove them"),
        ("discard", "remove messages for good"),
    ):
        command = commands.add_parser(name, help=text)
        command.add_argument("queue")
        which = command.add_mutually_exclusive_group(required=True)
        which.add_argument("--id", action="append", dest="ids", help="a message id (repeatable)")
        which.add_argument("--all", action="store_true", help="every message (see --type)")
        command.add_argument("--type", dest="event_type", help="only messages of this ce-type")
        command.add_argument("--reason", required=True, help="why: goes into the audit line")
        command.add_argument("--operator", default=getpass.getuser(), help="who (audit line)")
        command.add_argument("--audit-log", type=Path, default=DEFAULT_AUDIT_LOG)
        command.add_argument("--limit", type=int, default=DEFAULT_LIMIT)
    void = commands.add_parser(
        "void", help="void events of the archive: out of every projection and every rebuild"
    )
    which = void.add_mutually_exclusive_group(required=True)
    which.add_argument("--id", action="append", dest="ids", type=UUID, help="an event id")
    which.add_argument("--source", help="with --type, --from, --until: the events' ce-source")
    void.add_argument("--type", dest="event_type", help="the events' ce-type")
    void.add_argument("--from", dest="time_from", type=_instant, help="ce-time from (inclusive)")
    void.add_argument("--until", dest="time_until", type=_instant, help="ce-time until (excl.)")
    void.add_argument("--reason", required=True, help="why: goes into the void and audit line")
    void.add_argument("--operator", default=getpass.getuser(), help="who (void and audit line)")
    void.add_argument("--audit-log", type=Path, default=DEFAULT_AUDIT_LOG)
    void.add_argument("--dry-run", action="store_true", help="list the events, void nothing")
    return parser


def _instant(text: str) -> dt.datetime:
    """An ISO 8601 instant with its offset (`2026-03-01T00:00Z`)."""
    value = dt.datetime.fromisoformat(text)
    if value.tzinfo is None:
        raise argparse.ArgumentTypeError(f"'{text}' has no UTC offset (add Z or +01:00)")
    return value


def _void_selection(args: argparse.Namespace) -> VoidSelection | None:
    """The selection of a `void --source` command; None for `void --id`."""
    if args.ids:
        return None
    missing = [
        option
        for option, value in (
            ("--type", args.event_type),
            ("--from", args.time_from),
            ("--until", args.time_until),
        )
        if value is None
    ]
    if missing:
        raise DeadLetterError(f"void --source needs {', '.join(missing)}")
    return VoidSelection(
        source=args.source,
        event_type=args.event_type,
        time_from=args.time_from,
        time_until=args.time_until,
    )


async def void_events(
    connection: AbstractRobustConnection,
    topology: Topology,
    audit: AuditLog,
    reason: str,
    *,
    user_id: str,
    ids: Sequence[UUID] = (),
    selection: VoidSelection | None = None,
    dry_run: bool = False,
) -> list[ArchivedEvent]:
    """Find the chosen events in the archive and (unless a dry run) void them, published from
    `user_id` (the connection's broker account); the events.

    By id, every id must be in the archive, or nothing is voided.
    """
    wanted = frozenset(ids)
    chosen = selected_by(selection) if selection else lambda event: event.id in wanted
    found = await find_archived(connection, topology, chosen)
    if missing := wanted - {event.id for event in found}:
        raise DeadLetterError(f"not in the archive: {', '.join(sorted(map(str, missing)))}")
    if not found:
        raise DeadLetterError("no event in the archive matches")
    if not dry_run:
        voids = await publish_void(
            connection,
            topology,
            [event.id for event in found],
            reason=reason,
            operator=audit.operator,
            user_id=user_id,
            selection=selection,
        )
        for void in voids:
            audit.write(
                {
                    "action": "voided",
                    "void_id": str(void.void_id),
                    "event_ids": [str(event_id) for event_id in void.event_ids],
                    "selection": void.selection.model_dump(mode="json") if void.selection else None,
                    "reason": reason,
                }
            )
    return found


async def run(argv: Sequence[str] | None = None) -> int:
    """Carry out one command; returns the exit code."""
    args = _parser().parse_args(argv)
    platform = PlatformSettings()
    connection = await aio_pika.connect_robust(platform.amqp_url)
    topology = Topology(platform.topology_prefix)
    tool = DeadLetters(connection, topology)
    try:
        if args.command == "list":
            depths = await tool.depths(args.queues or list(known_dead_letter_queues()))
            for queue, depth in depths.items():
                print(f"{queue}\t{'missing' if depth is None else depth}")  # noqa: T201
            return 0
        if args.command == "inspect":
            for summary in await tool.inspect(args.queue, args.limit):
                print(json.dumps(summary, ensure_ascii=False))  # noqa: T201
            return 0
        audit = AuditLog(args.audit_log, args.operator)
        if args.command == "void":
            found = await void_events(
                connection,
                topology,
                audit,
                args.reason,
                user_id=platform.broker_user,
                ids=args.ids or (),
                selection=_void_selection(args),
                dry_run=args.dry_run,
            )
            for event in found:
                print(json.dumps(event.summary()))  # noqa: T201
            verb = "would void" if args.dry_run else "voided"
            print(f"void: {verb} {len(found)} event(s)", file=sys.stderr)  # noqa: T201
            return 0
        act = tool.replay if args.command == "replay" else tool.discard
        done = await act(
            args.queue,
            audit,
            args.reason,
            ids=args.ids or (),
            event_type=args.event_type,
            limit=args.limit,
        )
        print(f"{args.command}: {done} message(s) from {args.queue}", file=sys.stderr)  # noqa: T201
        return 0
    except (DeadLetterError, ValidationError) as exc:
        print(exc, file=sys.stderr)  # noqa: T201
        return 2
    finally:
        await connection.close()


if __name__ == "__main__":
    sys.exit(asyncio.run(run()))
