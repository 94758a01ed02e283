"""Projection of the courses events: activities, sessions, enrolment history, attendances,
computer-corner and welcome-desk day totals, youth referrals and their outcomes.

A published activity that changes (`activity_changed`) replaces its partner and target groups,
latest change winning; a corrected attendance replaces its entry by `attendance_id`. A no-show is
an absent entry (`present: false`): attendance counts leave it out, while the enrolment still
counts its participant as taking part."""

from buurtwerk_shared.contracts.events.courses import (
    ActivityChangedV1,
    ActivityPublishedV1,
    AttendanceRecordedV1,
    ComputerCornerVisitsRecordedV1,
    DeskContactsRecordedV1,
    EnrolmentChangedV1,
    SessionCancelledV1,
    SessionHeldV1,
    SessionScheduledV1,
    YouthReferralOutcomeRecordedV1,
    YouthReferralRecordedV1,
)
from buurtwerk_shared.db.pool import Connection
from reporting.indicators.periods import local_date
from reporting.projections.batch import Batch, columns, latest
from reporting.projections.marks import Marks

PARTICIPANT_INDICATORS = (
    "offer.participants_by_target_group",
    "digital.computer_course_participants",
    "children.wilsele_participants",
)
ATTENDANCE_INDICATORS = (*PARTICIPANT_INDICATORS, "offer.conversation_group_participants")

_ACTIVITY = """
INSERT INTO activities (activity_id, centre_id, kind, partner, target_groups, mode)
VALUES ($1, $2, $3, $4, $5, $6)
ON CONFLICT (activity_id) DO UPDATE SET
    centre_id = excluded.centre_id, kind = excluded.kind, partner = excluded.partner,
    target_groups = excluded.target_groups, mode = excluded.mode
WHERE activities.changed_at IS NULL
"""
# A change replaces what the activity's row says, unless a later change is already there.
_ACTIVITY_CHANGE = """
INSERT INTO activities (activity_id, centre_id, kind, partner, target_groups, mode, changed_at)
VALUES ($1, $2, $3, $4, $5, $6, $7)
ON CONFLICT (activity_id) DO UPDATE SET
    partner = excluded.partner, target_groups = excluded.target_groups,
    changed_at = excluded.changed_at
WHERE activities.changed_at IS NULL OR activities.changed_at <= excluded.changed_at
"""
# Dates already counted for an activity that was published late.
_ACTIVITY_DATES = """
SELECT date FROM attendances WHERE activity_id = ANY($1::uuid[])
UNION SELECT date FROM enrolment_changes WHERE activity_id = ANY($1::uuid[])
"""
_SESSION = """
INSERT INTO activity_sessions (session_id, activity_id, centre_id, starts_at, date, {flag})
VALUES ($1, $2, $3, $4, $5, true)
ON CONFLICT (session_id) DO UPDATE SET {flag} = true
"""
_ENROLMENT = """
INSERT INTO enrolment_changes (enrolment_id, changed_at, status, activity_id, centre_id,
                               participant_key, age_band, target_group, date)
SELECT * FROM unnest($1::uuid[], $2::timestamptz[], $3::text[], $4::uuid[], $5::text[],
                     $6::text[], $7::text[], $8::text[], $9::date[])
ON CONFLICT DO NOTHING
"""
# A re-recorded attendance replaces the earlier one (by publication time).
_ATTENDANCE = """
INSERT INTO attendances (attendance_id, session_id, activity_id, centre_id, date,
                         participant_key, count, age_band, target_group, present, recorded_at)
SELECT * FROM unnest($1::uuid[], $2::uuid[], $3::uuid[], $4::text[], $5::date[], $6::text[],
                     $7::int[], $8::text[], $9::text[], $10::bool[], $11::timestamptz[])
ON CONFLICT (attendance_id) DO UPDATE SET
    session_id = excluded.session_id, activity_id = excluded.activity_id,
    centre_id = excluded.centre_id, date = excluded.date,
    participant_key = excluded.participant_key, count = excluded.count,
    age_band = excluded.age_band, target_group = excluded.target_group,
    present = excluded.present, recorded_at = excluded.recorded_at
WHERE attendances.recorded_at <= excluded.recorded_at
"""
_ATTENDANCE_OLD_DATES = "SELECT date FROM attendances WHERE attendance_id = ANY($1::uuid[])"
# Day totals: a later total for the same key replaces the earlier one.
_VISITS = """
INSERT INTO computer_corner_visits (centre_id, date, visits, recorded_at)
VALUES ($1, $2, $3, $4)
ON CONFLICT (centre_id, date) DO UPDATE
SET visits = excluded.visits, recorded_at = excluded.recorded_at
WHERE computer_corner_visits.recorded_at <= excluded.recorded_at
"""
_DESK = """
INSERT INTO desk_contacts (centre_id, date, category, count, recorded_at)
SELECT * FROM unnest($1::text[], $2::date[], $3::text[], $4::int[], $5::timestamptz[])
ON CONFLICT (centre_id, date, category) DO UPDATE
SET count = excluded.count, recorded_at = excluded.recorded_at
WHERE desk_contacts.recorded_at <= excluded.recorded_at
"""
_REFERRAL = """
INSERT INTO youth_referrals (referral_id, centre_id, date, participant_key, age_band)
VALUES ($1, $2, $3, $4, $5)
ON CONFLICT (referral_id) DO NOTHING
"""
_OUTCOME = """
INSERT INTO youth_referral_outcomes (referral_id, outcome, date, recorded_at)
VALUES ($1, $2, $3, $4)
ON CONFLICT (referral_id) DO UPDATE
SET outcome = excluded.outcome, date = excluded.date, recorded_at = excluded.recorded_at
WHERE youth_referral_outcomes.recorded_at <= excluded.recorded_at
"""
_REFERRAL_DATES = "SELECT date FROM youth_referrals WHERE referral_id = ANY($1::uuid[])"


