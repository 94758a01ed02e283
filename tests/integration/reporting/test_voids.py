"""Voiding forged events with the dead-letter tool, against the real broker and database: the
figures go back to what they were before the forgery, and every later rebuild skips them."""

import datetime as dt
import json
from pathlib import Path
from typing import Any
from uuid import UUID

import pytest

from buurtwerk_shared import clock
from buurtwerk_shared.contracts.events.meals import SOURCE as MEALS
from buurtwerk_shared.contracts.events.meals import MealRegistrationCorrectedV1, MealServedV1
from buurtwerk_shared.contracts.events.operations import VoidSelection
from buurtwerk_shared.reference import reference_data
from buurtwerk_shared.tools.dead_letters import AuditLog, DeadLetterError, run, void_events
from reporting.rebuild import Rebuild, rebuild
from tests.integration.reporting.conftest import Reporting
from tests.integration.reporting.scenario import march_2026
from tests.integration.reporting.test_rebuild import snapshot
from tests.support.broker import TEST_BROKER_USER, wait_for
from tests.support.events import meal_served, publish_raw

# A forged meal at a centre without a kitchen is refused before it counts (projections.vetting):
# the forgery that gets in names a centre with one.
CENTRES = tuple(sorted({kitchen.centre for kitchen in reference_data().kitchens}))
_PUBLISHED = """
SELECT indicator_id, period, centre_id, value, suppressed, breakdown FROM indicator_published
ORDER BY indicator_id, period, centre_id
"""


def forged_meals() -> list[MealServedV1]:
    """99 meals as a thief with a publishing account would send them: every centre with a
    kitchen, March and April, some with new diners."""
    return [
        meal_served(
            centre_id=CENTRES[i % len(CENTRES)],
            date=dt.date(2026, 3 + i % 2, 1 + i % 28),
            count=1 + i % 7,
            tariff=("standard", "reduced")[i % 2],
            diner_key=f"forged-diner-{i % 10:04d}" if i % 3 == 0 else None,
        )
        for i in range(99)
    ]


async def published(r: Reporting) -> dict[tuple[str, str, str], tuple[Any, ...]]:
    """What reporting has published (value, suppressed, breakdown) per indicator, period and
    centre."""
    return {tuple(row[:3]): tuple(row[3:]) for row in await r.db.fetch(_PUBLISHED)}


async def voids_taken_out(r: Reporting) -> bool:
    pending: int = await r.db.fetchval("SELECT count(*) FROM voided_events WHERE NOT taken_out")
    return pending == 0


