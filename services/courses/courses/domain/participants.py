"""Participants: their contact data stays here; events get a pseudonym and coarse attributes.

A minor's data is kept only with a parent's or guardian's consent on record. A participant is
visible to staff of the centre where they registered and of every centre whose offer they use.
An erased participant (`courses.domain.erasure`) keeps only their id and coarse attributes: no
write may name them any more.
"""

import datetime as dt
from dataclasses import dataclass
from typing import Any
from uuid import UUID, uuid4

import asyncpg

from buurtwerk_shared.db.pool import Connection
from buurtwerk_shared.pseudonyms import Pseudonymizer
from buurtwerk_shared.web.auth import ALL_CENTRES, Principal, ensure_centre
from buurtwerk_shared.web.pagination import Page, PageParams
from buurtwerk_shared.web.problems import conflict, not_found, unprocessable
from buurtwerk_shared.web.writes import WriteContext, audit
from courses.api.schemas.participants import (
    ConsentView,
    GuardianConsent,
    ParticipantSummary,
    ParticipantView,
    RegisterParticipant,
    UpdateParticipant,
)
from courses.domain import clock
from courses.domain.ages import age_band, is_minor
from courses.domain.listing import Filters, fetch_page

PSEUDONYM_KIND = "participant"

# Where the participant registered, or any centre whose offer they take part in.
_VISIBLE = """(
    p.centre_id = ANY({0})
    OR EXISTS (SELECT 1 FROM enrolments e JOIN activities a USING (activity_id)
               WHERE e.participant_id = p.participant_id AND a.centre_id = ANY({0}))
    OR EXISTS (SELECT 1 FROM attendance t JOIN sessions s USING (session_id)
               WHERE t.participant_id = p.participant_id AND s.centre_id = ANY({0}))
    OR EXISTS (SELECT 1 FROM youth_referrals r
               WHERE r.participant_id = p.participant_id AND r.centre_id = ANY({0}))
)"""
_LATEST_CONSENT = """
SELECT consent_id, guardian_name, relationship, guardian_phone, given_on, recorded_at,
       withdrawn_on
FROM guardian_consents WHERE participant_id = $1 AND withdrawn_on IS NULL
ORDER BY recorded_at DESC, consent_id LIMIT 1
"""
_INSERT_CONSENT = """
INSERT INTO guardian_consents
    (consent_id, participant_id, guardian_name, relationship, guardian_phone, given_on,
     recorded_by)
VALUES ($1, $2, $3, $4, $5, $6, $7)
"""


@dataclass(frozen=True)
class PublicAttributes:
    """What events may say about a participant: a pseudonym and coarse attributes."""

    participant_key: str
    age_band: str
    target_group: str | None
    neighbourhood: str | None


async def public_attributes(
    conn: Connection, pseudonyms: Pseudonymizer, participant: asyncpg.Record, day: dt.date
) -> PublicAttributes:
    """The participant's pseudonym and coarse attributes on `day` (the event's business date)."""
    key = await pseudonyms.key_for(conn, PSEUDONYM_KIND, str(participant["participant_id"]))
    return PublicAttributes(
        participant_key=key,
        age_band=age_band(participant["birth_date"], participant["age_band"], day),
        target_group=participant["target_group"],
        neighbourhood=participant["neighbourhood"],
    )


async def participant_row(conn: Connection, participant_id: UUID) -> asyncpg.Record:
    """The row of a participant an existing record points at (no lock taken)."""
    row = await conn.fetchrow(
        "SELECT * FROM participants WHERE participant_id = $1", participant_id
    )
    assert row is not None  # enrolments, attendance and referrals reference it
    return row


def ensure_not_erased(participant: asyncpg.Record, field: str = "path.participant_id") -> None:
    """409 for an erased participant: only their id and figures remain."""
    if participant["erased_at"] is not None:
        raise conflict(
            f"participant {participant['participant_id']} was erased", field=field, code="erased"
        )


