"""Retention: a participant's personal data is erased 18 months after they last took part, by the
same path as an erasure on request, audited as the system, batch by batch, once."""

import asyncio
import datetime as dt
import json
from collections.abc import AsyncIterator

import asyncpg
import pytest

from buurtwerk_shared.db.pool import create_pool
from buurtwerk_shared.pseudonyms import Pseudonymizer
from buurtwerk_shared.retention import sweep
from courses.domain import clock
from courses.domain.retention import expired_participants_eraser
from courses.service import definition
from courses.settings import CoursesSettings
from tests.integration.courses.conftest import COORDINATOR, PAST, Courses
from tests.support.apps import in_process, platform_settings
from tests.support.broker import BrokerNamespace, wait_for
from tests.support.databases import DatabaseFactory, tables_holding

ERASE_EXPIRED = expired_participants_eraser(18, Pseudonymizer(CoursesSettings().pseudonym_secrets))


def months_later(months: int) -> dt.datetime:
    """An instant `months` (of 31 days) from now: past every period of that many months."""
    return clock.now() + dt.timedelta(days=31 * months)


@pytest.fixture
async def pool(courses: Courses) -> AsyncIterator[asyncpg.Pool]:
    """A pool on the service's database, as the background task has one."""
    pool = await create_pool(courses.database_url)
    yield pool
    await pool.close()


async def erased(courses: Courses) -> set[str]:
    """The ids of the erased participants."""
    rows = await courses.db.fetch(
        "SELECT participant_id FROM participants WHERE erased_at IS NOT NULL"
    )
    return {str(row["participant_id"]) for row in rows}


async def test_participants_are_erased_18_months_after_they_last_took_part(
    courses: Courses, pool: asyncpg.Pool
) -> None:
    finished = await courses.participant("Afgestudeerd", phone="0470 86 75 30")
    waited = await courses.participant("Wachtlijst")
    registered = await courses.participant("Ingeschreven")
    later = await courses.participant("Volgendjaar", phone="0470 24 68 00")
    past_course = await courses.activity(capacity=1)
    held = await courses.session(past_course["activity_id"])
    await courses.enrol(past_course["activity_id"], finished)
    await courses.enrol(past_course["activity_id"], waited)
    await courses.ok(
        "POST",
        f"/sessions/{held['session_id']}/attendance",
        {"entries": [{"participant_id": finished}]},
    )
    # A course whose last session is twenty months away keeps its participant until then.
    long_course = await courses.activity(title="Nederlands, tweede jaar")
    far = clock.today() + dt.timedelta(days=31 * 20)
    await courses.session(long_course["activity_id"], day=far)
    await courses.enrol(long_course["activity_id"], later)
    before = len(await courses.settled())

    assert await sweep(pool, ERASE_EXPIRED, months_later(17), 50) == 0
    assert await sweep(pool, ERASE_EXPIRED, months_later(19), 50) == 3
    assert await erased(courses) == {finished, waited, registered}
    assert await tables_holding(courses.db, ["Afgestudeerd", "470 86 75 30"]) == {}
    assert await tables_holding(courses.db, ["Volgendjaar", "470 24 68 00"]) != {}
    assert await sweep(pool, ERASE_EXPIRED, months_later(19), 50) == 0, "once is enough"
    # The course is over: the seat given up goes to nobody, the place on the list is cancelled.
    events = (await courses.settled())[before:]
    changed = [e for e in events if e.type == "courses.enrolment_changed.v1"]
    assert sorted(e.data["status"] for e in changed) == ["cancelled", "cancelled"]
    # Each erasure is recorded with the id only, for a restore to apply it again.
    recorded = [e.data for e in events if e.type == "courses.participant_erased.v1"]
    assert {r["participant_id"] for r in recorded} == {finished, waited, registered}
    assert all(set(r) == {"participant_id", "erased_at"} for r in recorded)

    # Eighteen months after that course's last session.
    assert await sweep(pool, ERASE_EXPIRED, months_later(37), 50) == 0
    assert await sweep(pool, ERASE_EXPIRED, months_later(39), 50) == 1
    assert later in await erased(courses)
    audited = await courses.db.fetch(
        "SELECT actor, role, details FROM audit_log WHERE action = 'participant.erase'"
    )
    assert len(audited) == 4
    assert {(r["actor"], r["role"], json.loads(r["details"])["reason"]) for r in audited} == {
        ("system:retention", "admin", "retention")
    }
    attendance = await courses.ok("GET", f"/sessions/{held['session_id']}/attendance")
    assert [a["participant_id"] for a in attendance["items"]] == [finished], "figures stay"


async def test_a_youth_referral_and_its_outcome_count_as_taking_part(
    courses: Courses, pool: asyncpg.Pool
) -> None:
    young = await courses.participant("Jongere", age_band="18-25", target_group="youth")
    referral = await courses.ok(
        "POST",
        "/youth-referrals",
        {"participant_id": young, "centre_id": "sint-maartensdal", "date": str(PAST),
         "association": "Jeugdhuis"},
    )  # fmt: skip
    # The outcome is known only much later: the referral's day moves up to then.
    outcome_day = months_later(3)
    await courses.db.execute(
        "UPDATE youth_referrals SET outcome = 'joined', outcome_date = $2 WHERE referral_id = $1",
        referral["referral_id"],
        clock.local_date(outcome_day),
    )
    assert await sweep(pool, ERASE_EXPIRED, months_later(19), 50) == 0
    assert await sweep(pool, ERASE_EXPIRED, months_later(22), 50) == 1


async def test_sweeps_in_batches_on_two_replicas_erase_everyone_exactly_once(
    courses: Courses, pool: asyncpg.Pool
) -> None:
    course = await courses.activity(capacity=3)
    await courses.session(course["activity_id"])
    people = [await courses.participant(f"Deelnemer{i}") for i in range(7)]
    for person in people:
        await courses.enrol(course["activity_id"], person)

    first, second = await asyncio.gather(
        sweep(pool, ERASE_EXPIRED, months_later(19), 2),
        sweep(pool, ERASE_EXPIRED, months_later(19), 2),
    )

    assert first + second == 7
    assert await erased(courses) == set(people)
    assert await courses.count(
        "SELECT count(*) FROM audit_log WHERE action = 'participant.erase'"
    ) == len(people)
    assert await courses.count("SELECT count(*) FROM enrolments WHERE status <> 'cancelled'") == 0


async def test_the_service_runs_the_sweep_in_the_background(
    databases: DatabaseFactory, namespace: BrokerNamespace
) -> None:
    url = await databases.create(definition().migrations)
    settings = CoursesSettings(
        database_url=url, platform=platform_settings(namespace), retention_sweep_seconds=0.1
    )
    service = definition(settings, clock=lambda: months_later(19))
    conn = await asyncpg.connect(url)
    try:
        async with in_process(service) as client:
            created = await client.post(
                "/participants",
                json={"centre_id": "sint-maartensdal", "given_name": "Achtergrond",
                      "age_band": "26-64"},
                headers=COORDINATOR,
            )  # fmt: skip
            assert created.status_code == 201, created.text

            async def erased_in_the_background() -> bool:
                return bool(
                    await conn.fetchval(
                        "SELECT erased_at IS NOT NULL FROM participants WHERE participant_id = $1",
                        created.json()["participant_id"],
                    )
                )

            await wait_for(erased_in_the_background, within=10)
    finally:
        await conn.close()
