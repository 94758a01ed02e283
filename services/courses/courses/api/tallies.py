"""HTTP routes for the day tallies: computer-corner visits and welcome-desk contacts."""

from typing import Annotated

from fastapi import APIRouter, Path, Query
from fastapi.responses import JSONResponse

from buurtwerk_shared.contracts.types import CentreId, DeskCategory
from buurtwerk_shared.web.fields import CalendarDate
from buurtwerk_shared.web.pagination import Page, PageQuery
from buurtwerk_shared.web.writes import WritesDep
from courses.api.dependencies import Db, Reader, TallyKeeper
from courses.api.schemas.common import PastDate
from courses.api.schemas.tallies import (
    AddDeskContacts,
    AddVisits,
    DeskContactsView,
    SetDeskContacts,
    SetVisits,
    VisitsView,
)
from courses.domain import tallies

router = APIRouter(tags=["day tallies"])

Centre = Annotated[CentreId, Path()]
Day = Annotated[PastDate, Path(description="Local date; not in the future.")]
Category = Annotated[DeskCategory, Path()]


@router.put(
    "/computer-corner-visits/{centre_id}/{date}",
    response_model=VisitsView,
    summary="Set a day's computer-corner visits",
)
async def set_visits(
    centre_id: Centre, date: Day, body: SetVisits, principal: TallyKeeper, writes: WritesDep
) -> JSONResponse:
    """Set the day's total (it replaces the earlier one); emits
    `courses.computer_corner_visits_recorded.v1` with the new total when it changes."""
    return await writes.run(
        principal,
        lambda ctx: tallies.set_visits(ctx, centre_id, date, body.visits),
        status_code=200,
    )


@router.post(
    "/computer-corner-visits/{centre_id}/{date}/add",
    response_model=VisitsView,
    summary="Add computer-corner visits",
)
async def add_visits(
    centre_id: Centre,
    date: Day,
    principal: TallyKeeper,
    writes: WritesDep,
    body: AddVisits | None = None,
) -> JSONResponse:
    """Add visits (one without a body) to the day's total; emits the event with the new total.
    Send an `Idempotency-Key` so a retried click is counted once."""
    visits = (body or AddVisits()).visits
    return await writes.run(
        principal,
        lambda ctx: tallies.add_visits(ctx, centre_id, date, visits),
        status_code=200,
    )


@router.get(
    "/computer-corner-visits", response_model=Page[VisitsView], summary="List visit day totals"
)
async def list_visits(
    principal: Reader,
    db: Db,
    page: PageQuery,
    centre_id: Annotated[CentreId | None, Query()] = None,
    date_from: Annotated[CalendarDate | None, Query(alias="from")] = None,
    date_to: Annotated[CalendarDate | None, Query(alias="to")] = None,
) -> Page[VisitsView]:
    """Day totals of the caller's centres, newest first."""
    return await tallies.list_visits(
        db, principal, page, centre_id=centre_id, date_from=date_from, date_to=date_to
    )


@router.put(
    "/desk-contacts/{centre_id}/{date}/{category}",
    response_model=DeskContactsView,
    summary="Set a day's welcome-desk contacts in a category",
)
async def set_desk_contacts(
    centre_id: Centre,
    date: Day,
    category: Category,
    body: SetDeskContacts,
    principal: TallyKeeper,
    writes: WritesDep,
) -> JSONResponse:
    """Set the day's total for one category (it replaces the earlier one); emits
    `courses.desk_contacts_recorded.v1` with the new total when it changes."""
    return await writes.run(
        principal,
        lambda ctx: tallies.set_desk_contacts(ctx, centre_id, date, category, body.count),
        status_code=200,
    )


@router.post(
    "/desk-contacts/{centre_id}/{date}/{category}/add",
    response_model=DeskContactsView,
    summary="Add welcome-desk contacts",
)
async def add_desk_contacts(
    centre_id: Centre,
    date: Day,
    category: Category,
    principal: TallyKeeper,
    writes: WritesDep,
    body: AddDeskContacts | None = None,
) -> JSONResponse:
    """Add contacts (one without a body) to the day's total for one category; emits the event
    with the new total. Send an `Idempotency-Key` so a retried click is counted once."""
    count = (body or AddDeskContacts()).count
    return await writes.run(
        principal,
        lambda ctx: tallies.add_desk_contacts(ctx, centre_id, date, category, count),
        status_code=200,
    )


@router.get(
    "/desk-contacts", response_model=Page[DeskContactsView], summary="List desk-contact day totals"
)
async def list_desk_contacts(
    principal: Reader,
    db: Db,
    page: PageQuery,
    centre_id: Annotated[CentreId | None, Query()] = None,
    category: Annotated[DeskCategory | None, Query()] = None,
    date_from: Annotated[CalendarDate | None, Query(alias="from")] = None,
    date_to: Annotated[CalendarDate | None, Query(alias="to")] = None,
) -> Page[DeskContactsView]:
    """Day totals per category of the caller's centres, newest first."""
    return await tallies.list_desk_contacts(
        db,
        principal,
        page,
        centre_id=centre_id,
        category=category,
        date_from=date_from,
        date_to=date_to,
    )
