"""Each reminder rule against the real broker and database, on a clock the test controls."""

import datetime as dt
import re
from pathlib import Path
from uuid import UUID, uuid4

from buurtwerk_shared.reference import reference_data
from reporting.indicators.periods import parse_period
from reporting.indicators.registry import COMPUTATIONS
from reporting.indicators.table import CITY
from reporting.reminders.queries import checks_on_time, open_reminders
from tests.integration.haccp.harness import (
    CENTRE,
    KITCHEN,
    Clock,
    Emitted,
    Reporting,
    check_defined,
    local,
    process_started,
    recorded,
    run_until,
    service_cancelled,
    service_planned,
)
from tests.support.metrics import Scrape
from tests.support.tokens import bearer

UTC = dt.UTC
DAY = dt.date(2026, 6, 10)  # a Wednesday
EIGHT = {"type": "times_of_day", "times": ["08:00"]}
DUE = "reporting.haccp_reminder_due.v1"
OVERDUE = "reporting.haccp_check_overdue.v1"
ALERTS = Path(__file__).parents[3] / "deploy" / "prometheus" / "alerts.yml"


def summary(emitted: list[Emitted]) -> list[tuple[str, str, str]]:
    """(event, due time, clock time) in local HH:MM, in emission order."""
    return [
        (
            "due" if e.event_type == DUE else "overdue",
            dt.datetime.fromisoformat(e.data["due_at"]).astimezone(local(DAY, "00:00").tzinfo)
            .strftime("%H:%M"),
            e.at.astimezone(local(DAY, "00:00").tzinfo).strftime("%H:%M"),
        )
        for e in emitted
    ]  # fmt: skip


async def test_a_record_after_the_due_time_closes_the_reminder_even_late(
    reporting: Reporting,
) -> None:
    check = uuid4()
    clock = Clock(local(DAY, "06:00"))
    await reporting.publish(check_defined(check, "Koelkast", EIGHT, clock.now))
    scheduler = await reporting.scheduler(clock)
    # A reading before the due time does not answer it.
    early = [(local(DAY, "07:55"), recorded(check, local(DAY, "07:55")))]
    emitted = await run_until(reporting, [scheduler], clock, local(DAY, "08:45"), early)
    assert summary(emitted) == [("due", "08:00", "08:00"), ("overdue", "08:00", "08:30")]
    [still_open] = await open_reminders(reporting.db, KITCHEN, clock.now)
    assert (still_open.overdue, still_open.missed) == (True, False)
    assert still_open.overdue_since == local(DAY, "08:30")

    await reporting.publish(recorded(check, local(DAY, "08:50")))
    assert await open_reminders(reporting.db, KITCHEN, clock.now) == []
    closed = await reporting.db.fetchrow("SELECT closed_at, on_time FROM reminder_occurrences")
    assert closed is not None
    assert (closed["closed_at"], closed["on_time"]) == (local(DAY, "08:50"), False)
    assert await checks_on_time(reporting.db, CENTRE, DAY, DAY + dt.timedelta(days=1)) == (0, 1)
    # Nothing more is announced for it.
    assert await run_until(reporting, [scheduler], clock, local(DAY, "12:00")) == []


async def test_a_record_naming_the_occurrence_closes_it_and_the_first_record_counts(
    reporting: Reporting,
) -> None:
    check = uuid4()
    clock = Clock(local(DAY, "06:00"))
    await reporting.publish(check_defined(check, "Koelkast", EIGHT, clock.now))
    scheduler = await reporting.scheduler(clock)
    timeline = [
        # Yesterday's missed 08:00 typed in today names its occurrence: it does not answer today's.
        (local(DAY, "08:05"), recorded(check, local(DAY, "08:05"), due_at=local(DAY, "08:00")
                                       - dt.timedelta(days=1))),
        (local(DAY, "08:20"), recorded(check, local(DAY, "08:20"))),
        (local(DAY, "08:40"), recorded(check, local(DAY, "08:40"))),
    ]  # fmt: skip
    emitted = await run_until(reporting, [scheduler], clock, local(DAY, "09:00"), timeline)
    assert summary(emitted) == [("due", "08:00", "08:00")]
    occurrence = await reporting.db.fetchrow("SELECT closed_at, on_time FROM reminder_occurrences")
    assert occurrence is not None
    assert (occurrence["closed_at"], occurrence["on_time"]) == (local(DAY, "08:20"), True)


