"""Back up every service database and the broker's definitions; restore them.

    python -m buurtwerk_shared.tools.backup backup --to backups/2026-03-12
    python -m buurtwerk_shared.tools.backup restore --from backups/2026-03-12

Each service database (`<SERVICE>_DATABASE_URL`, the services' own defaults when unset) is dumped
with `pg_dump --format=custom` (consistent: one snapshot per database) into `<service>.dump`. The
broker's definitions (users, vhosts, permissions, policies, exchanges, queues, bindings; never
messages) go into `rabbitmq-definitions.json`: from the management API when
`BUURTWERK_RABBITMQ_MANAGEMENT_URL` is set (e.g. `http://user:pass@rabbitmq:15672`), else with
`rabbitmqctl export_definitions` (RabbitMQ 3.8.2 and later, no management plugin needed; run it
where `rabbitmqctl` can reach the node). `manifest.json` lists what was saved, with checksums.

`restore` creates each database if needed (it must hold no tables: restore goes into fresh
databases, never over live data) and runs `pg_restore --exit-on-error --single-transaction`.
A restored database of a service holding personal data is then migrated, and a replay of the
erasures made since the backup began is filed in it: the service applies them again when it
starts, before it answers (`buurtwerk_shared.erasure_replay`). The
broker definitions are imported only with `--broker` (`rabbitmqctl import_definitions`, or the
management API), since they also reset users and permissions. See docs/operations/backup-restore.md.
"""

import argparse
import asyncio
import base64
import hashlib
import json
import shutil
import subprocess
import sys
import urllib.request
from collections.abc import Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Literal
from urllib.parse import urlsplit, urlunsplit

import asyncpg
from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict

from buurtwerk_shared.db.migrations import ensure_database, migrate
from buurtwerk_shared.erasure_replay import request_replay
from buurtwerk_shared.service.definition import ServiceDefinition
from buurtwerk_shared.tools.installed import SERVICE_NAMES, installed_services

BROKER_DEFINITIONS = "rabbitmq-definitions.json"
MANIFEST = "manifest.json"

BrokerSource = Literal["auto", "management", "rabbitmqctl", "none"]


def _default_url(service: str) -> str:
    return f"postgresql://postgres@127.0.0.1:5432/buurtwerk_{service}"


class BackupSettings(BaseSettings):
    """Where the databases and the broker are: the same variables the services read."""

    model_config = SettingsConfigDict(extra="ignore")

    meals_database_url: str = Field(default=_default_url("meals"))
    volunteers_database_url: str = Field(default=_default_url("volunteers"))
    courses_database_url: str = Field(default=_default_url("courses"))
    reporting_database_url: str = Field(default=_default_url("reporting"))
    buurtwerk_rabbitmq_management_url: str | None = None

    def database_url(self, service: str) -> str:
        """The database URL of one service."""
        url: str = getattr(self, f"{service}_database_url")
        return url


class BackupError(Exception):
    """A backup or restore that cannot be completed; the message says why and what to do."""


def _run(command: Sequence[str], stdin: str | None = None) -> str:
    result = subprocess.run(list(command), input=stdin, capture_output=True, text=True, check=False)
    if result.returncode != 0:
        raise BackupError(f"{command[0]} failed ({result.returncode}): {result.stderr.strip()}")
    return result.stdout


