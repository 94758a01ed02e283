"""The catalogue's reminder rules, as pure functions."""

import datetime as dt
from uuid import UUID, uuid4, uuid5

from buurtwerk_shared.contracts.events.haccp import TimesOfDaySchedule
from reporting.reminders.rules import (
    CheckVersion,
    Record,
    closing_record,
    next_occurrence,
    occurrences,
    on_time,
    overdue_event_id,
    reminder_id,
)

UTC = dt.UTC
CHECK = UUID("0b6f0d6e-4a52-4a8c-9a5e-8f0e6b1f2c33")


def at(text: str) -> dt.datetime:
    return dt.datetime.fromisoformat(text)


def version(number: int, effective: str, times: list[str], **changes: object) -> CheckVersion:
    fields: dict[str, object] = {
        "check_id": CHECK,
        "version": number,
        "effective_from": at(effective),
        "kitchen_id": "mannenstraat-keuken",
        "centre_id": "mannenstraat",
        "kind": "fridge",
        "label": "Koelkast",
        "schedule": TimesOfDaySchedule(times=times),
        "grace_minutes": 30,
        "level": "required",
        "active": True,
    }
    fields.update(changes)
    return CheckVersion(**fields)  # type: ignore[arg-type]


def test_the_reminder_id_is_uuid5_of_the_check_and_the_due_time_in_utc() -> None:
    due = at("2026-03-29T08:00:00+02:00")
    assert reminder_id(CHECK, due) == uuid5(CHECK, "2026-03-29T06:00:00+00:00")
    assert reminder_id(CHECK, due) == reminder_id(CHECK, due.astimezone(UTC))
    assert overdue_event_id(reminder_id(CHECK, due)) != reminder_id(CHECK, due)


def test_each_occurrence_follows_the_version_in_force_then() -> None:
    versions = [
        version(1, "2026-06-01T00:00+02:00", ["08:00", "15:00"]),
        version(2, "2026-06-02T12:00+02:00", ["09:00"]),
        version(3, "2026-06-03T12:00+02:00", ["09:00"], active=False),
    ]
    found = occurrences(versions, at("2026-06-01T00:00+02:00"), at("2026-06-05T00:00+02:00"), [])
    assert [(d.due_at.isoformat(), d.version.version) for d in found] == [
        ("2026-06-01T06:00:00+00:00", 1),
        ("2026-06-01T13:00:00+00:00", 1),
        ("2026-06-02T06:00:00+00:00", 1),
        ("2026-06-03T07:00:00+00:00", 2),
    ]
    # Each window runs to the next occurrence; the last has none (switched off).
    assert [d.window_end for d in found] == [
        found[1].due_at,
        found[2].due_at,
        found[3].due_at,
        None,
    ]
    assert found[0].grace_until == at("2026-06-01T08:30+02:00")
    assert next_occurrence(versions, at("2026-06-03T08:00+02:00"), []) == found[3].due_at
    assert next_occurrence(versions, at("2026-06-03T10:00+02:00"), []) is None


def test_level_off_is_never_due() -> None:
    off = [version(1, "2026-06-01T00:00+02:00", ["08:00"], level="off")]
    assert occurrences(off, at("2026-06-01T00:00+02:00"), at("2026-06-09T00:00+02:00"), []) == []


def test_which_record_closes_an_occurrence() -> None:
    due, window_end = at("2026-06-01T08:00+02:00"), at("2026-06-01T15:00+02:00")

    def rec(recorded: str, answers: str | None = None) -> Record:
        return Record(uuid4(), at(answers) if answers else None, at(recorded))

    before = rec("2026-06-01T07:55+02:00")
    first, second = rec("2026-06-01T08:20+02:00"), rec("2026-06-01T08:10+02:00")
    next_window = rec("2026-06-01T15:05+02:00")
    other = rec("2026-06-01T08:05+02:00", answers="2026-05-31T15:00+02:00")
    named = rec("2026-06-02T10:00+02:00", answers="2026-06-01T08:00+02:00")
    assert closing_record(due, window_end, [before, next_window, other]) is None
    assert closing_record(due, window_end, [first, second, before]) == second
    assert closing_record(due, window_end, [named, next_window]) == named
    assert closing_record(due, None, [next_window]) == next_window
    assert on_time(at("2026-06-01T08:29+02:00"), at("2026-06-01T08:30+02:00"))
    assert not on_time(at("2026-06-01T08:30+02:00"), at("2026-06-01T08:30+02:00"))