async def test_a_cooling_process_that_misses_its_deadline_is_overdue(reporting: Reporting) -> None:
    cooling, reheating = uuid4(), uuid4()
    clock = Clock(local(DAY, "12:00"))
    on_event = {"type": "on_event"}
    await reporting.publish(
        check_defined(cooling, "Afkoelen", on_event, clock.now, kind="cooling", grace_minutes=0),
        check_defined(reheating, "Opwarmen", on_event, clock.now, kind="reheating",
                      level="recommended"),
    )  # fmt: skip
    scheduler = await reporting.scheduler(clock)
    two_hours, one_hour = dt.timedelta(hours=2), dt.timedelta(hours=1)
    missed = process_started(cooling, local(DAY, "13:00"), two_hours)
    in_time = process_started(cooling, local(DAY, "13:10"), two_hours)
    reheated = process_started(reheating, local(DAY, "13:00"), one_hour, kind="reheating")
    timeline = [
        (local(DAY, "13:00"), missed),
        (local(DAY, "13:00"), reheated),
        (local(DAY, "13:10"), in_time),
        # The batch that started at 13:10 reaches 10 °C at 14:30: its record names the deadline.
        (local(DAY, "14:30"), recorded(cooling, local(DAY, "14:30"), due_at=in_time.deadline_at,
                                       kind="cooling")),
        # The late one is read at 15:20: too late, but it closes the reminder.
        (local(DAY, "15:20"), recorded(cooling, local(DAY, "15:20"), due_at=missed.deadline_at,
                                       kind="cooling")),
    ]  # fmt: skip
    emitted = await run_until(reporting, [scheduler], clock, local(DAY, "16:00"), timeline)
    assert summary(emitted) == [
        ("due", "14:00", "14:00"),  # the recommended reheating: reminded, never escalated
        ("due", "15:00", "15:00"),
        ("overdue", "15:00", "15:00"),
    ]
    assert UUID(emitted[1].data["check_id"]) == cooling
    assert UUID(emitted[0].data["check_id"]) == reheating
    assert [r.process_id for r in await open_reminders(reporting.db, KITCHEN, clock.now)] == [
        reheated.process_id
    ]
    assert await checks_on_time(reporting.db, CENTRE, DAY, DAY + dt.timedelta(days=1)) == (1, 2)
    # The indicator over the reminders: the cooling that met its deadline of the two that fell due.
    june = await COMPUTATIONS["haccp.checks_on_time_ratio"](
        reporting.db, parse_period("2026-06"), reference_data().codes("centres")
    )
    assert (june[CENTRE].value, june[CENTRE].breakdown) == (0.5, {"due": 2.0, "on_time": 1.0})
    assert june[CITY].value == 0.5 and june["sint-maartensdal"].value is None


