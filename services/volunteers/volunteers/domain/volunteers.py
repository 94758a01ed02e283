"""Volunteers: their personal data and consent, languages, skills, centres, membership of Buren
voor Wijken, and the qualifications they hold.

Personal data stays in this service: audit rows name the fields that changed, never their values,
and events carry ids only.
"""

import datetime as dt
from uuid import UUID, uuid4

from buurtwerk_shared.db.pool import Connection
from buurtwerk_shared.web.auth import Principal
from buurtwerk_shared.web.pagination import Page, PageParams
from buurtwerk_shared.web.problems import conflict, not_found, unprocessable
from buurtwerk_shared.web.writes import WriteContext, audit
from volunteers.api.schemas.volunteers import (
    ConsentChange,
    NewQualification,
    NewVolunteer,
    StatusChangeView,
    VolunteerChanges,
    VolunteerSummary,
    VolunteerView,
)
from volunteers.domain.access import (
    ensure_all_centres,
    ensure_not_erased,
    ensure_sees_volunteer,
    scope,
    volunteer_for_update,
)
from volunteers.domain.clock import local_date, now
from volunteers.domain.groups import group_for_update, join
from volunteers.domain.pipeline import business_time, record_status
from volunteers.domain.views import summary, volunteer_view

# Columns a coordinator may change, by API field name.
_COLUMNS = {
    "given_name": "given_name",
    "family_name": "family_name",
    "email": "email",
    "phone": "phone",
    "address": "address",
    "languages": "languages",
    "skills": "skills",
    "centre_ids": "centre_ids",
    "buren_voor_wijken_member_since": "bvw_member_since",
}


async def create_volunteer(ctx: WriteContext, request: NewVolunteer) -> VolunteerView:
    """Register a person who applies to volunteer: status `applied`, announced by a
    `volunteer_status_changed` event without a previous status."""
    ensure_all_centres(ctx.principal, request.centre_ids)
    applied_at = business_time(request.applied_at, "body.applied_at")
    await _refuse_duplicate_email(ctx.conn, ctx.principal, request.email, None)
    for index, group_id in enumerate(request.group_ids):
        await group_for_update(ctx.conn, ctx.principal, group_id, f"body.group_ids.{index}")
    volunteer_id = uuid4()
    await ctx.conn.execute(
        """
        INSERT INTO volunteers
            (volunteer_id, status, status_changed_at, centre_ids, given_name, family_name,
             email, phone, address, languages, skills, bvw_member_since, created_by)
        VALUES ($1, 'applied', $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)
        """,
        volunteer_id,
        applied_at,
        request.centre_ids,
        request.given_name,
        request.family_name,
        request.email,
        request.phone,
        request.address,
        request.languages,
        request.skills,
        request.buren_voor_wijken_member_since,
        ctx.principal.sub,
    )
    for group_id in request.group_ids:
        await join(ctx.conn, group_id, volunteer_id)
    for index, consent in enumerate(request.consents):
        await _record_consent(ctx, volunteer_id, consent, f"body.consents.{index}.given_at")
    await record_status(ctx, volunteer_id, None, "applied", applied_at)
    await ctx.audit(
        "volunteer.create",
        "volunteer",
        volunteer_id,
        {"centre_ids": request.centre_ids, "group_ids": request.group_ids},
    )
    return await volunteer_view(ctx.conn, volunteer_id)


