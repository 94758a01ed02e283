"""The services' broker accounts and their least privileges, as RabbitMQ definitions.

One account per service (`contracts.publishers`). Each may:
- configure, write and read the shared objects it declares at start-up (the events exchange, the
  dead-letter exchange, the archive stream) and its own queues `<service>.*` (with their DLQs);
- publish to the events exchange only with the routing keys of its own event types (a RabbitMQ
  topic permission), and bind any event type to its queues (reading is what subscribers do);
- read nothing else: no other service's queue.

`deploy/rabbitmq/definitions.json` holds these for production (checked by `make check-deploy`),
`make run` imports them for development, and the tests apply them in throw-away vhosts.
"""

import re
from collections.abc import Mapping
from typing import Any

from buurtwerk_shared.contracts.events import events_of
from buurtwerk_shared.contracts.publishers import SERVICE_ACCOUNTS
from buurtwerk_shared.messaging.topology import (
    ARCHIVE_STREAM,
    DEAD_LETTER_EXCHANGE,
    EVENTS_EXCHANGE,
)


def service_of(source: str) -> str:
    """The service name of an event source (`/buurtwerk/meals` -> `meals`)."""
    return source.rsplit("/", 1)[-1]


def permissions(source: str, account: str, vhost: str, prefix: str = "") -> dict[str, str]:
    """The configure/write/read permissions of a source's account, under a topology prefix."""
    shared = "|".join(
        re.escape(name) for name in (EVENTS_EXCHANGE, DEAD_LETTER_EXCHANGE, ARCHIVE_STREAM)
    )
    own = re.escape(service_of(source) + ".") + ".*"
    resources = f"^{re.escape(prefix)}({shared}|{own})$"
    return {
        "user": account,
        "vhost": vhost,
        "configure": resources,
        "write": resources,
        "read": resources,
    }


def topic_permissions(source: str, account: str, vhost: str, prefix: str = "") -> dict[str, str]:
    """Publish to the events exchange only with the source's own event types as routing keys."""
    own_types = "|".join(re.escape(cls.event_type) for cls in events_of(source))
    return {
        "user": account,
        "vhost": vhost,
        "exchange": prefix + EVENTS_EXCHANGE,
        "write": f"^({own_types})$",
        "read": ".*",
    }


def service_definitions(
    vhost: str,
    passwords: Mapping[str, str],
    accounts: Mapping[str, str] = SERVICE_ACCOUNTS,
    prefix: str = "",
) -> dict[str, Any]:
    """RabbitMQ definitions (users, permissions, topic permissions) of the service accounts.

    `passwords` maps each account to its password (the definitions' placeholder in production).
    """
    return {
        "users": [
            {"name": accounts[source], "password": passwords[accounts[source]], "tags": []}
            for source in SERVICE_ACCOUNTS
        ],
        "permissions": [
            permissions(source, accounts[source], vhost, prefix) for source in SERVICE_ACCOUNTS
        ],
        "topic_permissions": [
            topic_permissions(source, accounts[source], vhost, prefix)
            for source in SERVICE_ACCOUNTS
        ],
    }