async def apply(conn: Connection, batch: Batch, marks: Marks | None) -> None:
    """Apply the courses events of a batch, one statement per event type."""
    await _activities_and_sessions(conn, batch, marks)
    await _participants(conn, batch, marks)
    await _tallies_and_referrals(conn, batch, marks)


async def _activities_and_sessions(conn: Connection, batch: Batch, marks: Marks | None) -> None:
    activities = batch.of(ActivityPublishedV1)
    changes = batch.of(ActivityChangedV1)
    if activities:
        await conn.executemany(
            _ACTIVITY,
            [
                (a.activity_id, a.centre_id, a.kind, a.partner, list(a.target_groups), a.mode)
                for a in activities
            ],
        )
    if changes:
        await conn.executemany(
            _ACTIVITY_CHANGE,
            [
                (
                    c.activity_id,
                    c.centre_id,
                    c.kind,
                    c.partner,
                    list(c.target_groups),
                    c.mode,
                    c.changed_at,
                )
                for c in changes
            ],
        )
    touched = [a.activity_id for a in activities] + [c.activity_id for c in changes]
    if touched and marks is not None:
        rows = await conn.fetch(_ACTIVITY_DATES, touched)
        marks.dates(ATTENDANCE_INDICATORS, {row["date"] for row in rows})
    scheduled = batch.of(SessionScheduledV1)
    cancelled = batch.of(SessionCancelledV1)
    held = batch.of(SessionHeldV1)
    sessions: list[tuple[str, list[tuple[object, ...]]]] = [
        ("scheduled", [(s.session_id, s.activity_id, s.centre_id, s.starts_at) for s in scheduled]),
        ("cancelled", [(s.session_id, s.activity_id, s.centre_id, s.starts_at) for s in cancelled]),
        ("held", [(s.session_id, s.activity_id, s.centre_id, s.starts_at) for s in held]),
    ]
    for flag, values in sessions:
        if values:
            await conn.executemany(
                _SESSION.format(flag=flag),
                [(*v, local_date(v[3])) for v in values],  # type: ignore[arg-type]
            )
    if marks is not None:
        starts = [s.starts_at for s in scheduled] + [s.starts_at for s in cancelled]
        starts += [s.starts_at for s in held]
        marks.dates(("operations.sessions_held_ratio",), {local_date(s) for s in starts})


