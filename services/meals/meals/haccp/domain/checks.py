"""Check definitions: what a kitchen checks, against which limits, when; versioned.

A revision never changes a version: it adds the next one, in force from now. A record keeps the
version it was judged by, so an old reading stays judged by the limits that applied when it was
taken.
"""

import datetime as dt
from dataclasses import dataclass
from typing import Any
from uuid import UUID, uuid4

import asyncpg

from buurtwerk_shared.contracts.events.haccp import (
    ChecklistLimits,
    HaccpCheckKind,
    HaccpLevel,
    Limits,
    OnEventSchedule,
    Schedule,
)
from buurtwerk_shared.contracts.events.meals import HaccpCheckDefinedV1
from buurtwerk_shared.db.pool import Connection
from buurtwerk_shared.web.auth import Principal, ensure_centre
from buurtwerk_shared.web.problems import conflict, not_found, unprocessable
from buurtwerk_shared.web.writes import WriteContext
from meals.haccp.api.schemas import CheckHistory, CheckView, DefineCheck, ReviseCheck
from meals.haccp.domain.common import (
    SCHEDULE,
    dump_limits,
    kitchen_in_scope,
    load_limits,
    utc_now,
)
from meals.haccp.domain.defaults import ALLOWED_LIMITS, DEFAULTS, TIMED_KINDS


@dataclass(frozen=True)
class CheckVersion:
    """One version of a check definition, as the rules use it."""

    check_id: UUID
    kitchen_id: str
    centre_id: str
    kind: HaccpCheckKind
    version: int
    effective_from: dt.datetime
    label: str
    equipment_id: UUID | None
    schedule: Schedule
    grace_minutes: int
    limits: Limits | None
    level: HaccpLevel
    active: bool

    @classmethod
    def from_row(cls, row: asyncpg.Record) -> "CheckVersion":
        """From a row joining `haccp_checks` and `haccp_check_versions`."""
        return cls(
            check_id=row["check_id"],
            kitchen_id=row["kitchen_id"],
            centre_id=row["centre_id"],
            kind=row["kind"],
            version=row["version"],
            effective_from=row["effective_from"],
            label=row["label"],
            equipment_id=row["equipment_id"],
            schedule=SCHEDULE.validate_python(row["schedule"]),
            grace_minutes=row["grace_minutes"],
            limits=load_limits(row["limits"]),
            level=row["level"],
            active=row["active"],
        )

    def view(self) -> CheckView:
        """The API view of this version."""
        return CheckView(
            check_id=self.check_id,
            kitchen_id=self.kitchen_id,
            centre_id=self.centre_id,
            kind=self.kind,
            version=self.version,
            effective_from=self.effective_from,
            label=self.label,
            schedule=self.schedule,
            limits=self.limits,
            grace_minutes=self.grace_minutes,
            level=self.level,
            active=self.active,
            equipment_id=self.equipment_id,
        )

    def event(self) -> HaccpCheckDefinedV1:
        """The `meals.haccp_check_defined.v1` of this version."""
        return HaccpCheckDefinedV1(
            check_id=self.check_id,
            version=self.version,
            effective_from=self.effective_from,
            kitchen_id=self.kitchen_id,
            centre_id=self.centre_id,
            kind=self.kind,
            label=self.label,
            schedule=self.schedule,
            grace_minutes=self.grace_minutes,
            limits=self.limits,
            level=self.level,
            active=self.active,
        )


_SELECT = """
SELECT c.check_id, c.kitchen_id, c.centre_id, c.kind, v.version, v.effective_from, v.label,
       v.equipment_id, v.schedule, v.grace_minutes, v.limits, v.level, v.active
FROM haccp_checks c JOIN haccp_check_versions v USING (check_id)
"""


async def current_version(conn: Connection, check_id: UUID, *, lock: bool = False) -> CheckVersion:
    """The version of a check in force now (404 when there is no such check)."""
    row = await conn.fetchrow(
        _SELECT
        + " WHERE c.check_id = $1 AND v.version = c.current_version"
        + (" FOR UPDATE OF c" if lock else ""),
        check_id,
    )
    if row is None:
        raise not_found(f"check {check_id}", field="path.check_id")
    return CheckVersion.from_row(row)


async def version_at(conn: Connection, check_id: UUID, at: dt.datetime) -> CheckVersion:
    """The version of a check in force at `at`; version 1 for a moment before the check was
    defined (a reading typed in after the fact, when the check was only just set up)."""
    row = await conn.fetchrow(
        _SELECT
        + " WHERE c.check_id = $1"
        + " ORDER BY CASE WHEN v.effective_from <= $2 THEN v.version ELSE -v.version END DESC"
        + " LIMIT 1",
        check_id,
        at,
    )
    if row is None:
        raise not_found(f"check {check_id}", field="path.check_id")
    return CheckVersion.from_row(row)


async def kitchen_checks(conn: Connection, kitchen_id: str) -> list[CheckVersion]:
    """The current version of every check of a kitchen, by label."""
    rows = await conn.fetch(
        _SELECT + " WHERE c.kitchen_id = $1 AND v.version = c.current_version ORDER BY v.label",
        kitchen_id,
    )
    return [CheckVersion.from_row(row) for row in rows]


def _validated_limits(kind: HaccpCheckKind, limits: Limits | None, given: bool) -> Limits | None:
    if not given:
        limits = DEFAULTS[kind].limits
    allowed = ALLOWED_LIMITS[kind]
    shape = None if limits is None else limits.type
    if shape not in allowed:
        if shape is None:
            raise unprocessable(
                f"a {kind} check needs limits ({', '.join(sorted(str(a) for a in allowed))})",
                field="body.limits",
            )
        raise unprocessable(
            f"'{shape}' limits do not suit a {kind} check; use one of "
            f"{', '.join(sorted(str(a) for a in allowed if a))}",
            field="body.limits.type",
        )
    if isinstance(limits, ChecklistLimits) and len(set(limits.items)) != len(limits.items):
        raise unprocessable("checklist items must be distinct", field="body.limits.items")
    return limits


