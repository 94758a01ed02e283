"""`reporting.indicator_updated.v1`: once per indicator, centre and period within the debounce
window (not once per event), suppressed as everything that leaves the service, and still
published after a restart."""

import asyncio
import datetime as dt
import json
from typing import Any
from uuid import uuid4

from buurtwerk_shared.contracts.events.meals import MealServedV1
from tests.integration.reporting.conftest import Reporting
from tests.support.broker import collect, wait_for

SM = "sint-maartensdal"


def meal(diner: int) -> tuple[MealServedV1, Any]:
    return (
        MealServedV1(
            registration_id=uuid4(),
            service_id=uuid4(),
            centre_id=SM,
            date=dt.date(2026, 3, 12),
            tariff="standard",
            count=1,
            takeaway=False,
            diner_key=f"pseudonym-{diner:03d}",
        ),
        uuid4(),
    )


def updates(
    messages: list[Any], indicator_id: str, centre_id: str | None, period: str
) -> list[Any]:
    found = []
    for message in messages:
        data = json.loads(message.body)
        if (data["indicator_id"], data["centre_id"], data["period"]) == (
            indicator_id,
            centre_id,
            period,
        ):
            found.append(data)
    return found


async def probe(r: Reporting) -> str:
    name = r.namespace.name("probe.indicators")
    channel = await r.connection.channel()
    queue = await channel.declare_queue(name, durable=True)
    await queue.bind(
        r.namespace.topology.events_exchange.name, routing_key="reporting.indicator_updated.v1"
    )
    await channel.close()
    return name


async def test_one_update_per_window_suppressed_and_surviving_a_restart(reporting: Any) -> None:
    burst = [meal(i) for i in range(12)]
    async with reporting(publish_debounce_seconds=2.0) as r:
        queue = await probe(r)
        async with collect(r.connection, queue) as received:
            await r.publish(burst)
            await r.projected({event_id for _, event_id in burst})
            await r.published()
            await wait_for(lambda: bool(updates(received, "meals.served", SM, "2026-03")))
            await asyncio.sleep(0.5)
            served = updates(received, "meals.served", SM, "2026-03")
            assert [u["value"] for u in served] == [12], "one update for the whole burst"
            assert updates(received, "meals.served", None, "2026-W11")[0]["value"] == 12
            diners = updates(received, "meals.unique_diners", SM, "2026-03")
            assert diners == [
                {
                    "indicator_id": "meals.unique_diners",
                    "centre_id": SM,
                    "period": "2026-03",
                    "unit": "persons",
                    "value": 12,
                    "suppressed": False,
                    "breakdown": {},
                }
            ]
            # Nothing is published for the centres that stay empty.
            assert not updates(received, "meals.served", "mannenstraat", "2026-03")

            # Two diners at another centre: withheld in the event as in the API.
            small = [meal(100), meal(101)]
            small = [(e.model_copy(update={"centre_id": "mannenstraat"}), i) for e, i in small]
            await r.publish(small)
            await r.projected({i for _, i in small})
            await r.published()
            await wait_for(
                lambda: bool(updates(received, "meals.unique_diners", "mannenstraat", "2026-03"))
            )
            withheld = updates(received, "meals.unique_diners", "mannenstraat", "2026-03")
            assert [(u["value"], u["suppressed"]) for u in withheld] == [(None, True)]

    # Marks left behind by a stopped service are published by the next one.
    late = [meal(200)]
    async with reporting(publish_debounce_seconds=30.0) as r:
        await r.publish(late)
        await r.projected({late[0][1]})
        assert await r.db.fetchval("SELECT count(*) FROM indicator_dirty") > 0
    await r.db.execute("UPDATE indicator_dirty SET due_at = now()")
    async with reporting(publish_debounce_seconds=30.0) as r:
        queue = await probe(r)
        async with collect(r.connection, queue) as received:
            await r.published()
            await wait_for(lambda: bool(updates(received, "meals.served", SM, "2026-03")))
            assert [u["value"] for u in updates(received, "meals.served", SM, "2026-03")] == [13]


async def test_two_replicas_publish_each_change_once(reporting: Any) -> None:
    burst = [meal(i) for i in range(300, 340)]
    async with (
        reporting(publish_debounce_seconds=1.0) as first,
        reporting(publish_debounce_seconds=1.0) as second,
    ):
        queue = await probe(first)
        async with collect(first.connection, queue) as received:
            await first.publish(burst)
            await first.projected({event_id for _, event_id in burst})
            await first.published()
            await second.published()
            await wait_for(lambda: bool(updates(received, "meals.served", SM, "2026-03")))
            await asyncio.sleep(1.0)
            keys = [
                (d["indicator_id"], d["centre_id"], d["period"])
                for d in (json.loads(m.body) for m in received)
            ]
            assert len(keys) == len(set(keys)), "no cell published twice by the two replicas"
            assert [u["value"] for u in updates(received, "meals.served", SM, "2026-03")] == [40]
