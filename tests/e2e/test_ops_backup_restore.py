"""A backup restored into fresh databases holds the same data and gives the same indicators."""

import json
import os
import subprocess
import sys
import uuid
from pathlib import Path

import asyncpg
import httpx

from tests.e2e.conftest import Stack
from tests.support.broker import wait_for
from tests.support.databases import database_url
from tests.support.tokens import bearer

CENTRE = "mannenstraat"
COORDINATOR = bearer("centre_coordinator", [CENTRE], sub="coord-backup")
COOK = bearer("kitchen_staff", [CENTRE], sub="cook-backup")
ANALYST = bearer("analyst", ["all"], sub="analyst-backup")
APRIL = {"centre_id": CENTRE, "period": "2026-04"}


def backup_command(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "buurtwerk_shared.tools.backup", *args],
        env={**os.environ, **env},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


async def table_rows(url: str) -> dict[str, list[tuple[object, ...]]]:
    """Every row of every table (sorted), so two databases can be compared whole."""
    conn = await asyncpg.connect(url)
    try:
        tables = await conn.fetch("SELECT tablename FROM pg_tables WHERE schemaname = 'public'")
        rows = {}
        for table in sorted(t["tablename"] for t in tables):
            records = await conn.fetch(f'SELECT * FROM "{table}"')
            rows[table] = sorted((tuple(r.values()) for r in records), key=repr)
        return rows
    finally:
        await conn.close()


async def served(client: httpx.AsyncClient, url: str) -> object:
    response = await client.get(f"{url}/indicators/meals.served", params=APRIL, headers=ANALYST)
    assert response.status_code == 200, response.text
    return response.json()


async def test_restored_databases_hold_the_same_rows_and_indicators(
    stack: Stack, tmp_path: Path
) -> None:
    meals = stack.service("meals")
    reporting = stack.service("reporting")
    async with httpx.AsyncClient(timeout=10) as client:
        planned = await client.post(
            f"{meals.url}/services",
            json={
                "centre_id": CENTRE,
                "kitchen_id": "mannenstraat-keuken",
                "date": "2026-04-14",
                "start_time": "12:00",
                "capacity": 25,
                "prices": {"standard": 650, "reduced": 350},
                "dishes": [{"name": "Vol-au-vent", "allergens": ["gluten", "milk"]}],
            },
            headers=COORDINATOR,
        )
        assert planned.status_code == 201, planned.text
        for tariff, count in (("standard", 4), ("reduced", 3)):
            registered = await client.post(
                f"{meals.url}/services/{planned.json()['service_id']}/registrations",
                json={"tariff": tariff, "count": count},
                headers=COOK,
            )
            assert registered.status_code == 201, registered.text

        async def counted() -> bool:
            result = await served(client, reporting.url)
            return isinstance(result, dict) and result["value"] == 7

        await wait_for(counted)
        before = await served(client, reporting.url)
    for process in (meals, reporting):
        process.stop()

    originals = {
        name: process.env[f"{name.upper()}_DATABASE_URL"]
        for name, process in (("meals", meals), ("reporting", reporting))
    }
    restored = {
        name: database_url(stack.servers.database_url, f"bw_e2e_restored_{name}_{stack.run_id}")
        for name in originals
    }
    services = [arg for name in originals for arg in ("--service", name)]
    try:
        saved = backup_command(
            "backup",
            "--to",
            str(tmp_path / "backup"),
            *services,
            "--broker-definitions",
            "rabbitmqctl",
            env={f"{n.upper()}_DATABASE_URL": url for n, url in originals.items()},
        )
        assert saved.returncode == 0, saved.stderr
        assert {p.name for p in (tmp_path / "backup").iterdir()} == {
            "meals.dump",
            "reporting.dump",
            "rabbitmq-definitions.json",
            "manifest.json",
        }
        definitions = json.loads((tmp_path / "backup" / "rabbitmq-definitions.json").read_text())
        assert {"users", "vhosts", "permissions", "queues"} <= definitions.keys()
        restore_env = {f"{n.upper()}_DATABASE_URL": url for n, url in restored.items()}
        loaded = backup_command("restore", "--from", str(tmp_path / "backup"), env=restore_env)
        assert loaded.returncode == 0, loaded.stderr
        for name in originals:
            assert await table_rows(restored[name]) == await table_rows(originals[name])
        again = backup_command("restore", "--from", str(tmp_path / "backup"), env=restore_env)
        assert again.returncode == 2
        assert "already holds" in again.stderr, "never restores over live data"

        reporting_restored = stack.service(
            "reporting", REPORTING_DATABASE_URL=restored["reporting"]
        )
        async with httpx.AsyncClient(timeout=10) as client:
            assert await served(client, reporting_restored.url) == before
    finally:
        conn = await asyncpg.connect(stack.servers.database_url)
        try:
            for url in restored.values():
                name = url.rsplit("/", 1)[1]
                await conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        finally:
            await conn.close()