async def update_volunteer(
    ctx: WriteContext, volunteer_id: UUID, request: VolunteerChanges
) -> VolunteerView:
    """Change the fields sent; the audit row names them, without their values."""
    volunteer = await volunteer_for_update(ctx.conn, ctx.principal, volunteer_id)
    ensure_not_erased(volunteer)
    changes = {field: getattr(request, field) for field in request.model_fields_set}
    if "centre_ids" in changes:
        ensure_all_centres(ctx.principal, changes["centre_ids"])
    if "email" in changes:
        await _refuse_duplicate_email(ctx.conn, ctx.principal, changes["email"], volunteer_id)
    if changes:
        assignments = ", ".join(
            f"{_COLUMNS[field]} = ${n}" for n, field in enumerate(changes, start=2)
        )
        await ctx.conn.execute(
            f"UPDATE volunteers SET {assignments} WHERE volunteer_id = $1",
            volunteer_id,
            *changes.values(),
        )
    await ctx.audit("volunteer.update", "volunteer", volunteer_id, {"fields": sorted(changes)})
    return await volunteer_view(ctx.conn, volunteer_id)


async def _refuse_duplicate_email(
    conn: Connection, principal: Principal, email: str | None, volunteer_id: UUID | None
) -> None:
    """409 when a volunteer the caller can see already has this e-mail address (a person
    registered twice in their centres).

    A volunteer with the address in another centre only is not looked at: the answer would tell
    the coordinator that the person volunteers elsewhere, and their id. The new registration is
    a record of its own in the coordinator's centres (see the README, "People in two centres").
    """
    if email is None:
        return
    existing = await conn.fetchval(
        """
        SELECT volunteer_id FROM volunteers
        WHERE lower(email) = lower($1) AND volunteer_id IS DISTINCT FROM $2
          AND ($3::text[] IS NULL OR centre_ids && $3)
        ORDER BY created_at, volunteer_id LIMIT 1
        """,
        email,
        volunteer_id,
        scope(principal),
    )
    if existing is not None:
        raise conflict(
            f"volunteer {existing} already has this e-mail address",
            field="body.email",
            code="duplicate-volunteer",
        )


async def visible_volunteer(
    conn: Connection, principal: Principal, volunteer_id: UUID
) -> VolunteerView:
    """A volunteer the caller may see (404 otherwise, as for an unknown one)."""
    row = await conn.fetchrow(
        "SELECT volunteer_id, centre_ids FROM volunteers WHERE volunteer_id = $1", volunteer_id
    )
    if row is None:
        raise not_found(f"volunteer {volunteer_id}", field="path.volunteer_id")
    ensure_sees_volunteer(principal, row)
    return await volunteer_view(conn, volunteer_id)


async def read_volunteer(
    conn: Connection, principal: Principal, volunteer_id: UUID
) -> VolunteerView:
    """A volunteer the caller may see, with their contact data; the read is audited."""
    view = await visible_volunteer(conn, principal, volunteer_id)
    await audit(conn, principal, "volunteer.read", "volunteer", volunteer_id)
    return view


async def list_volunteers(
    conn: Connection,
    principal: Principal,
    page: PageParams,
    *,
    status: str | None = None,
    centre_id: str | None = None,
    group_id: UUID | None = None,
    language: str | None = None,
    skill: str | None = None,
    buren_voor_wijken_member: bool | None = None,
    name: str | None = None,
) -> Page[VolunteerSummary]:
    """The volunteers of the caller's centres that match every filter given, by name; the read
    is audited, without the name searched for."""
    where = """
        FROM volunteers v
        WHERE ($1::text[] IS NULL OR v.centre_ids && $1)
          AND ($2::text IS NULL OR v.status = $2)
          AND ($3::text IS NULL OR $3 = ANY(v.centre_ids))
          AND ($4::uuid IS NULL OR EXISTS (SELECT 1 FROM group_members m
                                          WHERE m.volunteer_id = v.volunteer_id
                                            AND m.group_id = $4))
          AND ($5::text IS NULL OR $5 = ANY(v.languages))
          AND ($6::text IS NULL OR $6 = ANY(v.skills))
          AND ($7::boolean IS NULL OR (v.bvw_member_since IS NOT NULL) = $7)
          AND ($8::text IS NULL OR (v.given_name || ' ' || v.family_name) ILIKE '%' || $8 || '%')
    """
    args = (
        scope(principal),
        status,
        centre_id,
        group_id,
        language,
        skill.strip().lower() if skill else None,
        buren_voor_wijken_member,
        name.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") if name else None,
    )
    total = await conn.fetchval(f"SELECT count(*) {where}", *args)
    rows = await conn.fetch(
        f"SELECT v.* {where} ORDER BY v.family_name, v.given_name, v.volunteer_id "
        "LIMIT $9 OFFSET $10",
        *args,
        page.limit,
        page.offset,
    )
    await audit(
        conn,
        principal,
        "volunteer.list",
        "volunteer",
        None,
        {
            "status": status,
            "centre_id": centre_id,
            "group_id": group_id,
            "by_name": name is not None,
            "returned": len(rows),
        },
    )
    return Page(items=[summary(r) for r in rows], total=total, limit=page.limit, offset=page.offset)