def _summary_fields(row: asyncpg.Record, today: dt.date) -> dict[str, Any]:
    return {
        "participant_id": row["participant_id"],
        "centre_id": row["centre_id"],
        "given_name": row["given_name"],
        "family_name": row["family_name"],
        "age_band": age_band(row["birth_date"], row["age_band"], today),
        "target_group": row["target_group"],
        "neighbourhood": row["neighbourhood"],
        "minor": is_minor(row["birth_date"], row["age_band"], today),
    }


async def _view(conn: Connection, row: asyncpg.Record) -> ParticipantView:
    consent = await conn.fetchrow(_LATEST_CONSENT, row["participant_id"])
    return ParticipantView(
        **_summary_fields(row, clock.today()),
        phone=row["phone"],
        email=row["email"],
        birth_date=row["birth_date"],
        guardian_consent=None if consent is None else ConsentView.model_validate(dict(consent)),
        created_at=row["created_at"],
        erased_at=row["erased_at"],
    )


def _check_neighbourhood(neighbourhood: str | None, known: list[str], field: str) -> None:
    if neighbourhood is not None and neighbourhood not in known:
        raise unprocessable(
            f"unknown neighbourhood '{neighbourhood}'; known: {', '.join(known)}", field=field
        )


def _check_age_given(birth_date: dt.date | None, stated_band: str | None) -> None:
    if birth_date is None and stated_band is None:
        raise unprocessable(
            "give the birth date or an age band: a minor needs a guardian's consent",
            field="body.birth_date",
        )
    if birth_date is not None and stated_band is not None:
        raise unprocessable("give the birth date or an age band, not both", field="body.age_band")


async def _insert_consent(
    ctx: WriteContext, participant_id: UUID, consent: GuardianConsent
) -> UUID:
    consent_id = uuid4()
    await ctx.conn.execute(
        _INSERT_CONSENT,
        consent_id,
        participant_id,
        consent.guardian_name,
        consent.relationship,
        consent.guardian_phone,
        consent.given_on,
        ctx.principal.sub,
    )
    return consent_id


async def _visible_namesake(
    conn: Connection, principal: Principal, request: RegisterParticipant
) -> UUID | None:
    """A participant the caller can see with the same name and birth date: someone registered
    twice. Participants known only in other centres are not looked at: the answer would tell the
    coordinator that the person (often a minor) takes part elsewhere, and their id. The new
    registration is a record of its own in the coordinator's centre (README, "People in two
    centres")."""
    filters = Filters()
    filters.add("lower(p.given_name) = lower({})", request.given_name)
    filters.add(
        "lower(coalesce(p.family_name, '')) = lower(coalesce({}, ''))", request.family_name or ""
    )
    filters.add("p.birth_date = {}", request.birth_date)
    if ALL_CENTRES not in principal.centres:
        filters.add(_VISIBLE, list(principal.centres))
    found: UUID | None = await conn.fetchval(
        f"SELECT p.participant_id FROM participants p {filters.where()} "
        "ORDER BY p.created_at, p.participant_id LIMIT 1",
        *filters.args,
    )
    return found


