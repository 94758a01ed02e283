"""The skeleton runs the background tasks a service declares, restarts them, stops them."""

import asyncio
import dataclasses

from buurtwerk_shared.service.definition import BackgroundContext
from meals.service import definition
from meals.settings import MealsSettings
from tests.support.apps import in_process, platform_settings
from tests.support.broker import BrokerNamespace, wait_for
from tests.support.databases import DatabaseFactory


async def test_background_tasks_run_restart_after_a_failure_and_stop_with_the_service(
    databases: DatabaseFactory, namespace: BrokerNamespace
) -> None:
    url = await databases.create(definition().migrations)
    settings = MealsSettings(database_url=url, platform=platform_settings(namespace))
    runs: list[str] = []

    async def flaky(context: BackgroundContext) -> None:
        runs.append("flaky")
        if runs.count("flaky") == 1:
            raise RuntimeError("first run fails")
        async with context.pool.acquire() as conn:
            assert await conn.fetchval("SELECT 1") == 1
        await context.stopping.wait()
        runs.append("flaky stopped")

    async def steady(context: BackgroundContext) -> None:
        runs.append("steady")
        await context.stopping.wait()
        runs.append("steady stopped")

    service = dataclasses.replace(definition(settings), background=[flaky, steady])
    async with in_process(service):
        await wait_for(lambda: runs.count("flaky") == 2 and "steady" in runs, within=10)
        await asyncio.sleep(0.1)
        assert "flaky stopped" not in runs
    assert runs.count("flaky") == 2
    assert {"flaky stopped", "steady stopped"} <= set(runs)