async def test_a_restore_applies_the_erasures_made_after_the_backup(
    stack: Stack, tmp_path: Path
) -> None:
    volunteers = stack.service("volunteers")
    courses = stack.service("courses")
    coordinators = {
        "volunteers": bearer("volunteer_coordinator", [CENTRE], sub="coord-vol-restore"),
        "courses": bearer("course_coordinator", [CENTRE], sub="coord-course-restore"),
    }
    people: dict[str, str] = {}
    async with httpx.AsyncClient(timeout=10) as client:
        for name in ("Vergeten", "Gebleven"):
            made = await client.post(
                f"{volunteers.url}/volunteers",
                json={"given_name": name, "family_name": "Vrijwilliger", "centre_ids": [CENTRE],
                      "email": f"{name.lower()}@restore.example.org"},
                headers=coordinators["volunteers"],
            )  # fmt: skip
            assert made.status_code == 201, made.text
            people[f"volunteer {name}"] = made.json()["volunteer_id"]
            made = await client.post(
                f"{courses.url}/participants",
                json={"centre_id": CENTRE, "given_name": name, "family_name": "Deelnemer",
                      "age_band": "26-64"},
                headers=coordinators["courses"],
            )  # fmt: skip
            assert made.status_code == 201, made.text
            people[f"participant {name}"] = made.json()["participant_id"]

        originals = {
            process.name: process.env[f"{process.name.upper()}_DATABASE_URL"]
            for process in (volunteers, courses)
        }
        saved = backup_command(
            "backup",
            "--to",
            str(tmp_path / "backup"),
            "--service",
            "volunteers",
            "--service",
            "courses",
            "--broker-definitions",
            "none",
            env={f"{n.upper()}_DATABASE_URL": url for n, url in originals.items()},
        )
        assert saved.returncode == 0, saved.stderr
        # After the backup: one volunteer and one participant ask to be forgotten.
        erased = await client.post(
            f"{volunteers.url}/volunteers/{people['volunteer Vergeten']}/erasure",
            headers=coordinators["volunteers"],
        )
        assert erased.status_code == 200, erased.text
        erased = await client.post(
            f"{courses.url}/participants/{people['participant Vergeten']}/erasure",
            headers=coordinators["courses"],
        )
        assert erased.status_code == 200, erased.text
        # Both erasures are in the archive once the outboxes are published.
        for url in originals.values():
            conn = await asyncpg.connect(url)
            try:
                await wait_for_published(conn)
            finally:
                await conn.close()
    for process in (volunteers, courses):
        process.stop()

    restored = {
        name: database_url(stack.servers.database_url, f"bw_e2e_restored_{name}_{stack.run_id}")
        for name in originals
    }
    try:
        env = {f"{n.upper()}_DATABASE_URL": url for n, url in restored.items()}
        loaded = backup_command("restore", "--from", str(tmp_path / "backup"), env=env)
        assert loaded.returncode == 0, loaded.stderr
        assert "apply the erasures made since the backup again" in loaded.stdout
        conn = await asyncpg.connect(restored["volunteers"])
        try:
            assert (
                await conn.fetchval(
                    "SELECT given_name FROM volunteers WHERE volunteer_id = $1",
                    uuid.UUID(people["volunteer Vergeten"]),
                )
                == "Vergeten"
            ), "the backup still holds the erased volunteer"
        finally:
            await conn.close()

        volunteers_back = stack.service(
            "volunteers", VOLUNTEERS_DATABASE_URL=restored["volunteers"]
        )
        courses_back = stack.service("courses", COURSES_DATABASE_URL=restored["courses"])
        # Ready means answering: by then the erasures are applied again.
        async with httpx.AsyncClient(timeout=10) as client:
            for kind, service, path in (
                ("volunteer", volunteers_back, "volunteers"),
                ("participant", courses_back, "participants"),
            ):
                headers = coordinators[service.name]
                gone = await client.get(
                    f"{service.url}/{path}/{people[f'{kind} Vergeten']}", headers=headers
                )
                kept = await client.get(
                    f"{service.url}/{path}/{people[f'{kind} Gebleven']}", headers=headers
                )
                assert gone.status_code == kept.status_code == 200, gone.text
                assert gone.json()["given_name"] is None and "Vergeten" not in gone.text, kind
                assert kept.json()["given_name"] == "Gebleven", kind
        for name, url in restored.items():
            conn = await asyncpg.connect(url)
            try:
                replays = await conn.fetch("SELECT replayed_at, replayed FROM erasure_replays")
                assert [(r["replayed_at"] is not None, r["replayed"]) for r in replays] == [
                    (True, 1)
                ], name
                actors = await conn.fetch(
                    "SELECT actor, details FROM audit_log WHERE action LIKE '%.erase' ORDER BY id"
                )
                assert [a["actor"] for a in actors] == ["system:restore"], name
            finally:
                await conn.close()
    finally:
        conn = await asyncpg.connect(stack.servers.database_url)
        try:
            for url in restored.values():
                await conn.execute(
                    f'DROP DATABASE IF EXISTS "{url.rsplit("/", 1)[1]}" WITH (FORCE)'
                )
        finally:
            await conn.close()


async def wait_for_published(conn: asyncpg.Connection) -> None:
    """Until the relay has published every event of the outbox."""

    async def published() -> bool:
        unsent: int = await conn.fetchval("SELECT count(*) FROM outbox WHERE published_at IS NULL")
        return unsent == 0

    await wait_for(published)
