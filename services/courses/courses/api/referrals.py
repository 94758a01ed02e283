"""HTTP routes for youth referrals to associations."""

from typing import Annotated
from uuid import UUID

from fastapi import APIRouter, Query
from fastapi.responses import JSONResponse

from buurtwerk_shared.contracts.types import CentreId
from buurtwerk_shared.web.fields import CalendarDate
from buurtwerk_shared.web.pagination import Page, PageQuery
from buurtwerk_shared.web.writes import WritesDep
from courses.api.dependencies import Db, Manager, Pseudonyms
from courses.api.schemas.referrals import Outcome, RecordOutcome, ReferralView, ReferYouth
from courses.domain import referrals

router = APIRouter(prefix="/youth-referrals", tags=["youth referrals"])


@router.post("", status_code=201, response_model=ReferralView, summary="Refer a young person")
async def refer_youth(
    body: ReferYouth, principal: Manager, writes: WritesDep, pseudonyms: Pseudonyms
) -> JSONResponse:
    """Record a referral of a young person (6 to 25) to an association; emits
    `courses.youth_referral_recorded.v1`."""
    return await writes.run(principal, lambda ctx: referrals.refer_youth(ctx, body, pseudonyms))


@router.get("", response_model=Page[ReferralView], summary="List youth referrals")
async def list_referrals(
    principal: Manager,
    db: Db,
    page: PageQuery,
    centre_id: Annotated[CentreId | None, Query()] = None,
    participant_id: Annotated[UUID | None, Query()] = None,
    outcome: Annotated[Outcome | None, Query()] = None,
    pending: Annotated[bool | None, Query(description="Only those without an outcome.")] = None,
    date_from: Annotated[CalendarDate | None, Query(alias="from")] = None,
    date_to: Annotated[CalendarDate | None, Query(alias="to")] = None,
) -> Page[ReferralView]:
    """Referrals of the caller's centres, newest first; `?pending=true` still awaits news."""
    return await referrals.list_referrals(
        db,
        principal,
        page,
        centre_id=centre_id,
        participant_id=participant_id,
        outcome=outcome,
        pending=pending,
        date_from=date_from,
        date_to=date_to,
    )


@router.get("/{referral_id}", response_model=ReferralView, summary="One youth referral")
async def get_referral(referral_id: UUID, principal: Manager, db: Db) -> ReferralView:
    """One referral and its latest outcome."""
    return await referrals.get_referral(db, principal, referral_id)


@router.post("/{referral_id}/outcome", response_model=ReferralView, summary="Record the outcome")
async def record_outcome(
    referral_id: UUID, body: RecordOutcome, principal: Manager, writes: WritesDep
) -> JSONResponse:
    """Record whether the young person joined; a later outcome replaces the earlier one. Emits
    `courses.youth_referral_outcome_recorded.v1` when it changes."""
    return await writes.run(
        principal, lambda ctx: referrals.record_outcome(ctx, referral_id, body), status_code=200
    )
