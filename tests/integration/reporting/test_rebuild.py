"""Rebuilding the projections from the archive stream gives exactly the live values, and the
service keeps answering (and projecting) while it runs."""

import asyncio
import datetime as dt
from typing import Any
from uuid import uuid4

from buurtwerk_shared.contracts.events.meals import MealServedV1
from reporting.indicators.periods import parse_period
from reporting.indicators.registry import COMPUTATIONS
from reporting.indicators.table import Table
from reporting.rebuild import PROJECTION_TABLES, Rebuild
from tests.integration.reporting.conftest import Reporting
from tests.integration.reporting.scenario import SM, march_2026
from tests.integration.reporting.test_indicators import record_manual_values

PERIODS = (
    "2025",
    "2026-01",
    "2026-02",
    "2026-03",
    "2026-04",
    "2026-05",
    "2026-W14",
    "2026-Q1",
    "2026-Q2",
    "2026",
)
CENTRES = ("sint-maartensdal", "mannenstraat", "wilsele-dorp", "koksijdewijk", "de-kettekeet")


async def snapshot(r: Reporting) -> dict[tuple[str, str], Table]:
    """Every indicator's raw (unsuppressed) table for every period of the scenario."""
    return {
        (indicator_id, label): await compute(r.db, parse_period(label), CENTRES)
        for indicator_id, compute in COMPUTATIONS.items()
        for label in PERIODS
    }


async def row_counts(r: Reporting) -> dict[str, int]:
    return {t: await r.db.fetchval(f"SELECT count(*) FROM {t}") for t in PROJECTION_TABLES}


async def served_at_sm(r: Reporting) -> Any:
    return (await r.value("meals.served", "2026-03", SM))["value"]


async def test_rebuild_gives_the_live_values_and_keeps_serving(reporting: Any) -> None:
    scenario = march_2026()
    async with reporting(suppression_threshold=3, publish_debounce_seconds=0.2) as r:
        await r.publish(scenario.published)
        await record_manual_values(r)
        await r.projected(scenario.distinct_ids)
        await r.published()
        assert await served_at_sm(r) == 5

        # A rebuild while a meal is served and the API is read.
        rebuild = asyncio.create_task(Rebuild(r.settings, idle_seconds=0.5).run())
        late = MealServedV1(
            registration_id=uuid4(),
            service_id=uuid4(),
            centre_id=SM,
            date=dt.date(2026, 3, 31),
            tariff="standard",
            count=1,
            takeaway=False,
        )
        late_id = uuid4()
        await r.publish([(late, late_id)])
        while not rebuild.done():
            assert await served_at_sm(r) in (5, 6), "answers from the old tables meanwhile"
            await asyncio.sleep(0.05)
        first = await rebuild
        # Every message of the scenario (duplicates too), the 3 manual values, the late meal.
        assert first.events_applied == len(scenario.published) + 3 + 1
        await r.projected({late_id})
        await r.published()
        assert await served_at_sm(r) == 6

        live = await snapshot(r)
        live_rows = await row_counts(r)
        assert live_rows["manual_values"] == 3, "manual values come back from the archive"
        second = await Rebuild(r.settings, idle_seconds=0.5).run()
        assert second.events_applied == first.events_applied
        assert await row_counts(r) == live_rows
        rebuilt = await snapshot(r)
        differences = [k for k in live if live[k] != rebuilt[k]]
        assert not differences, differences
        await r.published()
        assert await served_at_sm(r) == 6
