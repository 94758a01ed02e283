"""What no schema says and reporting knows: such events are dead-lettered with their reason."""

import datetime as dt
from typing import Any
from uuid import uuid4

from buurtwerk_shared.contracts.events.courses import ActivityPublishedV1, SessionHeldV1
from tests.support.broker import collect, wait_for
from tests.support.events import meal_served

KETTEKEET = "de-kettekeet"  # a centre without a kitchen
SM = "sint-maartensdal"
HELD = dt.datetime(2026, 3, 12, 14, 0, tzinfo=dt.UTC)


def held(activity_id: Any, centre_id: str = SM) -> SessionHeldV1:
    return SessionHeldV1(
        session_id=uuid4(),
        activity_id=activity_id,
        centre_id=centre_id,
        starts_at=HELD,
        attendees=7,
    )


async def test_a_meal_without_a_kitchen_and_a_session_of_an_unknown_activity_are_refused(
    reporting: Any,
) -> None:
    activity = ActivityPublishedV1(
        activity_id=uuid4(),
        centre_id=SM,
        kind="computer_course",
        title="Digibank",
        mode="enrolment",
        published_at=HELD - dt.timedelta(days=30),
    )
    async with reporting() as r:
        dlq = r.namespace.topology.prefix + "reporting.projections.dlq"
        async with collect(r.connection, dlq) as dead:
            no_kitchen, unknown_session, fine_meal, known_session = (
                uuid4(),
                uuid4(),
                uuid4(),
                uuid4(),
            )
            activity_id = uuid4()
            await r.publish(
                [
                    (meal_served(centre_id=KETTEKEET, count=4), no_kitchen),
                    (held(uuid4()), unknown_session),
                    (meal_served(centre_id=SM, count=6), fine_meal),
                    (activity, activity_id),
                    (held(activity.activity_id), known_session),
                ]
            )
            await r.projected({fine_meal, activity_id, known_session})
            await wait_for(lambda: len(dead) == 2)
        reasons = {m.message_id: (m.headers or {}).get("x-dead-letter-reason") for m in dead}
        assert reasons == {
            str(no_kitchen): "centre_without_kitchen",
            str(unknown_session): "unknown_activity",
        }
        city = await r.value("meals.served", "2026-03")
        assert city["value"] == 6, "only the meal at a kitchen counts"
        sessions = await r.db.fetchval("SELECT count(*) FROM activity_sessions")
        assert sessions == 1, "only the session of the published activity"
        refused = await r.db.fetchval(
            "SELECT count(*) FROM processed_events WHERE event_id = ANY($1::uuid[])",
            [no_kitchen, unknown_session],
        )
        assert refused == 0, "refused events are not claimed: a replay after a fix applies them"
