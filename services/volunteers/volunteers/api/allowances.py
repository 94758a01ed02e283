"""HTTP routes for expense allowances and the legal caps."""

from typing import Annotated
from uuid import UUID

from fastapi import APIRouter, Path, Query
from fastapi.responses import JSONResponse

from buurtwerk_shared.web.auth import CityWideAdmin
from buurtwerk_shared.web.writes import WritesDep
from volunteers.api.deps import Coordinator, Db, PlanReader
from volunteers.api.schemas.allowances import (
    AllowanceCapsView,
    AllowanceStatement,
    AllowanceView,
    NewAllowance,
    SetAllowanceCaps,
)
from volunteers.domain.allowances import list_caps, record_allowance, set_caps, statement

router = APIRouter(tags=["expense allowances"])

Year = Annotated[int, Path(ge=2000, le=2100)]


@router.post(
    "/volunteers/{volunteer_id}/allowances",
    status_code=201,
    response_model=AllowanceView,
    summary="Record an expense allowance",
)
async def record(
    volunteer_id: UUID, body: NewAllowance, principal: Coordinator, writes: WritesDep
) -> JSONResponse:
    """A flat-rate allowance for one day; refused (409) above the legal cap per day or per
    calendar year, and (422) for a year whose caps are not known."""
    return await writes.run(principal, lambda ctx: record_allowance(ctx, volunteer_id, body))


@router.get(
    "/volunteers/{volunteer_id}/allowances/statement",
    response_model=AllowanceStatement,
    summary="Yearly allowance statement",
)
async def yearly_statement(
    volunteer_id: UUID,
    principal: Coordinator,
    db: Db,
    year: Annotated[int, Query(ge=2000, le=2100, examples=[2024])],
) -> AllowanceStatement:
    """The volunteer's allowances of a calendar year, per day, against that year's caps."""
    return await statement(db, principal, volunteer_id, year)


@router.get("/allowance-caps", response_model=list[AllowanceCapsView], summary="Legal caps")
async def caps(_principal: PlanReader, db: Db) -> list[AllowanceCapsView]:
    """The legal caps per day and per year of every calendar year known."""
    return await list_caps(db)


@router.put("/allowance-caps/{year}", response_model=AllowanceCapsView, summary="Set legal caps")
async def set_year(
    year: Year, body: SetAllowanceCaps, principal: CityWideAdmin, writes: WritesDep
) -> JSONResponse:
    """Record the indexed caps of a calendar year (an administrator of every centre)."""
    return await writes.run(principal, lambda ctx: set_caps(ctx, year, body), status_code=200)
