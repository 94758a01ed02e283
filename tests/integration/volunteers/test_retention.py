"""Retention: personal data is erased when its period has passed, by the same path as an erasure
on request, audited as the system, batch by batch, once, whatever the number of sweeps."""

import asyncio
import datetime as dt
import json
from collections.abc import AsyncIterator

import asyncpg
import pytest

from buurtwerk_shared.db.pool import create_pool
from buurtwerk_shared.retention import sweep
from tests.integration.volunteers.conftest import ADMIN, CENTRE, Volunteers
from tests.support.apps import in_process, platform_settings
from tests.support.broker import BrokerNamespace, wait_for
from tests.support.databases import DatabaseFactory, tables_holding
from volunteers.domain.retention import expired_volunteers_eraser
from volunteers.service import definition
from volunteers.settings import VolunteersSettings

# The defaults: 24 months after leaving, 6 months after an application's last step.
ERASE_EXPIRED = expired_volunteers_eraser(left_months=24, applicant_months=6)


def months_later(months: int) -> dt.datetime:
    """An instant `months` (of 31 days) from now: past every period of that many months."""
    return dt.datetime.now(dt.UTC) + dt.timedelta(days=31 * months)


@pytest.fixture
async def pool(service: Volunteers) -> AsyncIterator[asyncpg.Pool]:
    """A pool on the service's database, as the background task has one."""
    pool = await create_pool(service.database_url)
    yield pool
    await pool.close()


async def erased(service: Volunteers) -> set[str]:
    """The ids of the erased volunteers."""
    rows = await service.db.fetch("SELECT volunteer_id FROM volunteers WHERE erased_at IS NOT NULL")
    return {str(row["volunteer_id"]) for row in rows}


async def test_each_kind_of_volunteer_is_erased_when_its_period_has_passed(
    service: Volunteers, pool: asyncpg.Pool
) -> None:
    former = await service.active_volunteer(given_name="Oudgediende", email="oud@example.org")
    await service.move(former, "left")
    applicant = (await service.volunteer(given_name="Kandidaat", phone="+32 470 11 22 33"))[
        "volunteer_id"
    ]
    in_intake = (await service.volunteer())["volunteer_id"]
    await service.move(in_intake, "intake")
    withdrew = (await service.volunteer())["volunteer_id"]
    await service.move(withdrew, "left")
    active = await service.active_volunteer()
    paused = await service.active_volunteer()
    await service.move(paused, "paused")

    assert await sweep(pool, ERASE_EXPIRED, months_later(5), 50) == 0
    assert await erased(service) == set()

    # Past six months: the applications that never led to active service.
    assert await sweep(pool, ERASE_EXPIRED, months_later(7), 50) == 3
    assert await erased(service) == {applicant, in_intake, withdrew}
    assert await tables_holding(service.db, ["Kandidaat", "470 11 22 33"]) == {}
    assert await tables_holding(service.db, ["Oudgediende", "oud@example.org"]) != {}

    # Past two years: the volunteer who left after active service; active and paused stay.
    assert await sweep(pool, ERASE_EXPIRED, months_later(25), 50) == 1
    assert await erased(service) == {applicant, in_intake, withdrew, former}
    assert await tables_holding(service.db, ["Oudgediende", "oud@example.org"]) == {}
    assert await sweep(pool, ERASE_EXPIRED, months_later(25), 50) == 0, "once is enough"
    assert (await service.ok("GET", f"/volunteers/{active}"))["erased"] is False
    assert (await service.ok("GET", f"/volunteers/{paused}"))["erased"] is False

    # The same path as an erasure on request: the same events, an audit row by the system.
    erasures = await service.events("volunteers.volunteer_erased.v1")
    assert sorted(e["volunteer_id"] for e in erasures) == sorted(
        [applicant, in_intake, withdrew, former]
    )
    statuses = await service.events("volunteers.volunteer_status_changed.v1")
    left = {e["volunteer_id"]: e["previous_status"] for e in statuses if e["status"] == "left"}
    assert (left[applicant], left[in_intake]) == ("applied", "intake"), "they leave first"
    audited = await service.db.fetch(
        "SELECT actor, role, record_id, details FROM audit_log WHERE action = 'volunteer.erase'"
    )
    reasons = {row["record_id"]: json.loads(row["details"])["reason"] for row in audited}
    assert reasons == {
        applicant: "retention_applicant",
        in_intake: "retention_applicant",
        withdrew: "retention_applicant",
        former: "retention_left",
    }
    assert {(row["actor"], row["role"]) for row in audited} == {("system:retention", "admin")}
    # The statistics stay: the former volunteer's history is still there under their id.
    history = await service.ok("GET", f"/volunteers/{former}/status-history")
    assert [h["status"] for h in history] == ["applied", "intake", "onboarding", "active", "left"]


async def test_sweeps_in_batches_on_two_replicas_erase_everyone_exactly_once(
    service: Volunteers, pool: asyncpg.Pool
) -> None:
    applicants = {(await service.volunteer())["volunteer_id"] for _ in range(7)}
    later = months_later(7)

    first, second = await asyncio.gather(
        sweep(pool, ERASE_EXPIRED, later, 2), sweep(pool, ERASE_EXPIRED, later, 2)
    )

    assert first + second == 7
    assert await erased(service) == applicants
    erasures = await service.events("volunteers.volunteer_erased.v1")
    assert sorted(e["volunteer_id"] for e in erasures) == sorted(applicants)
    assert await service.count(
        "SELECT count(*) FROM audit_log WHERE action = 'volunteer.erase'"
    ) == len(applicants)


async def test_the_service_runs_the_sweep_in_the_background(
    databases: DatabaseFactory, namespace: BrokerNamespace
) -> None:
    url = await databases.create(definition().migrations)
    settings = VolunteersSettings(
        database_url=url, platform=platform_settings(namespace), retention_sweep_seconds=0.1
    )
    service = definition(settings, clock=lambda: months_later(7))
    assert len(service.background) == 3  # retention, self-service sweep, mail sender
    conn = await asyncpg.connect(url)
    try:
        async with in_process(service) as client:
            created = await client.post(
                "/volunteers",
                json={"given_name": "Achtergrond", "family_name": "Test", "centre_ids": [CENTRE]},
                headers=ADMIN,
            )
            assert created.status_code == 201, created.text

            async def erased_in_the_background() -> bool:
                return bool(
                    await conn.fetchval(
                        "SELECT erased_at IS NOT NULL FROM volunteers WHERE volunteer_id = $1",
                        created.json()["volunteer_id"],
                    )
                )

            await wait_for(erased_in_the_background, within=10)
    finally:
        await conn.close()