async def status_history(
    conn: Connection, principal: Principal, volunteer_id: UUID
) -> list[StatusChangeView]:
    """Every step a volunteer took along the pipeline, oldest first."""
    await visible_volunteer(conn, principal, volunteer_id)
    rows = await conn.fetch(
        """
        SELECT previous_status, status, changed_at, changed_by, group_id FROM status_changes
        WHERE volunteer_id = $1 ORDER BY changed_at, change_id
        """,
        volunteer_id,
    )
    return [StatusChangeView.model_validate(dict(r)) for r in rows]


async def _record_consent(
    ctx: WriteContext, volunteer_id: UUID, consent: ConsentChange, field: str
) -> dt.datetime:
    given_at = business_time(consent.given_at, field)
    await ctx.conn.execute(
        """
        INSERT INTO consents (volunteer_id, purpose, given, given_at, recorded_by)
        VALUES ($1, $2, $3, $4, $5)
        """,
        volunteer_id,
        consent.purpose,
        consent.given,
        given_at,
        ctx.principal.sub,
    )
    return given_at


async def record_consent(
    ctx: WriteContext, volunteer_id: UUID, consent: ConsentChange
) -> VolunteerView:
    """Record that the volunteer gave or withdrew consent for a purpose, and when."""
    volunteer = await volunteer_for_update(ctx.conn, ctx.principal, volunteer_id)
    ensure_not_erased(volunteer)
    given_at = await _record_consent(ctx, volunteer_id, consent, "body.given_at")
    await ctx.audit(
        "volunteer.consent",
        "volunteer",
        volunteer_id,
        {"purpose": consent.purpose, "given": consent.given, "given_at": given_at},
    )
    return await volunteer_view(ctx.conn, volunteer_id)


async def add_qualification(
    ctx: WriteContext, volunteer_id: UUID, request: NewQualification
) -> VolunteerView:
    """Record a qualification the volunteer obtained, with its expiry."""
    volunteer = await volunteer_for_update(ctx.conn, ctx.principal, volunteer_id)
    ensure_not_erased(volunteer)
    known = await ctx.conn.fetchval(
        "SELECT true FROM qualification_types WHERE qualification = $1", request.qualification
    )
    if not known:
        raise unprocessable(
            f"unknown qualification '{request.qualification}' (see GET /qualifications)",
            field="body.qualification",
        )
    if request.obtained_on > local_date(now()):
        raise unprocessable("lies in the future", field="body.obtained_on")
    record_id = uuid4()
    await ctx.conn.execute(
        """
        INSERT INTO volunteer_qualifications
            (record_id, volunteer_id, qualification, obtained_on, expires_on, recorded_by)
        VALUES ($1, $2, $3, $4, $5, $6)
        """,
        record_id,
        volunteer_id,
        request.qualification,
        request.obtained_on,
        request.expires_on,
        ctx.principal.sub,
    )
    await ctx.audit(
        "volunteer.qualification",
        "volunteer",
        volunteer_id,
        {"record_id": record_id, "qualification": request.qualification},
    )
    return await volunteer_view(ctx.conn, volunteer_id)