async def register_participant(
    ctx: WriteContext, request: RegisterParticipant, neighbourhoods: list[str]
) -> ParticipantView:
    """Register a participant; a minor only with a guardian's consent, an adult without one."""
    ensure_centre(ctx.principal, request.centre_id)
    _check_age_given(request.birth_date, request.age_band)
    _check_neighbourhood(request.neighbourhood, neighbourhoods, "body.neighbourhood")
    minor = is_minor(request.birth_date, request.age_band, clock.today())
    if minor and request.guardian_consent is None:
        raise unprocessable(
            "a minor's data is kept only with a parent's or guardian's consent",
            field="body.guardian_consent",
        )
    if not minor and request.guardian_consent is not None:
        raise unprocessable(
            "a guardian's consent is only recorded for a minor", field="body.guardian_consent"
        )
    if request.birth_date is not None:
        existing = await _visible_namesake(ctx.conn, ctx.principal, request)
        if existing is not None:
            raise conflict(
                f"this person is already registered as participant {existing}",
                field="body.given_name",
                code="participant-exists",
            )
    participant_id = uuid4()
    row = await ctx.conn.fetchrow(
        """
        INSERT INTO participants (participant_id, centre_id, given_name, family_name, phone,
                                  email, birth_date, age_band, target_group, neighbourhood)
        VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)
        RETURNING *
        """,
        participant_id,
        request.centre_id,
        request.given_name,
        request.family_name,
        request.phone,
        request.email,
        request.birth_date,
        request.age_band,
        request.target_group,
        request.neighbourhood,
    )
    assert row is not None
    if request.guardian_consent is not None:
        await _insert_consent(ctx, participant_id, request.guardian_consent)
    await ctx.audit(
        "participant.register",
        "participant",
        participant_id,
        {"centre_id": request.centre_id, "minor": minor},
    )
    return await _view(ctx.conn, row)


async def load_visible(
    conn: Connection,
    principal: Principal,
    participant_id: UUID,
    *,
    lock: bool = False,
    field: str = "path.participant_id",
) -> asyncpg.Record:
    """A participant the caller may see (404 naming `field` otherwise, as for an unknown one),
    locked for update if asked."""
    return await _select_visible(
        conn, principal, participant_id, field, "FOR UPDATE" if lock else ""
    )


async def find_participant(
    conn: Connection, principal: Principal, participant_id: UUID, field: str
) -> asyncpg.Record:
    """A participant named in a write whom the caller may see (registered at one of their
    centres, or taking part in its offer): 404 naming `field` otherwise, 409 if erased.

    The row is share-locked for the rest of the transaction: a write naming the participant and
    their erasure take turns, so nothing new is recorded for someone being erased. Take it before
    any activity lock, as erasure does."""
    row = await _select_visible(conn, principal, participant_id, field, "FOR SHARE")
    ensure_not_erased(row, field)
    return row


async def _select_visible(
    conn: Connection, principal: Principal, participant_id: UUID, field: str, locking: str
) -> asyncpg.Record:
    filters = Filters()
    filters.add("p.participant_id = {}", participant_id)
    if ALL_CENTRES not in principal.centres:
        filters.add(_VISIBLE, list(principal.centres))
    row = await conn.fetchrow(
        f"SELECT p.* FROM participants p {filters.where()} {locking}", *filters.args
    )
    if row is None:
        raise not_found(f"participant {participant_id}", field=field)
    return row


async def update_participant(
    ctx: WriteContext,
    participant_id: UUID,
    request: UpdateParticipant,
    neighbourhoods: list[str],
) -> ParticipantView:
    """Change a participant's data; one who becomes a minor needs a guardian's consent, on
    record or given with the change."""
    row = await load_visible(ctx.conn, ctx.principal, participant_id, lock=True)
    ensure_not_erased(row)
    consent = request.guardian_consent
    changes: dict[str, Any] = {
        name: getattr(request, name)
        for name in request.model_fields_set
        if name != "guardian_consent"
    }
    if "given_name" in changes and changes["given_name"] is None:
        raise unprocessable("given_name cannot be cleared", field="body.given_name")
    if changes.get("birth_date") is not None and changes.get("age_band") is not None:
        raise unprocessable("give the birth date or an age band, not both", field="body.age_band")
    # A new birth date replaces a stated age band and the other way round.
    if changes.get("birth_date") is not None:
        changes["age_band"] = None
    if changes.get("age_band") is not None:
        changes["birth_date"] = None
    merged = {**dict(row), **changes}
    _check_age_given(merged["birth_date"], merged["age_band"])
    _check_neighbourhood(changes.get("neighbourhood"), neighbourhoods, "body.neighbourhood")
    minor = is_minor(merged["birth_date"], merged["age_band"], clock.today())
    if not minor and consent is not None:
        raise unprocessable(
            "a guardian's consent is only recorded for a minor", field="body.guardian_consent"
        )
    consented = await ctx.conn.fetchval(
        "SELECT true FROM guardian_consents WHERE participant_id = $1 AND withdrawn_on IS NULL "
        "LIMIT 1",
        participant_id,
    )
    if minor and consent is None and not consented:
        raise unprocessable(
            "this makes the participant a minor: their data is kept only with a parent's or "
            "guardian's consent",
            field="body.guardian_consent",
        )
    updated = await ctx.conn.fetchrow(
        """
        UPDATE participants SET given_name = $2, family_name = $3, phone = $4, email = $5,
            birth_date = $6, age_band = $7, target_group = $8, neighbourhood = $9,
            updated_at = now()
        WHERE participant_id = $1
        RETURNING *
        """,
        participant_id,
        merged["given_name"],
        merged["family_name"],
        merged["phone"],
        merged["email"],
        merged["birth_date"],
        merged["age_band"],
        merged["target_group"],
        merged["neighbourhood"],
    )
    assert updated is not None
    if consent is not None:
        await _insert_consent(ctx, participant_id, consent)
    # Which fields changed, never their values.
    await ctx.audit(
        "participant.update",
        "participant",
        participant_id,
        {"fields": sorted(changes), "guardian_consent": consent is not None},
    )
    return await _view(ctx.conn, updated)


