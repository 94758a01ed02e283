"""A kitchen through a week that contains a daylight-saving change, on a clock the test controls:
every reminder and overdue escalation appears exactly once, at the right local time."""

import datetime as dt
from dataclasses import dataclass
from uuid import UUID, uuid4, uuid5

import pytest

from buurtwerk_shared.contracts.events import EventData
from reporting.reminders.queries import checks_on_time, open_reminders
from tests.integration.haccp.harness import (
    CENTRE,
    KITCHEN,
    Clock,
    Reporting,
    check_defined,
    local,
    on_kitchen_duty,
    recorded,
    run_until,
    service_cancelled,
    service_planned,
)

UTC = dt.UTC


@dataclass(frozen=True)
class Week:
    """Thursday to Thursday around the last Sunday of March or October."""

    thursday: dt.date
    # UTC offsets (hours) before and after the change, which happens on the Sunday.
    before: int
    after: int
    # The night check at 02:30 local, due and overdue (+60 min), in UTC: written out by hand.
    night_due: tuple[str, ...]
    night_overdue: tuple[str, ...]

    @property
    def days(self) -> list[dt.date]:
        return [self.thursday + dt.timedelta(days=i) for i in range(7)]

    def at(self, day: dt.date, clock: str) -> dt.datetime:
        """A local time from 03:00 on, with the offset written out (not from zoneinfo)."""
        offset = self.before if day < self.days[3] else self.after
        hours, minutes = clock.split(":")
        tz = dt.timezone(dt.timedelta(hours=offset))
        return dt.datetime.combine(day, dt.time(int(hours), int(minutes)), tzinfo=tz)


SPRING = Week(
    dt.date(2026, 3, 26),
    before=1,
    after=2,
    # 29 March: 02:30 does not exist; due once at 03:30 summer time (01:30 UTC).
    night_due=("03-26T01:30", "03-27T01:30", "03-28T01:30", "03-29T01:30", "03-30T00:30",
               "03-31T00:30", "04-01T00:30"),
    night_overdue=("03-26T02:30", "03-27T02:30", "03-28T02:30", "03-29T02:30", "03-30T01:30",
                   "03-31T01:30", "04-01T01:30"),
)  # fmt: skip
AUTUMN = Week(
    dt.date(2026, 10, 22),
    before=2,
    after=1,
    # 25 October: 02:30 happens twice; due once, the first time (00:30 UTC); overdue an hour
    # later, which is 02:30 again, in winter time.
    night_due=("10-22T00:30", "10-23T00:30", "10-24T00:30", "10-25T00:30", "10-26T01:30",
               "10-27T01:30", "10-28T01:30"),
    night_overdue=("10-22T01:30", "10-23T01:30", "10-24T01:30", "10-25T01:30", "10-26T02:30",
                   "10-27T02:30", "10-28T02:30"),
)  # fmt: skip


def utc(week: Week, text: str) -> dt.datetime:
    return dt.datetime.fromisoformat(f"{week.thursday.year}-{text}:00+00:00")


