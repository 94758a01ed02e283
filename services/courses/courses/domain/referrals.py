"""Youth referrals: a young person led to an association's leisure activity, and the outcome."""

import datetime as dt
from uuid import UUID, uuid4

import asyncpg

from buurtwerk_shared.contracts.events.courses import (
    YouthReferralOutcomeRecordedV1,
    YouthReferralRecordedV1,
)
from buurtwerk_shared.db.pool import Connection
from buurtwerk_shared.pseudonyms import Pseudonymizer
from buurtwerk_shared.web.auth import Principal, ensure_centre
from buurtwerk_shared.web.pagination import Page, PageParams
from buurtwerk_shared.web.problems import not_found, unprocessable
from buurtwerk_shared.web.writes import WriteContext
from courses.api.schemas.referrals import RecordOutcome, ReferralView, ReferYouth
from courses.domain.ages import YOUTH_BANDS
from courses.domain.listing import Filters, fetch_page
from courses.domain.participants import find_participant, public_attributes


def _view(row: asyncpg.Record) -> ReferralView:
    return ReferralView.model_validate(dict(row))


async def refer_youth(
    ctx: WriteContext, request: ReferYouth, pseudonyms: Pseudonymizer
) -> ReferralView:
    """Record that a young person (6 to 25) was referred to an association."""
    ensure_centre(ctx.principal, request.centre_id)
    participant = await find_participant(
        ctx.conn, ctx.principal, request.participant_id, "body.participant_id"
    )
    public = await public_attributes(ctx.conn, pseudonyms, participant, request.date)
    if public.age_band not in YOUTH_BANDS:
        raise unprocessable(
            f"youth referrals are for young people aged 6 to 25; this participant is "
            f"{public.age_band}",
            field="body.participant_id",
        )
    referral_id = uuid4()
    row = await ctx.conn.fetchrow(
        """
        INSERT INTO youth_referrals (referral_id, participant_id, centre_id, date, association,
                                     age_band, recorded_by)
        VALUES ($1, $2, $3, $4, $5, $6, $7)
        RETURNING *
        """,
        referral_id,
        request.participant_id,
        request.centre_id,
        request.date,
        request.association,
        public.age_band,
        ctx.principal.sub,
    )
    assert row is not None
    await ctx.emit(
        YouthReferralRecordedV1(
            referral_id=referral_id,
            centre_id=request.centre_id,
            date=request.date,
            association=request.association,
            participant_key=public.participant_key,
            age_band=public.age_band,
        )
    )
    await ctx.audit(
        "referral.create", "youth_referral", referral_id, {"centre_id": request.centre_id}
    )
    return _view(row)


async def _load(
    conn: Connection, principal: Principal, referral_id: UUID, *, lock: bool = False
) -> asyncpg.Record:
    row = await conn.fetchrow(
        "SELECT * FROM youth_referrals WHERE referral_id = $1" + (" FOR UPDATE" if lock else ""),
        referral_id,
    )
    if row is None:
        raise not_found(f"youth referral {referral_id}", field="path.referral_id")
    ensure_centre(principal, row["centre_id"])
    return row


async def record_outcome(
    ctx: WriteContext, referral_id: UUID, request: RecordOutcome
) -> ReferralView:
    """Record whether the young person joined; a later outcome replaces an earlier one."""
    referral = await _load(ctx.conn, ctx.principal, referral_id, lock=True)
    if request.date < referral["date"]:
        raise unprocessable(
            f"the outcome cannot be known before the referral ({referral['date']})",
            field="body.date",
        )
    if (referral["outcome"], referral["outcome_date"]) == (request.outcome, request.date):
        return _view(referral)
    row = await ctx.conn.fetchrow(
        "UPDATE youth_referrals SET outcome = $2, outcome_date = $3 WHERE referral_id = $1 "
        "RETURNING *",
        referral_id,
        request.outcome,
        request.date,
    )
    assert row is not None
    await ctx.emit(
        YouthReferralOutcomeRecordedV1(
            referral_id=referral_id,
            centre_id=referral["centre_id"],
            date=request.date,
            outcome=request.outcome,
        )
    )
    await ctx.audit(
        "referral.outcome",
        "youth_referral",
        referral_id,
        {"outcome": request.outcome, "previous": referral["outcome"]},
    )
    return _view(row)


async def get_referral(conn: Connection, principal: Principal, referral_id: UUID) -> ReferralView:
    """One referral in the caller's centres."""
    return _view(await _load(conn, principal, referral_id))


async def list_referrals(
    conn: Connection,
    principal: Principal,
    page: PageParams,
    *,
    centre_id: str | None = None,
    participant_id: UUID | None = None,
    outcome: str | None = None,
    pending: bool | None = None,
    date_from: dt.date | None = None,
    date_to: dt.date | None = None,
) -> Page[ReferralView]:
    """Referrals in the caller's centres, newest first."""
    filters = Filters()
    filters.centre_scope(principal, "centre_id", centre_id)
    filters.add("participant_id = {}", participant_id)
    filters.add("outcome = {}", outcome)
    filters.add("(outcome IS NULL) = {}", pending)
    filters.add("date >= {}", date_from)
    filters.add("date <= {}", date_to)
    return await fetch_page(
        conn,
        select="*",
        from_="youth_referrals",
        filters=filters,
        order_by="date DESC, created_at DESC, referral_id",
        page=page,
        build=_view,
    )
