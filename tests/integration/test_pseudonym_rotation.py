"""Rotating a service's pseudonym secret, as the README's procedure says: the diner and
participant keys, and so every unique count built on them, are the same across the rotation."""

import json

import asyncpg
from pydantic import SecretStr

from courses.service import definition as courses
from courses.settings import CoursesSettings
from meals.service import definition as meals
from meals.settings import MealsSettings
from tests.integration.meals.conftest import COOK, COORDINATOR, SERVICE
from tests.support.apps import in_process, platform_settings
from tests.support.broker import BrokerNamespace
from tests.support.databases import DatabaseFactory
from tests.support.tokens import bearer

OLD = SecretStr("old-pseudonym-secret-0123456789abcdef")
NEW = SecretStr("new-pseudonym-secret-fedcba9876543210")
COURSES = bearer("course_coordinator", ["all"])


async def test_diner_keys_survive_a_rotation_of_the_meals_secret(
    databases: DatabaseFactory, namespace: BrokerNamespace
) -> None:
    url = await databases.create(meals().migrations)
    starts = iter(["11:00", "11:30", "12:00", "12:30"])

    async def diner_keys(secrets: list[SecretStr], *cards: str) -> list[str]:
        """Start meals with these secrets, serve one meal per card, give their diner keys."""
        settings = MealsSettings(
            database_url=url, platform=platform_settings(namespace), pseudonym_secrets=secrets
        )
        async with in_process(meals(settings)) as client:
            planned = await client.post(
                "/services",
                json={**SERVICE, "capacity": 50, "start_time": next(starts)},
                headers=COORDINATOR,
            )
            assert planned.status_code == 201, planned.text
            keys = []
            for card in cards:
                served = await client.post(
                    f"/services/{planned.json()['service_id']}/registrations",
                    json={"tariff": "reduced", "diner_card": card},
                    headers=COOK,
                )
                assert served.status_code == 201, served.text
                keys.append(served.json()["diner_key"])
            return keys

    before = await diner_keys([OLD], "4711 0001", "4711 0002", "4711 0003")
    # Step 1: the new secret first, the old one kept. Cards seen again keep their key and are
    # filed under the new secret too; a card never seen before gets a new key.
    during = await diner_keys([NEW, OLD], "4711 0001", "4711 0002", "4711 0099")
    assert during[:2] == before[:2]
    assert during[2] not in before
    # Step 2: the old secret dropped. Every card seen during the rotation keeps its key.
    after = await diner_keys([NEW], "4711 0001", "4711 0002", "4711 0099")
    assert after == during
    # Which is why the old secret stays until every diner was seen again or their retention
    # passed: a card not seen during the rotation now counts as a new diner.
    assert (await diner_keys([NEW], "4711 0003"))[0] != before[2]


async def test_participant_keys_survive_a_rotation_of_the_courses_secret(
    databases: DatabaseFactory, namespace: BrokerNamespace
) -> None:
    url = await databases.create(courses().migrations)

    async def enrolment_key(
        secrets: list[SecretStr], participant_id: str | None
    ) -> tuple[str, str]:
        """Start courses with these secrets; enrol the participant (registered now if None) in a
        new course; the participant's id and the key in the enrolment's event."""
        settings = CoursesSettings(
            database_url=url, platform=platform_settings(namespace), pseudonym_secrets=secrets
        )
        async with in_process(courses(settings)) as client:
            if participant_id is None:
                registered = await client.post(
                    "/participants",
                    json={"centre_id": "sint-maartensdal", "given_name": "Roteer",
                          "age_band": "26-64"},
                    headers=COURSES,
                )  # fmt: skip
                assert registered.status_code == 201, registered.text
                participant_id = str(registered.json()["participant_id"])
            activity = await client.post(
                "/activities",
                json={"centre_id": "sint-maartensdal", "kind": "computer_course",
                      "title": "Digitaal basis", "mode": "enrolment", "capacity": 5},
                headers=COURSES,
            )  # fmt: skip
            activity_id = activity.json()["activity_id"]
            await client.post(f"/activities/{activity_id}/publish", headers=COURSES)
            enrolled = await client.post(
                f"/activities/{activity_id}/enrolments",
                json={"participant_id": participant_id},
                headers=COURSES,
            )
            assert enrolled.status_code == 201, enrolled.text
        return participant_id, await _latest_participant_key(url)

    participant, before = await enrolment_key([OLD], None)
    assert (await enrolment_key([NEW, OLD], participant))[1] == before
    assert (await enrolment_key([NEW], participant))[1] == before


async def _latest_participant_key(url: str) -> str:
    """The participant key of the last enrolment event in the courses outbox."""
    conn = await asyncpg.connect(url)
    try:
        data = await conn.fetchval(
            "SELECT data FROM outbox WHERE event_type = 'courses.enrolment_changed.v1' "
            "ORDER BY seq DESC LIMIT 1"
        )
    finally:
        await conn.close()
    key: str = json.loads(data)["participant_key"]
    return key
