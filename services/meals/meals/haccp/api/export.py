"""HTTP routes for the inspector export."""

from typing import Annotated

from fastapi import APIRouter, Query
from fastapi.responses import HTMLResponse, Response

from buurtwerk_shared.web.csv_files import csv_response
from buurtwerk_shared.web.fields import CalendarDate
from buurtwerk_shared.web.paths import SlugPath
from meals.haccp.api.common import Coordinator, Db
from meals.haccp.inspector.log import inspector_log
from meals.haccp.inspector.render import to_csv, to_html

router = APIRouter(prefix="/haccp", tags=["HACCP inspector export"])

First = Annotated[CalendarDate, Query(alias="from", description="First local date.")]
Last = Annotated[CalendarDate, Query(alias="to", description="Last local date (included).")]


@router.get(
    "/kitchens/{kitchen_id}/export.csv",
    response_class=Response,
    responses={200: {"content": {"text/csv": {}}}},
    summary="The kitchen's log as CSV",
)
async def as_csv(
    kitchen_id: SlugPath, principal: Coordinator, db: Db, first: First, last: Last
) -> Response:
    """The log of a kitchen over a date range, one row per entry, with limits, deviations and
    corrective actions; staff ids only."""
    log = await inspector_log(db, principal, kitchen_id, first, last)
    name = f"haccp-{kitchen_id}-{first.isoformat()}-{last.isoformat()}.csv"
    return csv_response(to_csv(log), name)


@router.get(
    "/kitchens/{kitchen_id}/export.html",
    response_class=HTMLResponse,
    summary="The kitchen's log as a printable page (Dutch)",
)
async def as_html(
    kitchen_id: SlugPath, principal: Coordinator, db: Db, first: First, last: Last
) -> HTMLResponse:
    """The log of a kitchen over a date range as a printable page in Dutch (English beside the
    headings): checks and limits, records, deviations and corrective actions, processes,
    deliveries and their use, refurbishment; staff ids only."""
    return HTMLResponse(to_html(await inspector_log(db, principal, kitchen_id, first, last)))