async def record_consent(
    ctx: WriteContext, participant_id: UUID, consent: GuardianConsent
) -> ParticipantView:
    """Record a parent's or guardian's consent for a minor."""
    row = await load_visible(ctx.conn, ctx.principal, participant_id, lock=True)
    ensure_not_erased(row)
    if not is_minor(row["birth_date"], row["age_band"], clock.today()):
        raise unprocessable(
            "a guardian's consent is only recorded for a minor", field="path.participant_id"
        )
    consent_id = await _insert_consent(ctx, participant_id, consent)
    await ctx.audit(
        "participant.guardian_consent",
        "participant",
        participant_id,
        {"consent_id": consent_id, "relationship": consent.relationship},
    )
    return await _view(ctx.conn, row)


async def read_participant(
    conn: Connection, principal: Principal, participant_id: UUID
) -> ParticipantView:
    """One participant with their contact data; the read is audited."""
    row = await load_visible(conn, principal, participant_id)
    await audit(conn, principal, "participant.read", "participant", participant_id)
    return await _view(conn, row)


async def list_participants(
    conn: Connection,
    principal: Principal,
    page: PageParams,
    *,
    centre_id: str | None = None,
    target_group: str | None = None,
    neighbourhood: str | None = None,
    name: str | None = None,
) -> Page[ParticipantSummary]:
    """Participants the caller may see (of one centre: registered there or taking part in its
    offer), by name; the read is audited, without the name searched for."""
    filters = Filters()
    filters.conditions.append("p.erased_at IS NULL")  # erased people are nobody to list
    if centre_id is not None:
        ensure_centre(principal, centre_id)
        filters.add(_VISIBLE, [centre_id])
    if ALL_CENTRES not in principal.centres:
        filters.add(_VISIBLE, list(principal.centres))
    filters.add("p.target_group = {}", target_group)
    filters.add("p.neighbourhood = {}", neighbourhood)
    filters.add(
        "position(lower({0}) IN lower(p.given_name || ' ' || coalesce(p.family_name, ''))) > 0",
        name,
    )
    today = clock.today()
    result = await fetch_page(
        conn,
        select="p.*",
        from_="participants p",
        filters=filters,
        order_by="lower(coalesce(p.family_name, '')), lower(p.given_name), p.participant_id",
        page=page,
        build=lambda row: ParticipantSummary(**_summary_fields(row, today)),
    )
    await audit(
        conn,
        principal,
        "participant.list",
        "participant",
        None,
        {
            "centre_id": centre_id,
            "target_group": target_group,
            "neighbourhood": neighbourhood,
            "by_name": name is not None,
            "returned": len(result.items),
        },
    )
    return result