async def test_only_days_in_use_and_the_services_start_times_count(reporting: Reporting) -> None:
    in_use = uuid4()
    per_service = uuid4()
    clock = Clock(local(DAY, "00:00"))
    friday = DAY + dt.timedelta(days=2)
    wednesday_service, thursday_service, friday_service = uuid4(), uuid4(), uuid4()
    await reporting.publish(
        check_defined(in_use, "Handwasbak", {"type": "times_of_day", "times": ["10:00"],
                                             "only_on_service_days": True}, clock.now),
        check_defined(per_service, "Bain-marie", {"type": "per_service", "offset_minutes": -30},
                      clock.now, kind="hot_holding"),
        service_planned(DAY, "12:00", wednesday_service),
        service_planned(DAY + dt.timedelta(days=1), "12:00", thursday_service),
        service_planned(friday, "12:00", friday_service),
    )  # fmt: skip
    scheduler = await reporting.scheduler(clock)
    from buurtwerk_shared.contracts.events.meals import ServiceChangedV1

    timeline = [
        # Thursday's service is cancelled the evening before; Friday's moves to 18:00.
        (local(DAY, "20:00"), service_cancelled(thursday_service, DAY + dt.timedelta(days=1))),
        (local(DAY, "21:00"), ServiceChangedV1(
            service_id=friday_service, centre_id=CENTRE, date=friday,
            changed_at=local(DAY, "21:00"), starts_at=local(friday, "18:00"))),
    ]  # fmt: skip
    emitted = await run_until(
        reporting, [scheduler], clock, local(friday + dt.timedelta(days=1), "00:00"), timeline
    )
    reminders = [
        (dt.datetime.fromisoformat(e.data["due_at"]), UUID(e.data["check_id"]))
        for e in emitted
        if e.event_type == DUE
    ]
    assert reminders == [
        (local(DAY, "10:00"), in_use),
        (local(DAY, "11:30"), per_service),
        (local(friday, "10:00"), in_use),
        (local(friday, "17:30"), per_service),
    ]


async def test_a_restart_loses_nothing_and_old_misses_are_counted_quietly(
    reporting: Reporting,
) -> None:
    check = uuid4()
    clock = Clock(local(DAY, "06:00"))
    hourly = {"type": "times_of_day", "times": ["07:00", "08:00", "10:00", "13:00"]}
    await reporting.publish(check_defined(check, "Koelcel", hourly, clock.now, grace_minutes=30))
    first = await reporting.scheduler(clock, catch_up_hours=3)
    emitted = await run_until(reporting, [first], clock, local(DAY, "07:10"))
    assert summary(emitted) == [("due", "07:00", "07:00")]
    # Reporting is down from 07:10 until 12:00; a new process, a new scheduler, same database.
    clock.now = local(DAY, "12:00")
    restarted = await reporting.scheduler(clock, catch_up_hours=3)
    await restarted.tick()
    late = await reporting.emitted(clock.now)
    # 07:00 was reminded before; 08:00 is more than three hours ago: counted, not announced;
    # 10:00 is announced late, and overdue at once.
    assert summary(late) == [
        ("due", "10:00", "12:00"),
        ("overdue", "07:00", "12:00"),
        ("overdue", "10:00", "12:00"),
    ]
    assert await run_until(reporting, [restarted], clock, local(DAY, "12:59")) == []
    emitted = await run_until(reporting, [restarted], clock, local(DAY, "14:00"))
    assert summary(emitted) == [("due", "13:00", "13:00"), ("overdue", "13:00", "13:30")]
    assert await checks_on_time(reporting.db, CENTRE, DAY, DAY + dt.timedelta(days=1)) == (0, 4)
    published = await reporting.published(6)
    assert len({m.message_id for m in published}) == len(published) == 6


async def test_two_schedulers_publish_each_reminder_once(reporting: Reporting) -> None:
    clock = Clock(local(DAY, "06:59"))
    quarter_hours = [f"{h:02d}:{m:02d}" for h in range(7, 19) for m in (0, 15, 30, 45)]
    checks = [uuid4() for _ in range(12)]
    await reporting.publish(
        *(
            check_defined(c, f"Controle {i}", {"type": "times_of_day", "times": quarter_hours},
                          clock.now, grace_minutes=10)
            for i, c in enumerate(checks)
        )
    )  # fmt: skip
    # Small batches, so the two replicas interleave within every tick.
    one = await reporting.scheduler(clock, batch_size=3)
    two = await reporting.scheduler(clock, batch_size=3)
    announced = [0, 0]
    emitted = await run_until(
        reporting, [one, two], clock, local(DAY, "19:00"), announced=announced
    )
    expected = len(checks) * len(quarter_hours) * 2  # a reminder and an escalation each
    assert len(emitted) == expected
    assert len({e.event_id for e in emitted}) == expected
    assert announced[0] > 0 and announced[1] > 0
    assert sum(announced) == expected
    published = await reporting.published(expected, within=60)
    assert len(published) == expected
    assert len({m.message_id for m in published}) == expected