def _validated_schedule(kind: HaccpCheckKind, schedule: Schedule) -> Schedule:
    # A cooling or reheating check is due when its process reaches the time limit.
    if kind in TIMED_KINDS and not isinstance(schedule, OnEventSchedule):
        raise unprocessable(
            f"a {kind} check is timed from the start of each process: use schedule "
            '{"type": "on_event"}',
            field="body.schedule.type",
        )
    return schedule


async def _check_equipment(conn: Connection, equipment_id: UUID | None, kitchen_id: str) -> None:
    if equipment_id is None:
        return
    found = await conn.fetchval(
        "SELECT active FROM haccp_equipment WHERE equipment_id = $1 AND kitchen_id = $2",
        equipment_id,
        kitchen_id,
    )
    if found is None:
        raise unprocessable("no such equipment in this kitchen", field="body.equipment_id")
    if not found:
        raise unprocessable("this equipment is no longer in use", field="body.equipment_id")


async def _insert_version(ctx: WriteContext, version: CheckVersion) -> None:
    await ctx.conn.execute(
        """
        INSERT INTO haccp_check_versions
            (check_id, version, effective_from, label, equipment_id, schedule, grace_minutes,
             limits, level, active, defined_by)
        VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)
        """,
        version.check_id,
        version.version,
        version.effective_from,
        version.label,
        version.equipment_id,
        version.schedule.model_dump(),
        version.grace_minutes,
        dump_limits(version.limits),
        version.level,
        version.active,
        ctx.principal.sub,
    )
    await ctx.emit(version.event())


async def define_check(ctx: WriteContext, kitchen_id: str, request: DefineCheck) -> CheckView:
    """Define a new check for a kitchen (version 1, in force from now)."""
    kitchen = kitchen_in_scope(ctx.principal, kitchen_id)
    limits = _validated_limits(request.kind, request.limits, "limits" in request.model_fields_set)
    schedule = _validated_schedule(request.kind, request.schedule)
    await _check_equipment(ctx.conn, request.equipment_id, kitchen.id)
    version = CheckVersion(
        check_id=uuid4(),
        kitchen_id=kitchen.id,
        centre_id=kitchen.centre,
        kind=request.kind,
        version=1,
        effective_from=utc_now(),
        label=request.label,
        equipment_id=request.equipment_id,
        schedule=schedule,
        grace_minutes=request.grace_minutes,
        limits=limits,
        level=request.level,
        active=True,
    )
    await ctx.conn.execute(
        "INSERT INTO haccp_checks (check_id, kitchen_id, centre_id, kind, current_version) "
        "VALUES ($1, $2, $3, $4, 1)",
        version.check_id,
        kitchen.id,
        kitchen.centre,
        request.kind,
    )
    await _insert_version(ctx, version)
    await ctx.audit("haccp_check.define", "haccp_check", version.check_id, _summary(version))
    return version.view()


async def revise_check(ctx: WriteContext, check_id: UUID, request: ReviseCheck) -> CheckView:
    """Add the next version of a check, in force from now (also to switch it off or on)."""
    current = await current_version(ctx.conn, check_id, lock=True)
    ensure_centre(ctx.principal, current.centre_id)
    limits = _validated_limits(current.kind, request.limits, "limits" in request.model_fields_set)
    schedule = _validated_schedule(current.kind, request.schedule)
    await _check_equipment(ctx.conn, request.equipment_id, current.kitchen_id)
    effective_from = utc_now()
    if effective_from <= current.effective_from:
        raise conflict("the check was revised at this very moment; try again")
    version = CheckVersion(
        check_id=check_id,
        kitchen_id=current.kitchen_id,
        centre_id=current.centre_id,
        kind=current.kind,
        version=current.version + 1,
        effective_from=effective_from,
        label=request.label,
        equipment_id=request.equipment_id,
        schedule=schedule,
        grace_minutes=request.grace_minutes,
        limits=limits,
        level=request.level,
        active=request.active,
    )
    await _insert_version(ctx, version)
    await ctx.conn.execute(
        "UPDATE haccp_checks SET current_version = $2 WHERE check_id = $1",
        check_id,
        version.version,
    )
    await ctx.audit("haccp_check.revise", "haccp_check", check_id, _summary(version))
    return version.view()


def _summary(version: CheckVersion) -> dict[str, Any]:
    return {
        "version": version.version,
        "kind": version.kind,
        "level": version.level,
        "active": version.active,
        "limits": dump_limits(version.limits),
    }


async def check_history(conn: Connection, principal: Principal, check_id: UUID) -> CheckHistory:
    """A check's current version and all its versions, newest first."""
    current = await current_version(conn, check_id)
    ensure_centre(principal, current.centre_id)
    rows = await conn.fetch(_SELECT + " WHERE c.check_id = $1 ORDER BY v.version DESC", check_id)
    return CheckHistory(
        current=current.view(), versions=[CheckVersion.from_row(row).view() for row in rows]
    )


async def list_checks(conn: Connection, principal: Principal, kitchen_id: str) -> list[CheckView]:
    """The current version of every check of a kitchen."""
    kitchen = kitchen_in_scope(principal, kitchen_id)
    return [version.view() for version in await kitchen_checks(conn, kitchen.id)]
