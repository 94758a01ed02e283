"""CSV export of a whole report for the council: tree × centres × periods."""

import datetime as dt
import json
from typing import Annotated

import asyncpg
from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import Response

from buurtwerk_shared.contracts.events.reporting import IndicatorValue
from buurtwerk_shared.reference import reference_data
from buurtwerk_shared.web.csv_files import Cell, csv_response, csv_text
from buurtwerk_shared.web.fields import CalendarDate
from buurtwerk_shared.web.problems import unprocessable
from reporting.api.access import Reader, visible_centres
from reporting.indicators.periods import Granularity, periods_between, today
from reporting.indicators.table import CITY
from reporting.runtime import Runtime, runtime

router = APIRouter(tags=["report"])

# Each cell is computed on the request: about ten years by month of the whole plan, for every
# centre; more is refused (a week-by-week report since 2000 outlasted any client's patience).
MAX_CELLS = 20_000
COLUMNS = (
    "action_point",
    "indicator_id",
    "indicator_nl",
    "indicator_en",
    "unit",
    "centre_id",
    "centre_nl",
    "period",
    "value",
    "suppressed",
    "breakdown",
)
CITY_LABEL = "Stad Leuven (alle centra)"


def _text(value: IndicatorValue) -> str:
    """A value as the CSV shows it: empty when withheld or missing, 10 rather than 10.0."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


@router.get(
    "/report.csv",
    summary="The whole report as CSV",
    response_class=Response,
    responses={200: {"content": {"text/csv": {}}}},
)
async def report_csv(
    request: Request,
    principal: Reader,
    rt: Annotated[Runtime, Depends(runtime)],
    granularity: Granularity = "quarter",
    first: Annotated[
        CalendarDate | None, Query(alias="from", description="Default: 1 January")
    ] = None,
    last: Annotated[
        CalendarDate | None, Query(alias="to", description="Default: 31 December")
    ] = None,
) -> Response:
    """Every computed indicator of the plan, for the city and each centre the caller sees, for
    every period between two dates (default: this year by quarter). Suppressed cells are empty
    with `suppressed` true; the breakdown is JSON."""
    year = today().year
    first = first or dt.date(year, 1, 1)
    last = last or dt.date(year, 12, 31)
    if first > last:
        raise unprocessable("'from' must not be after 'to'", field="query.from")
    periods = periods_between(first, last, granularity)
    centres = visible_centres(principal, rt.indicators.centres)
    if len(periods) * (len(centres) + 1) * len(rt.plan.indicators) > MAX_CELLS:
        raise unprocessable("too many periods: choose a coarser granularity", field="query.from")
    labels = {c.id: c.nl for c in reference_data().centres}
    rows: list[tuple[Cell, ...]] = []
    pool: asyncpg.Pool = request.app.state.pool
    async with pool.acquire() as conn:
        for indicator in rt.plan.indicators:
            if not rt.indicators.computed(indicator):
                continue
            for period in periods:
                table = await rt.indicators.table(conn, indicator, period)
                for key in (CITY, *centres):
                    cell = table.get(key)
                    if cell is None:
                        continue
                    rows.append(
                        (
                            indicator.node,
                            indicator.id,
                            indicator.nl,
                            indicator.en,
                            indicator.unit,
                            key,
                            labels.get(key, CITY_LABEL),
                            period.label,
                            _text(cell.value),
                            cell.suppressed,
                            json.dumps(cell.breakdown, ensure_ascii=False, sort_keys=True),
                        )
                    )
    filename = f"buurtwerk-{rt.plan.plan.id}-{first}-{last}-{granularity}.csv"
    return csv_response(csv_text(COLUMNS, rows), filename)
