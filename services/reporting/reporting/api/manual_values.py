"""Manual values for the indicators no event measures, entered by an analyst with a source."""

from typing import Annotated
from uuid import UUID

import asyncpg
from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import JSONResponse
from pydantic import AwareDatetime, BaseModel, Field

from buurtwerk_shared import clock
from buurtwerk_shared.contracts.events.reporting import ManualValueRecordedV1, Period
from buurtwerk_shared.contracts.types import CentreId, LongText
from buurtwerk_shared.web.pagination import Page, PageQuery
from buurtwerk_shared.web.problems import unprocessable
from buurtwerk_shared.web.writes import WriteContext, WritesDep
from reporting.api.access import Analyst, Reader, check_centre, check_writable
from reporting.indicators.table import CITY
from reporting.projections import manual
from reporting.projections.marks import Marks
from reporting.runtime import Runtime, runtime

router = APIRouter(prefix="/manual-values", tags=["manual values"])

RuntimeDep = Annotated[Runtime, Depends(runtime)]


class ManualValueIn(BaseModel):
    """A value for a manual indicator, for the city (no centre) or one centre, and a period."""

    indicator_id: Annotated[str, Field(min_length=1, max_length=64)]
    centre_id: CentreId | None = None
    period: Period
    value: float | Annotated[str, Field(min_length=1, max_length=500)]
    source_note: LongText


class ManualValue(BaseModel):
    """A recorded manual value."""

    id: UUID
    indicator_id: str
    centre_id: str | None
    period: str
    value: float | str
    source_note: str
    recorded_at: AwareDatetime
    staff_id: str


@router.post("", status_code=201, response_model=ManualValue, summary="Record a manual value")
async def record(
    body: ManualValueIn, principal: Analyst, writes: WritesDep, rt: RuntimeDep
) -> JSONResponse:
    """Record a value (number of FTE, or a status text); the history is kept and the value is
    published as `reporting.manual_value_recorded.v1`. A value for the city needs a city-wide
    token, one for a centre a token covering that centre."""
    check_writable(principal, body.centre_id)
    indicator = rt.plan.indicator(body.indicator_id)
    if indicator is None or indicator.source != "manual":
        manual_ids = ", ".join(i.id for i in rt.plan.indicators if i.source == "manual")
        raise unprocessable(f"not a manual indicator; use one of {manual_ids}", "body.indicator_id")
    if indicator.unit == "status" and not isinstance(body.value, str):
        raise unprocessable(f"{indicator.id} takes a text", field="body.value")
    if indicator.unit != "status" and (isinstance(body.value, str) or body.value < 0):
        raise unprocessable(f"{indicator.id} takes a number of at least 0", field="body.value")

    async def work(ctx: WriteContext) -> ManualValue:
        event = ManualValueRecordedV1(
            indicator_id=indicator.id,
            centre_id=body.centre_id,
            period=body.period,
            value=body.value,
            source_note=body.source_note,
            recorded_at=clock.now(),
            staff_id=ctx.principal.sub,
        )
        event_id = await ctx.emit(event)
        await manual.insert(ctx.conn, event_id, event)
        marks = Marks()
        manual.mark(marks, event)
        await marks.flush(ctx.conn, rt.settings.publish_debounce_seconds)
        await ctx.audit("record_manual_value", "manual_value", event_id, body.model_dump())
        return ManualValue(id=event_id, **event.model_dump())

    return await writes.run(principal, work)


@router.get("", response_model=Page[ManualValue], summary="The history of manual values")
async def history(
    request: Request,
    principal: Reader,
    page: PageQuery,
    indicator_id: Annotated[str | None, Query(max_length=80)] = None,
    centre_id: Annotated[CentreId | None, Query(description="Left out: the city's values")] = None,
) -> Page[ManualValue]:
    """Every value recorded, newest first, for the city or one centre."""
    check_centre(principal, centre_id)
    pool: asyncpg.Pool = request.app.state.pool
    async with pool.acquire() as conn:
        rows = await conn.fetch(
            """
            SELECT event_id, indicator_id, centre_id, period, value, source_note, recorded_at,
                   staff_id, count(*) OVER () AS total
            FROM manual_values
            WHERE ($1::text IS NULL OR indicator_id = $1) AND centre_id = $2
            ORDER BY recorded_at DESC, event_id
            LIMIT $3 OFFSET $4
            """,
            indicator_id,
            centre_id or CITY,
            page.limit,
            page.offset,
        )
    items = [
        ManualValue(
            id=row["event_id"],
            indicator_id=row["indicator_id"],
            centre_id=row["centre_id"] or None,
            period=row["period"],
            value=row["value"],
            source_note=row["source_note"],
            recorded_at=row["recorded_at"],
            staff_id=row["staff_id"],
        )
        for row in rows
    ]
    total = rows[0]["total"] if rows else 0
    return Page(items=items, total=total, limit=page.limit, offset=page.offset)