@pytest.mark.parametrize("week", [SPRING, AUTUMN], ids=["march", "october"])
async def test_a_week_across_a_daylight_saving_change(reporting: Reporting, week: Week) -> None:
    thu, fri, sat, sun, mon, tue, wed = week.days
    start = local(thu, "00:00")
    defined_at = start - dt.timedelta(minutes=1)
    names = ("FRIDGE", "NIGHT", "BAIN", "HANDWASH", "CLEANING", "CALIBRATION", "FREEZER", "OFF")
    ids = {name: uuid4() for name in names}
    label = {check_id: name for name, check_id in ids.items()}
    grace = {"FRIDGE": 30, "NIGHT": 60, "BAIN": 15, "HANDWASH": 30, "CLEANING": 60,
             "CALIBRATION": 120, "FREEZER": 60, "OFF": 30}  # fmt: skip
    calibration_day = next(d for d in week.days if d.day == 28)
    times = {"type": "times_of_day", "times": ["08:00", "15:00"]}
    definitions = [
        check_defined(ids["FRIDGE"], "FRIDGE", times, defined_at),
        check_defined(ids["NIGHT"], "NIGHT", {"type": "times_of_day", "times": ["02:30"]},
                      defined_at, grace_minutes=60),
        check_defined(ids["BAIN"], "BAIN", {"type": "per_service", "offset_minutes": -30},
                      defined_at, kind="hot_holding", grace_minutes=15),
        check_defined(ids["HANDWASH"], "HANDWASH",
                      {"type": "times_of_day", "times": ["10:00"], "only_on_service_days": True},
                      defined_at, kind="cleaning", level="recommended"),
        check_defined(ids["CLEANING"], "CLEANING",
                      {"type": "weekly", "weekday": 1, "time": "09:00"},
                      defined_at, kind="cleaning", grace_minutes=60, level="recommended"),
        check_defined(ids["CALIBRATION"], "CALIBRATION",
                      {"type": "monthly", "day": 28, "time": "09:00"},
                      defined_at, kind="calibration", grace_minutes=120),
        check_defined(ids["FREEZER"], "FREEZER", {"type": "times_of_day", "times": ["09:00"]},
                      defined_at, kind="freezer", grace_minutes=60),
        check_defined(ids["OFF"], "OFF", {"type": "times_of_day", "times": ["12:00"]},
                      defined_at, level="off"),
    ]  # fmt: skip
    wednesday_service = uuid4()
    services = [service_planned(day, "12:00") for day in (fri, sun, mon)]
    services.append(service_planned(wed, "12:00", wednesday_service))
    on_duty, replaced, elsewhere, other_role = uuid4(), uuid4(), uuid4(), uuid4()
    shift = uuid4()
    shifts = [
        on_kitchen_duty(on_duty, local(sun, "10:00"), local(sun, "14:00"), shift_id=shift),
        on_kitchen_duty(replaced, local(sun, "10:00"), local(sun, "14:00"), shift_id=shift),
        on_kitchen_duty(replaced, local(sun, "10:00"), local(sun, "14:00"), shift_id=shift,
                        assigned=False, changed_at=local(sat, "18:00")),
        on_kitchen_duty(elsewhere, local(sun, "10:00"), local(sun, "14:00"),
                        centre_id="sint-maartensdal"),
        on_kitchen_duty(other_role, local(sun, "10:00"), local(sun, "14:00"),
                        role="computer_corner"),
    ]  # fmt: skip
    await reporting.publish(*definitions, *services, *shifts)

    timeline: list[tuple[dt.datetime, EventData]] = [
        (week.at(tue, "20:00"), service_cancelled(wednesday_service, wed))
    ]
    for day in week.days:
        timeline.append((week.at(day, "08:10"), recorded(ids["FRIDGE"], week.at(day, "08:10"))))
        if day == sat:  # late: after the overdue escalation at 15:30
            timeline.append((week.at(day, "15:45"), recorded(ids["FRIDGE"], week.at(day, "15:45"))))
        elif day != sun:  # Sunday 15:00 is never recorded
            timeline.append((week.at(day, "15:20"), recorded(ids["FRIDGE"], week.at(day, "15:20"))))
        if day <= mon:
            timeline.append(
                (week.at(day, "09:05"), recorded(ids["FREEZER"], week.at(day, "09:05")))
            )
    # Recorded just before it is due, naming the occurrence: no reminder at all.
    timeline.append(
        (
            week.at(fri, "11:25"),
            recorded(ids["BAIN"], week.at(fri, "11:25"), due_at=week.at(fri, "11:30")),
        )
    )
    timeline.append((week.at(mon, "11:35"), recorded(ids["BAIN"], week.at(mon, "11:35"))))
    timeline.append(
        (
            week.at(calibration_day, "09:30"),
            recorded(ids["CALIBRATION"], week.at(calibration_day, "09:30")),
        )
    )
    # The freezer check is switched off from Monday noon on.
    timeline.append((week.at(mon, "12:00"),
                     check_defined(ids["FREEZER"], "FREEZER",
                                   {"type": "times_of_day", "times": ["09:00"]},
                                   week.at(mon, "12:00"), kind="freezer", grace_minutes=60,
                                   version=2, active=False)))  # fmt: skip

    clock = Clock(defined_at)
    scheduler = await reporting.scheduler(clock)
    end = local(thu + dt.timedelta(days=7), "00:00")
    emitted = await run_until(reporting, [scheduler], clock, end, timeline)

    expected: list[tuple[str, str, dt.datetime]] = []
    for day in week.days:
        expected += [
            ("due", "FRIDGE", week.at(day, "08:00")),
            ("due", "FRIDGE", week.at(day, "15:00")),
        ]
    expected += [("due", "NIGHT", utc(week, t)) for t in week.night_due]
    expected += [("due", "BAIN", week.at(day, "11:30")) for day in (sun, mon)]
    expected += [("due", "HANDWASH", week.at(day, "10:00")) for day in (fri, sun, mon)]
    expected += [("due", "CLEANING", week.at(mon, "09:00"))]
    expected += [("due", "CALIBRATION", week.at(calibration_day, "09:00"))]
    expected += [("due", "FREEZER", week.at(day, "09:00")) for day in (thu, fri, sat, sun, mon)]
    expected += [("overdue", "FRIDGE", week.at(day, "15:00")) for day in (sat, sun)]
    expected += [("overdue", "NIGHT", utc(week, t)) for t in week.night_due]
    expected += [("overdue", "BAIN", week.at(sun, "11:30"))]  # fmt: skip

    def key(e: tuple[str, str, dt.datetime]) -> tuple[str, str, dt.datetime]:
        return (e[0], e[1], e[2].astimezone(UTC))

    found = [
        ("due" if e.event_type == "reporting.haccp_reminder_due.v1" else "overdue",
         label[UUID(e.data["check_id"])], dt.datetime.fromisoformat(e.data["due_at"]))
        for e in emitted
    ]  # fmt: skip
    assert sorted(map(key, found)) == sorted(map(key, expected))

    night_overdue = {utc(week, t) for t in week.night_overdue}
    for event in emitted:
        due_at = dt.datetime.fromisoformat(event.data["due_at"])
        check_id = UUID(event.data["check_id"])
        name = label[check_id]
        reminder = uuid5(check_id, due_at.astimezone(UTC).isoformat())
        assert UUID(event.data["reminder_id"]) == reminder
        if event.event_type == "reporting.haccp_reminder_due.v1":
            assert event.at == due_at, (name, due_at)
            assert event.event_id == reminder
            sunday_service = name in ("BAIN", "HANDWASH") and due_at.astimezone(UTC).date() == sun
            assert event.data["on_duty_volunteer_ids"] == ([str(on_duty)] if sunday_service else [])
        else:
            overdue_since = dt.datetime.fromisoformat(event.data["overdue_since"])
            assert overdue_since == due_at + dt.timedelta(minutes=grace[name])
            assert event.at == overdue_since, (name, due_at)
            assert event.event_id == uuid5(reminder, "overdue")
            if name == "NIGHT":
                assert overdue_since in night_overdue

    published = await reporting.published(len(emitted))
    published_ids = [UUID(m.message_id or "") for m in published]
    assert sorted(published_ids) == sorted(e.event_id for e in emitted)
    assert len(set(published_ids)) == len(published_ids) == 43

    # 30 due occurrences of required checks, 20 closed within grace.
    assert await checks_on_time(reporting.db, CENTRE, thu, thu + dt.timedelta(days=7), at=end) == (
        20, 30
    )  # fmt: skip
    assert await checks_on_time(reporting.db, "sint-maartensdal", thu, wed, at=end) == (0, 0)
    # Sunday: the fridge at 08:00 and the freezer on time; fridge 15:00, night, bain missed.
    assert await checks_on_time(reporting.db, None, sun, mon, at=end) == (2, 5)

    still_open = {
        (label[r.check_id], r.due_at.astimezone(UTC)): r
        for r in await open_reminders(reporting.db, KITCHEN, end)
    }
    sunday_fridge = still_open[("FRIDGE", week.at(sun, "15:00").astimezone(UTC))]
    assert sunday_fridge.overdue and sunday_fridge.missed
    assert ("FRIDGE", week.at(sat, "15:00").astimezone(UTC)) not in still_open  # closed late
    assert ("BAIN", week.at(mon, "11:30").astimezone(UTC)) not in still_open
    assert not still_open[("CLEANING", week.at(mon, "09:00").astimezone(UTC))].missed