async def _participants(conn: Connection, batch: Batch, marks: Marks | None) -> None:
    enrolments = batch.of(EnrolmentChangedV1)
    if enrolments:
        await conn.execute(
            _ENROLMENT,
            *columns(
                [
                    (
                        e.enrolment_id,
                        e.changed_at,
                        e.status,
                        e.activity_id,
                        e.centre_id,
                        e.participant_key,
                        e.age_band,
                        e.target_group,
                        local_date(e.changed_at),
                    )
                    for e in enrolments
                ]
            ),
        )
        if marks is not None:
            marks.dates(PARTICIPANT_INDICATORS, {local_date(e.changed_at) for e in enrolments})
    attendances = batch.with_envelopes(AttendanceRecordedV1)
    if attendances:
        if marks is not None:
            # A re-recorded attendance may move to another date: the old one changes too.
            rows = await conn.fetch(
                _ATTENDANCE_OLD_DATES, [a.attendance_id for _, a in attendances]
            )
            marks.dates(ATTENDANCE_INDICATORS, {row["date"] for row in rows})
            marks.dates(ATTENDANCE_INDICATORS, {a.date for _, a in attendances})
        winners = latest(attendances, lambda ea: ea[1].attendance_id, lambda ea: ea[0].time)
        await conn.execute(
            _ATTENDANCE,
            *columns(
                [
                    (
                        a.attendance_id,
                        a.session_id,
                        a.activity_id,
                        a.centre_id,
                        a.date,
                        a.participant_key,
                        a.count,
                        a.age_band,
                        a.target_group,
                        a.present,
                        envelope.time,
                    )
                    for envelope, a in winners
                ]
            ),
        )


async def _tallies_and_referrals(conn: Connection, batch: Batch, marks: Marks | None) -> None:
    visits = batch.with_envelopes(ComputerCornerVisitsRecordedV1)
    desk = batch.with_envelopes(DeskContactsRecordedV1)
    referrals = batch.of(YouthReferralRecordedV1)
    outcomes = batch.with_envelopes(YouthReferralOutcomeRecordedV1)
    if visits:
        await conn.executemany(
            _VISITS, [(v.centre_id, v.date, v.visits, envelope.time) for envelope, v in visits]
        )
    if desk:
        winners = latest(
            desk, lambda ed: (ed[1].centre_id, ed[1].date, ed[1].category), lambda ed: ed[0].time
        )
        await conn.execute(
            _DESK,
            *columns([(d.centre_id, d.date, d.category, d.count, e.time) for e, d in winners]),
        )
    if referrals:
        await conn.executemany(
            _REFERRAL,
            [
                (r.referral_id, r.centre_id, r.date, r.participant_key, r.age_band)
                for r in referrals
            ],
        )
    if outcomes:
        await conn.executemany(
            _OUTCOME,
            [(o.referral_id, o.outcome, o.date, envelope.time) for envelope, o in outcomes],
        )
    if marks is None:
        return
    marks.dates(("digital.computer_corner_visits",), {v.date for _, v in visits})
    marks.dates(("hub.desk_contacts",), {d.date for _, d in desk})
    marks.dates(("youth.referrals",), {r.date for r in referrals})
    if outcomes:
        rows = await conn.fetch(_REFERRAL_DATES, [o.referral_id for _, o in outcomes])
        marks.dates(("youth.referrals",), {row["date"] for row in rows})
