"""HTTP routes for the cash report: per service (JSON for the till, CSV) and per day (CSV)."""

from typing import Annotated, Any
from uuid import UUID

from fastapi import APIRouter, Query
from fastapi.responses import Response

from buurtwerk_shared.contracts.types import CentreId
from buurtwerk_shared.web.auth import ALL_CENTRES, ensure_centre
from buurtwerk_shared.web.csv_files import csv_response
from buurtwerk_shared.web.fields import CalendarDate
from meals.api.common import Pool, Reader, problems
from meals.domain.cash_report import day_lines, render_csv, service_lines
from meals.domain.records import find_service, local
from meals.schemas.cash_report import CashReportLine, CashReportTotal, CashReportView

router = APIRouter(tags=["cash report"], responses=problems(401, 403, 422))

_EXAMPLE = (
    '"date","centre_id","service_id","start_time","service_status","tariff","unit_price_cents",'
    '"meals_on_site","meals_takeaway","meals","revenue_cents","revenue_eur"\r\n'
    '"2026-03-12","mannenstraat","0b7f6f5e-8f0a-4c55-9b4e-3c1f2a9d7e61","12:00","closed",'
    '"standard","650","20","2","22","14300","143.00"\r\n'
    '"2026-03-12","mannenstraat","0b7f6f5e-8f0a-4c55-9b4e-3c1f2a9d7e61","12:00","closed",'
    '"reduced","350","18","0","18","6300","63.00"\r\n'
    '"","","","","","total","","38","2","40","20600","206.00"\r\n'
)
_CSV: dict[int | str, dict[str, Any]] = {
    200: {"content": {"text/csv": {"example": _EXAMPLE}}, "description": "The report."}
}


@router.get(
    "/services/{service_id}/cash-report",
    response_model=CashReportView,
    summary="Cash report of a service",
    responses=problems(404),
)
async def service_report_json(service_id: UUID, principal: Reader, db: Pool) -> CashReportView:
    """Meals (on site, take-away) and revenue per tariff and price, after corrections, with
    their total: what the till shows and prints when the service closes."""
    async with db.acquire() as conn:
        service = await find_service(conn, principal, service_id)
        lines = await service_lines(conn, service_id)
    return CashReportView(
        service_id=service_id,
        centre_id=service["centre_id"],
        date=service["date"],
        starts_at=local(service["starts_at"]),
        status=service["status"],
        lines=[
            CashReportLine(
                tariff=line.tariff,
                unit_price=line.unit_price,
                on_site=line.on_site,
                takeaway=line.takeaway,
                meals=line.meals,
                revenue=line.revenue,
            )
            for line in lines
        ],
        total=CashReportTotal(
            on_site=sum(line.on_site for line in lines),
            takeaway=sum(line.takeaway for line in lines),
            meals=sum(line.meals for line in lines),
            revenue=sum(line.revenue for line in lines),
        ),
    )


@router.get(
    "/services/{service_id}/cash-report.csv",
    response_class=Response,
    summary="Cash report of a service (CSV)",
    responses={**_CSV, **problems(404)},
)
async def service_report(service_id: UUID, principal: Reader, db: Pool) -> Response:
    """Meals (on site, take-away) and revenue per tariff and price, after corrections."""
    async with db.acquire() as conn:
        service = await find_service(conn, principal, service_id)
        lines = await service_lines(conn, service_id)
    return csv_response(
        render_csv(lines), f"kasrapport-{service['centre_id']}-{service['date']}-{service_id}.csv"
    )


@router.get(
    "/cash-report.csv",
    response_class=Response,
    summary="Cash report of a day (CSV)",
    responses=_CSV,
)
async def day_report(
    principal: Reader,
    db: Pool,
    date: Annotated[CalendarDate, Query(description="The local date of the services.")],
    centre_id: Annotated[
        CentreId | None, Query(description="One centre; without it every centre you may see.")
    ] = None,
) -> Response:
    """Every service of one day, per tariff and price, with a total row."""
    if centre_id is not None:
        ensure_centre(principal, centre_id)
        centres: list[str] | None = [centre_id]
    else:
        centres = None if ALL_CENTRES in principal.centres else list(principal.centres)
    async with db.acquire() as conn:
        lines = await day_lines(conn, date, centres)
    return csv_response(render_csv(lines), f"kasrapport-{centre_id or 'alle-centra'}-{date}.csv")