async def test_voided_forgery_leaves_the_figures_as_before(reporting: Any, tmp_path: Path) -> None:
    scenario = march_2026()
    async with reporting(suppression_threshold=3, publish_debounce_seconds=0.2) as r:
        topology = r.namespace.topology
        await r.publish(scenario.published)
        await r.projected(scenario.distinct_ids)
        await r.published()
        before = await snapshot(r)
        published_before = await published(r)

        # 99 forged meals and a forged correction of a real registration (state, not a sum).
        started = clock.now()
        meal_ids = [await publish_raw(r.connection, topology, m) for m in forged_meals()]
        ended = clock.now()
        real = next(e for e, _ in scenario.published if isinstance(e, MealServedV1))
        correction = MealRegistrationCorrectedV1(
            registration_id=real.registration_id,
            service_id=real.service_id,
            centre_id=real.centre_id,
            date=real.date,
            count=900,
            corrected_at=dt.datetime(2027, 1, 1, tzinfo=dt.UTC),
            reason="forged",
        )
        correction_id = await publish_raw(r.connection, topology, correction)
        await r.projected({*meal_ids, correction_id})
        await r.published()
        assert await snapshot(r) != before, "the forgery changed the figures"
        published_forged = await published(r)

        audit = AuditLog(tmp_path / "audit.jsonl", operator="ops-test")
        by_range = await void_events(
            r.connection,
            topology,
            audit,
            "forged through a stolen account",
            user_id=TEST_BROKER_USER,
            selection=VoidSelection(
                source=MEALS,
                event_type=MealServedV1.event_type,
                time_from=started,
                time_until=ended,
            ),
        )
        assert {e.id for e in by_range} == set(meal_ids), "exactly the forged meals"
        by_id = await void_events(
            r.connection, topology, audit, "forged", user_id=TEST_BROKER_USER, ids=[correction_id]
        )
        assert [e.id for e in by_id] == [correction_id]

        async def voids_recorded() -> bool:
            recorded: int = await r.db.fetchval("SELECT count(*) FROM voided_events")
            return recorded == 100

        await wait_for(voids_recorded)
        await wait_for(lambda: voids_taken_out(r), within=60)
        await r.published()
        assert await snapshot(r) == before
        # What was published before is published again; what only the forgery published is
        # republished as nothing (a rebuild also publishes every other period since the first
        # date, as nothing where nothing happened).
        published_after = await published(r)
        assert {k: published_after[k] for k in published_before} == published_before
        forged_only = published_forged.keys() - published_before.keys()
        assert forged_only, "the forgery published figures of its own"
        assert {published_after[k][0] for k in forged_only} <= {"0", None}

        lines = [json.loads(line) for line in (tmp_path / "audit.jsonl").read_text().splitlines()]
        assert [(line["action"], len(line["event_ids"])) for line in lines] == [
            ("voided", 99),
            ("voided", 1),
        ]
        assert lines[0]["operator"] == "ops-test"
        assert lines[0]["selection"]["source"] == MEALS

        # A later rebuild skips them.
        report = await Rebuild(r.settings, idle_seconds=0.5).run()
        assert report.events_voided == 100
        assert await snapshot(r) == before

        # A database restored without its voids learns them from the archive and rebuilds again.
        await r.db.execute("DELETE FROM voided_events")
        again = await rebuild(r.settings)
        assert again.voids_learned == 100 or again.events_voided == 100
        await wait_for(lambda: voids_taken_out(r), within=60)
        assert await snapshot(r) == before


async def test_void_by_id_refuses_ids_not_in_the_archive_and_the_command_lists_first(
    reporting: Any,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    async with reporting() as r:
        topology = r.namespace.topology
        known = await publish_raw(r.connection, topology, meal_served())
        unknown = UUID(int=7)
        audit = AuditLog(tmp_path / "audit.jsonl", operator="ops-test")
        try:
            await void_events(
                r.connection,
                topology,
                audit,
                "typo",
                user_id=TEST_BROKER_USER,
                ids=[known, unknown],
            )
        except DeadLetterError as refused:
            assert str(unknown) in str(refused)
        else:
            raise AssertionError("an unknown id must refuse the whole void")
        assert not (tmp_path / "audit.jsonl").exists(), "nothing voided, nothing audited"
        dry = await void_events(
            r.connection,
            topology,
            audit,
            "look",
            user_id=TEST_BROKER_USER,
            ids=[known],
            dry_run=True,
        )
        assert [e.id for e in dry] == [known]
        assert not (tmp_path / "audit.jsonl").exists()

        monkeypatch.setenv("BUURTWERK_AMQP_URL", r.namespace.amqp_url)
        monkeypatch.setenv("BUURTWERK_TOPOLOGY_PREFIX", topology.prefix)
        log = ["--reason", "look", "--audit-log", str(tmp_path / "audit.jsonl")]
        assert await run(["void", "--source", MEALS, *log]) == 2, "--type, --from, --until"
        assert "needs --type, --from, --until" in capsys.readouterr().err
        day = ["--from", "2000-01-01T00:00Z", "--until", "2100-01-01T00:00+01:00"]
        by_type = ["--source", MEALS, "--type", MealServedV1.event_type, *day]
        assert await run(["void", *by_type, *log, "--dry-run"]) == 0
        listed = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
        assert [line["id"] for line in listed] == [str(known)]
        assert not (tmp_path / "audit.jsonl").exists()
