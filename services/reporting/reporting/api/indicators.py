"""HTTP routes for indicator values."""

from typing import Annotated

import asyncpg
from fastapi import APIRouter, Query, Request

from buurtwerk_shared.contracts.types import CentreId
from buurtwerk_shared.web.auth import ALL_CENTRES, Principal, ensure_centre, forbidden, require_role
from buurtwerk_shared.web.problems import not_found, unprocessable
from reporting.indicators.meals_served import INDICATOR_ID as MEALS_SERVED
from reporting.indicators.meals_served import meals_served
from reporting.indicators.periods import parse_period
from reporting.indicators.result import IndicatorResult

router = APIRouter(prefix="/indicators", tags=["indicators"])

Reader = Annotated[Principal, require_role("analyst", "centre_coordinator")]


@router.get("/{indicator_id}", response_model=IndicatorResult, summary="One indicator value")
async def indicator(
    request: Request,
    indicator_id: str,
    principal: Reader,
    period: Annotated[str, Query(max_length=8, examples=["2026-03"])],
    centre_id: Annotated[CentreId | None, Query()] = None,
) -> IndicatorResult:
    """The value of an indicator for a centre (or the whole city when `centre_id` is left out)."""
    if indicator_id != MEALS_SERVED:
        raise not_found(f"indicator '{indicator_id}'", field="path.indicator_id")
    if centre_id is None:
        if ALL_CENTRES not in principal.centres:
            raise forbidden("city-wide figures need a token for all centres")
    else:
        ensure_centre(principal, centre_id)
    try:
        parsed = parse_period(period)
    except ValueError as exc:
        raise unprocessable(str(exc), field="query.period") from exc
    pool: asyncpg.Pool = request.app.state.pool
    async with pool.acquire() as conn:
        return await meals_served(conn, centre_id, parsed)
