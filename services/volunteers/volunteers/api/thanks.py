"""HTTP routes for milestones and appreciation moments."""

from uuid import UUID

from fastapi import APIRouter
from fastapi.responses import JSONResponse

from buurtwerk_shared.contracts.types import CentreId
from buurtwerk_shared.web.fields import CalendarDate
from buurtwerk_shared.web.pagination import Page, PageQuery
from buurtwerk_shared.web.writes import WritesDep
from volunteers.api.deps import Coordinator, Db
from volunteers.api.schemas.hours import AppreciationView, MilestoneView, NewAppreciation
from volunteers.domain.appreciation import list_appreciations, record_appreciation
from volunteers.domain.milestones import list_milestones

router = APIRouter(tags=["appreciation"])


@router.get("/milestones", response_model=Page[MilestoneView], summary="Milestones reached")
async def milestones(
    principal: Coordinator,
    db: Db,
    page: PageQuery,
    centre_id: CentreId | None = None,
    since: CalendarDate | None = None,
) -> Page[MilestoneView]:
    """Who reached 50, 100, 250 or 500 hours, or 1, 5 or 10 years: people to thank."""
    return await list_milestones(db, principal, page, centre_id, since)


@router.post(
    "/appreciations",
    status_code=201,
    response_model=AppreciationView,
    summary="Record an appreciation moment",
)
async def record(body: NewAppreciation, principal: Coordinator, writes: WritesDep) -> JSONResponse:
    """An event, a gift or a thank-you; emits `volunteers.appreciation_recorded.v1`."""
    return await writes.run(principal, lambda ctx: record_appreciation(ctx, body))


@router.get("/appreciations", response_model=Page[AppreciationView], summary="Appreciation")
async def appreciations(
    principal: Coordinator,
    db: Db,
    page: PageQuery,
    centre_id: CentreId | None = None,
    since: CalendarDate | None = None,
    volunteer_id: UUID | None = None,
) -> Page[AppreciationView]:
    """Appreciation moments of your centres and the city-wide ones, newest first."""
    return await list_appreciations(db, principal, page, centre_id, since, volunteer_id)
