"""Command line of every service: `python -m <service> serve | migrate`."""

import argparse
from collections.abc import Callable

import uvicorn

from buurtwerk_shared.db.migrations import migrate
from buurtwerk_shared.service.app import create_app
from buurtwerk_shared.service.definition import ServiceDefinition
from buurtwerk_shared.service.door import LimitedHttpToolsProtocol
from buurtwerk_shared.service.stopping import http_drain_seconds


def main(definition: Callable[[], ServiceDefinition], argv: list[str] | None = None) -> None:
    """Run the service's HTTP+AMQP process, or its migrations."""
    service = definition()
    parser = argparse.ArgumentParser(prog=f"python -m {service.name}")
    commands = parser.add_subparsers(dest="command", required=True)
    commands.add_parser("serve", help="serve HTTP and AMQP (run `migrate` first)")
    commands.add_parser("migrate", help="create the database if needed and migrate it")
    args = parser.parse_args(argv)
    if args.command == "migrate":
        migrate(service.settings.database_url, service.migrations)
        return
    limits = service.settings.platform.http
    uvicorn.run(
        create_app(service),
        host=service.settings.http_host,
        port=service.settings.http_port,
        log_config=None,
        timeout_graceful_shutdown=http_drain_seconds(service.settings.platform.stop_grace_seconds),
        http=LimitedHttpToolsProtocol.with_limits(limits.max_header_bytes, limits.read_seconds),
        limit_concurrency=limits.max_connections,
        timeout_keep_alive=limits.keep_alive_seconds,
    )
