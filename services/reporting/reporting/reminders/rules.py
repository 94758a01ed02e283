"""The catalogue's reminder rules as pure functions.

- An occurrence of a scheduled check becomes due at its time, per the version of the check in
  force then (active, level not `off`), when the kitchen is in use where the schedule says so.
- A record with that `due_at`, or else the first record of the check (without `due_at`) after the
  due time and before the next occurrence, closes it; the earliest such record counts.
- A required check not closed within `grace_minutes` is overdue: on time means recorded before
  the grace time ends.
- A cooling or reheating process is due at its deadline, without grace; only its own record
  (`due_at` = the deadline) closes it.
- The reminder's id (and its event id) is derived from (check_id, due_at), UUID version 5.
"""

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from uuid import UUID, uuid5

from buurtwerk_shared.contracts.events.haccp import Schedule
from buurtwerk_shared.haccp_schedule import NEXT_DUE_HORIZON, MealServiceSlot, due_times

_JUST_BEFORE = dt.timedelta(microseconds=1)


def reminder_id(check_id: UUID, due_at: dt.datetime) -> UUID:
    """The reminder's id and event id: UUID v5 in the check's namespace, of the due time in UTC
    as ISO 8601 (`2026-03-29T06:00:00+00:00`)."""
    return uuid5(check_id, due_at.astimezone(dt.UTC).isoformat())


def overdue_event_id(reminder: UUID) -> UUID:
    """The event id of a reminder's overdue escalation (published once, like the reminder)."""
    return uuid5(reminder, "overdue")


@dataclass(frozen=True)
class CheckVersion:
    """One version of a check definition, as reporting received it."""

    check_id: UUID
    version: int
    effective_from: dt.datetime
    kitchen_id: str
    centre_id: str
    kind: str
    label: str
    schedule: Schedule
    grace_minutes: int
    level: str
    active: bool

    @property
    def reminds(self) -> bool:
        """Whether occurrences of this version are due at all."""
        return self.active and self.level != "off"


@dataclass(frozen=True)
class Due:
    """A due occurrence of a scheduled check."""

    due_at: dt.datetime
    version: CheckVersion
    window_end: dt.datetime | None

    @property
    def grace_until(self) -> dt.datetime:
        """When the occurrence becomes overdue if not closed."""
        return self.due_at + dt.timedelta(minutes=self.version.grace_minutes)


def in_force(versions: Sequence[CheckVersion], at: dt.datetime) -> CheckVersion | None:
    """The version in force at `at` (the latest that took effect by then)."""
    effective = [v for v in versions if v.effective_from <= at]
    return max(effective, key=lambda v: v.version) if effective else None


def _due_in(
    versions: Sequence[CheckVersion],
    after: dt.datetime,
    until: dt.datetime,
    services: Sequence[MealServiceSlot],
) -> list[tuple[dt.datetime, CheckVersion]]:
    """The due times in (after, until], each with the version in force then."""
    ordered = sorted(versions, key=lambda v: v.effective_from)
    found: list[tuple[dt.datetime, CheckVersion]] = []
    for i, version in enumerate(ordered):
        if not version.reminds:
            continue
        start = max(after, version.effective_from - _JUST_BEFORE)
        end = until
        if i + 1 < len(ordered):
            end = min(until, ordered[i + 1].effective_from - _JUST_BEFORE)
        found.extend(
            (due_at, version) for due_at in due_times(version.schedule, start, end, services)
        )
    return found


def occurrences(
    versions: Sequence[CheckVersion],
    after: dt.datetime,
    until: dt.datetime,
    services: Iterable[MealServiceSlot],
) -> list[Due]:
    """The occurrences due in (after, until], each under the version in force at its time and
    with its window's end: the occurrence after it (as far as known now)."""
    slots = list(services)
    found = _due_in(versions, after, until, slots)
    if not found:
        return []
    following = next_occurrence(versions, found[-1][0], slots)
    ends = [due_at for due_at, _ in found[1:]] + [following]
    return [Due(due_at, version, end) for (due_at, version), end in zip(found, ends, strict=True)]


def next_occurrence(
    versions: Sequence[CheckVersion], after: dt.datetime, services: Iterable[MealServiceSlot]
) -> dt.datetime | None:
    """When the check is next due after `after`, if within the look-ahead horizon."""
    slots = list(services)
    # Most schedules are daily: look two days ahead before scanning the whole horizon.
    for ahead in (dt.timedelta(days=2), NEXT_DUE_HORIZON):
        upcoming = _due_in(versions, after, after + ahead, slots)
        if upcoming:
            return upcoming[0][0]
    return None


@dataclass(frozen=True)
class Record:
    """A recorded check as far as the reminders care."""

    record_id: UUID
    due_at: dt.datetime | None
    recorded_at: dt.datetime


def closing_record(
    due_at: dt.datetime,
    window_end: dt.datetime | None,
    records: Iterable[Record],
) -> Record | None:
    """The earliest record that closes the occurrence due at `due_at` (see the module)."""

    def closes(record: Record) -> bool:
        if record.due_at is not None:
            return record.due_at == due_at
        if record.recorded_at < due_at:
            return False
        return window_end is None or record.recorded_at < window_end

    candidates = [r for r in records if closes(r)]
    return min(candidates, key=lambda r: r.recorded_at) if candidates else None


def on_time(recorded_at: dt.datetime, grace_until: dt.datetime) -> bool:
    """Whether a record closed its occurrence within the grace time."""
    return recorded_at < grace_until