def _tool(name: str) -> str:
    path = shutil.which(name)
    if path is None:
        raise BackupError(
            f"`{name}` is not installed: install the PostgreSQL client "
            "(Debian package postgresql-client) of the server's major version or newer"
        )
    return path


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as file:
        for chunk in iter(lambda: file.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def _libpq_url(url: str) -> str:
    """asyncpg and libpq read the same URLs; drop a SQLAlchemy-style driver suffix if any."""
    parts = urlsplit(url)
    return urlunsplit(parts._replace(scheme=parts.scheme.split("+")[0]))


def dump_database(url: str, target: Path) -> None:
    """`pg_dump --format=custom` of one database."""
    _run([_tool("pg_dump"), "--format=custom", "--no-owner", f"--file={target}", _libpq_url(url)])


async def _table_count(url: str) -> int:
    conn = await asyncpg.connect(url)
    try:
        count: int = await conn.fetchval(
            "SELECT count(*) FROM pg_tables WHERE schemaname NOT IN ('pg_catalog', "
            "'information_schema')"
        )
        return count
    finally:
        await conn.close()


def restore_database(url: str, source: Path) -> None:
    """Create the database if needed and restore the dump into it (it must hold no tables)."""
    asyncio.run(ensure_database(url))
    if tables := asyncio.run(_table_count(url)):
        raise BackupError(
            f"{urlsplit(url).path.lstrip('/')} already holds {tables} tables: restore into a "
            "fresh database (set <SERVICE>_DATABASE_URL to a new name, or drop it first)"
        )
    _run(
        [
            _tool("pg_restore"),
            "--exit-on-error",
            "--single-transaction",
            "--no-owner",
            "--no-privileges",
            f"--dbname={_libpq_url(url)}",
            str(source),
        ]
    )


def _definitions() -> dict[str, ServiceDefinition]:
    return {definition.name: definition for definition in installed_services()}


async def _file_replay(url: str, since: datetime) -> None:
    conn = await asyncpg.connect(url)
    try:
        await request_replay(conn, since)
    finally:
        await conn.close()


def _management_request(base_url: str, method: str, body: bytes | None = None) -> bytes:
    parts = urlsplit(base_url)
    netloc = parts.hostname or ""
    if parts.port:
        netloc += f":{parts.port}"
    request = urllib.request.Request(
        urlunsplit(parts._replace(netloc=netloc, path="/api/definitions")),
        data=body,
        method=method,
        headers={"Content-Type": "application/json"},
    )
    if parts.username:
        token = base64.b64encode(f"{parts.username}:{parts.password or ''}".encode()).decode()
        request.add_header("Authorization", f"Basic {token}")
    with urllib.request.urlopen(request, timeout=30) as response:
        data: bytes = response.read()
        return data


def _broker_source(requested: BrokerSource, settings: BackupSettings) -> BrokerSource:
    if requested != "auto":
        return requested
    if settings.buurtwerk_rabbitmq_management_url:
        return "management"
    if shutil.which("rabbitmqctl"):
        return "rabbitmqctl"
    raise BackupError(
        "cannot export the broker definitions: set BUURTWERK_RABBITMQ_MANAGEMENT_URL "
        "(http://user:password@host:15672), run where `rabbitmqctl` reaches the node, "
        "or pass --broker-definitions none"
    )


def export_broker_definitions(source: BrokerSource, settings: BackupSettings, target: Path) -> None:
    """Save the broker's definitions (never its messages) as JSON."""
    if source == "management":
        assert settings.buurtwerk_rabbitmq_management_url is not None
        target.write_bytes(_management_request(settings.buurtwerk_rabbitmq_management_url, "GET"))
    elif source == "rabbitmqctl":
        # Through stdout/stdin: a file path is checked against the node's view of the disk.
        target.write_text(_run([_tool("rabbitmqctl"), "--quiet", "export_definitions", "-"]))
    json.loads(target.read_text())  # a broken export must fail the backup, not the restore


def import_broker_definitions(source: BrokerSource, settings: BackupSettings, file: Path) -> None:
    """Load saved definitions into the broker (adds and updates; deletes nothing)."""
    if source == "management":
        assert settings.buurtwerk_rabbitmq_management_url is not None
        _management_request(settings.buurtwerk_rabbitmq_management_url, "POST", file.read_bytes())
    elif source == "rabbitmqctl":
        _run([_tool("rabbitmqctl"), "--quiet", "import_definitions", "-"], file.read_text())


def backup(
    target: Path,
    services: Sequence[str] = SERVICE_NAMES,
    broker: BrokerSource = "auto",
    settings: BackupSettings | None = None,
) -> dict[str, Any]:
    """Dump the databases and the broker definitions into `target`; returns the manifest."""
    settings = settings or BackupSettings()
    target.mkdir(parents=True, exist_ok=True)
    started = datetime.now(UTC)
    files: dict[str, dict[str, Any]] = {}
    for service in services:
        dump = target / f"{service}.dump"
        dump_database(settings.database_url(service), dump)
        files[dump.name] = {"service": service, "database": _database_name(settings, service)}
    source = _broker_source(broker, settings)
    if source != "none":
        definitions = target / BROKER_DEFINITIONS
        export_broker_definitions(source, settings, definitions)
        files[definitions.name] = {"broker_definitions_from": source}
    for name, entry in files.items():
        path = target / name
        entry.update(bytes=path.stat().st_size, sha256=_sha256(path))
    manifest = {
        "started_at": started.isoformat(),
        "finished_at": datetime.now(UTC).isoformat(),
        "services": list(services),
        "files": files,
    }
    (target / MANIFEST).write_text(json.dumps(manifest, indent=2) + "\n")
    return manifest


def _database_name(settings: BackupSettings, service: str) -> str:
    return urlsplit(settings.database_url(service)).path.lstrip("/")


def restore(
    source: Path,
    services: Sequence[str] | None = None,
    broker: BrokerSource = "none",
    settings: BackupSettings | None = None,
) -> list[str]:
    """Restore the dumps of a backup (checked against its manifest); returns what was restored."""
    settings = settings or BackupSettings()
    if not (source / MANIFEST).is_file():
        raise BackupError(f"no backup at {source} (its {MANIFEST} is missing)")
    manifest = json.loads((source / MANIFEST).read_text())
    for name, entry in manifest["files"].items():
        if _sha256(source / name) != entry["sha256"]:
            raise BackupError(f"{name} does not match the manifest's checksum: backup damaged")
    chosen = list(services or manifest["services"])
    if broker != "none" and BROKER_DEFINITIONS not in manifest["files"]:
        raise BackupError("the backup holds no broker definitions (made with `none`)")
    if missing := [service for service in chosen if service not in manifest["services"]]:
        raise BackupError(f"the backup holds no database of {', '.join(missing)}")
    since = datetime.fromisoformat(manifest["started_at"])
    for service in chosen:
        restore_database(settings.database_url(service), source / f"{service}.dump")
        definition = _definitions().get(service)
        if definition is not None and definition.erasures is not None:
            migrate(settings.database_url(service), definition.migrations)
            asyncio.run(_file_replay(settings.database_url(service), since))
    if broker != "none":
        import_broker_definitions(
            _broker_source(broker, settings), settings, source / BROKER_DEFINITIONS
        )
        chosen.append("broker definitions")
    return chosen


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m buurtwerk_shared.tools.backup",
        description="Back up or restore the service databases and the broker definitions.",
    )
    commands = parser.add_subparsers(dest="command", required=True)
    save = commands.add_parser("backup", help="dump every database and the broker definitions")
    save.add_argument("--to", type=Path, required=True, dest="directory")
    save.add_argument(
        "--broker-definitions",
        choices=("auto", "management", "rabbitmqctl", "none"),
        default="auto",
    )
    load = commands.add_parser("restore", help="restore a backup into fresh databases")
    load.add_argument("--from", type=Path, required=True, dest="directory")
    load.add_argument(
        "--broker",
        choices=("management", "rabbitmqctl"),
        help="also import the broker definitions (users, permissions, queues) this way",
    )
    for command in (save, load):
        command.add_argument(
            "--service", action="append", choices=SERVICE_NAMES, help="only this one (repeatable)"
        )
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run one command; returns the exit code."""
    args = _parser().parse_args(argv)
    try:
        if args.command == "backup":
            manifest = backup(
                args.directory, args.service or SERVICE_NAMES, args.broker_definitions
            )
            print(json.dumps(manifest, indent=2))  # noqa: T201
        else:
            restored = restore(args.directory, args.service, args.broker or "none")
            print(f"restored: {', '.join(restored)}")  # noqa: T201
            print(  # noqa: T201
                "volunteers and courses apply the erasures made since the backup again when "
                "they start, before they answer"
            )
    except BackupError as exc:
        print(f"error: {exc}", file=sys.stderr)  # noqa: T201
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