async def test_the_open_reminders_over_http_and_the_delay_metric(reporting: Reporting) -> None:
    check = uuid4()
    now = dt.datetime.now(UTC)
    clock = Clock(now)
    await reporting.publish(
        check_defined(check, "Afkoelen", {"type": "on_event"}, now - dt.timedelta(hours=3),
                      kind="cooling", grace_minutes=0),
        process_started(check, now - dt.timedelta(minutes=121), dt.timedelta(minutes=120)),
    )  # fmt: skip
    scheduler = await reporting.scheduler(clock)
    result = await scheduler.tick()
    assert (result.reminded, result.escalated) == (1, 1)

    cook = bearer("kitchen_staff", [CENTRE])
    response = await reporting.client.get("/reminders", params={"kitchen_id": KITCHEN},
                                          headers=cook)  # fmt: skip
    assert response.status_code == 200, response.text
    [reminder] = response.json()["reminders"]
    assert (reminder["check_id"], reminder["overdue"], reminder["label"]) == (
        str(check), True, "Afkoelen"
    )  # fmt: skip
    for headers, status in (
        (bearer("kitchen_staff", ["sint-maartensdal"]), 403),
        (bearer("analyst", ["all"]), 403),
        (bearer("notifier", ["all"]), 200),
    ):
        answer = await reporting.client.get(
            "/reminders", params={"kitchen_id": KITCHEN}, headers=headers
        )
        assert answer.status_code == status
    unknown = await reporting.client.get("/reminders", params={"kitchen_id": "elders"},
                                         headers=cook)  # fmt: skip
    assert unknown.status_code == 422
    assert unknown.json()["errors"][0]["field"] == "query.kitchen_id"

    metrics = (await reporting.client.get("/metrics")).text
    assert 'buurtwerk_haccp_reminder_delay_seconds_count{event="due"}' in metrics
    assert 'buurtwerk_haccp_reminder_delay_seconds_count{event="overdue"}' in metrics


async def test_an_overdue_check_nobody_records_fires_the_alert_until_it_is_recorded(
    reporting: Reporting,
) -> None:
    """The gauge behind BuurtwerkHaccpOverdueNotHandled, against the alert's own threshold."""
    [threshold] = re.findall(r"buurtwerk_haccp_overdue_unhandled_seconds\)\s*>\s*(\d+)",
                             ALERTS.read_text())  # fmt: skip
    check = uuid4()
    clock = Clock(local(DAY, "06:00"))
    await reporting.publish(check_defined(check, "Koelkast", EIGHT, clock.now))
    scheduler = await reporting.scheduler(clock)
    await run_until(reporting, [scheduler], clock, local(DAY, "09:00"))

    async def unhandled_seconds() -> float | None:
        await scheduler.export_overdue()
        seen = Scrape((await reporting.client.get("/metrics")).text)
        return seen.value("buurtwerk_haccp_overdue_unhandled_seconds", kitchen_id=KITCHEN)

    assert await unhandled_seconds() == 30 * 60  # overdue since 08:30
    clock.now = local(DAY, "09:31")  # an hour and a minute: the alert fires
    assert (await unhandled_seconds() or 0) > float(threshold)

    await reporting.publish(recorded(check, local(DAY, "09:32")))
    assert await unhandled_seconds() is None
