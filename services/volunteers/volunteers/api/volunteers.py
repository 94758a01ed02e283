"""HTTP routes for volunteers: personal data, consent, pipeline, qualifications, the subject access
export, erasure, and the notifier's reminder contact."""

import datetime as dt
from dataclasses import asdict, dataclass
from typing import Annotated
from uuid import UUID

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import JSONResponse

from buurtwerk_shared.contracts.events.volunteers import VolunteerStatus
from buurtwerk_shared.contracts.types import CentreId
from buurtwerk_shared.web.pagination import Page, PageQuery
from buurtwerk_shared.web.writes import WritesDep
from volunteers.api.deps import Coordinator, Db, Notifier
from volunteers.api.schemas.common import Language
from volunteers.api.schemas.export import VolunteerExport
from volunteers.api.schemas.volunteers import (
    ConsentChange,
    ErasureView,
    NewQualification,
    NewVolunteer,
    ReminderContact,
    SearchVolunteers,
    StatusChange,
    StatusChangeView,
    VolunteerChanges,
    VolunteerSummary,
    VolunteerView,
)
from volunteers.domain.clock import now
from volunteers.domain.contacts import reminder_contact
from volunteers.domain.erasure import erase
from volunteers.domain.export import export_volunteer
from volunteers.domain.pipeline import change_status
from volunteers.domain.volunteers import (
    add_qualification,
    create_volunteer,
    list_volunteers,
    read_volunteer,
    record_consent,
    status_history,
    update_volunteer,
)
from volunteers.settings import VolunteersSettings

router = APIRouter(prefix="/volunteers", tags=["volunteers"])


@router.post("", status_code=201, response_model=VolunteerView, summary="Register an applicant")
async def create(body: NewVolunteer, principal: Coordinator, writes: WritesDep) -> JSONResponse:
    """Register a person who applies to volunteer (status `applied`); emits
    `volunteers.volunteer_status_changed.v1`. Send an `Idempotency-Key` to make retries safe."""
    return await writes.run(principal, lambda ctx: create_volunteer(ctx, body))


@dataclass(frozen=True)
class Filters:
    """The filters of the volunteer listing that say nothing about who is looked for."""

    status: VolunteerStatus | None
    centre_id: CentreId | None
    group_id: UUID | None
    language: Language | None
    skill: str | None
    buren_voor_wijken_member: bool | None


async def _filters(
    status: VolunteerStatus | None = None,
    centre_id: CentreId | None = None,
    group_id: UUID | None = None,
    language: Language | None = None,
    skill: Annotated[str | None, Query(max_length=60)] = None,
    buren_voor_wijken_member: bool | None = None,
) -> Filters:
    # async: FastAPI runs a plain function (or a class) dependency in its thread pool.
    return Filters(status, centre_id, group_id, language, skill, buren_voor_wijken_member)


FiltersQuery = Annotated[Filters, Depends(_filters)]


@router.get("", response_model=Page[VolunteerSummary], summary="List volunteers")
async def find(
    principal: Coordinator, db: Db, page: PageQuery, filters: FiltersQuery
) -> Page[VolunteerSummary]:
    """The volunteers of your centres matching every filter given, ordered by name (an audited
    read). To find someone by name, use `POST /volunteers/search`."""
    return await list_volunteers(db, principal, page, **asdict(filters))


@router.post("/search", response_model=Page[VolunteerSummary], summary="Find volunteers by name")
async def search(
    body: SearchVolunteers, principal: Coordinator, db: Db, page: PageQuery, filters: FiltersQuery
) -> Page[VolunteerSummary]:
    """The volunteers of your centres whose name contains the text, with the listing's filters
    (an audited read; the name is sent in the body, so it stays out of URLs and access logs)."""
    return await list_volunteers(db, principal, page, **asdict(filters), name=body.name)


@router.get("/{volunteer_id}", response_model=VolunteerView, summary="One volunteer")
async def read(volunteer_id: UUID, principal: Coordinator, db: Db) -> VolunteerView:
    """Everything kept about a volunteer: data, consent, groups, qualifications, hours (an
    audited read)."""
    return await read_volunteer(db, principal, volunteer_id)


@router.patch("/{volunteer_id}", response_model=VolunteerView, summary="Change a volunteer's data")
async def change(
    volunteer_id: UUID, body: VolunteerChanges, principal: Coordinator, writes: WritesDep
) -> JSONResponse:
    """Change the fields sent (`null` clears an optional one)."""
    return await writes.run(
        principal, lambda ctx: update_volunteer(ctx, volunteer_id, body), status_code=200
    )


@router.post(
    "/{volunteer_id}/status", response_model=VolunteerView, summary="Move along the pipeline"
)
async def move(
    volunteer_id: UUID, body: StatusChange, principal: Coordinator, writes: WritesDep
) -> JSONResponse:
    """Move a volunteer to the next status: only the catalogue's transitions are allowed
    (applied → intake | left; intake → onboarding | left; onboarding → active | left;
    active → paused | left; paused → active | left; left → applied). Pausing or leaving takes
    the volunteer off the shifts still to come. Emits `volunteers.volunteer_status_changed.v1`."""
    return await writes.run(
        principal, lambda ctx: change_status(ctx, volunteer_id, body), status_code=200
    )


@router.get(
    "/{volunteer_id}/status-history",
    response_model=list[StatusChangeView],
    summary="Pipeline history",
)
async def history(volunteer_id: UUID, principal: Coordinator, db: Db) -> list[StatusChangeView]:
    """Every status the volunteer had, when and by whom it was set."""
    return await status_history(db, principal, volunteer_id)


@router.post("/{volunteer_id}/consents", response_model=VolunteerView, summary="Record consent")
async def consent(
    volunteer_id: UUID, body: ConsentChange, principal: Coordinator, writes: WritesDep
) -> JSONResponse:
    """Record that the volunteer gave or withdrew consent for a purpose, and when."""
    return await writes.run(
        principal, lambda ctx: record_consent(ctx, volunteer_id, body), status_code=200
    )


@router.post(
    "/{volunteer_id}/qualifications",
    status_code=201,
    response_model=VolunteerView,
    summary="Record a qualification",
)
async def qualification(
    volunteer_id: UUID, body: NewQualification, principal: Coordinator, writes: WritesDep
) -> JSONResponse:
    """Record a qualification the volunteer obtained (e.g. `food_hygiene`), with its expiry."""
    return await writes.run(principal, lambda ctx: add_qualification(ctx, volunteer_id, body))


@router.get(
    "/{volunteer_id}/export",
    response_model=VolunteerExport,
    summary="Everything kept about a volunteer (subject access)",
)
async def export(volunteer_id: UUID, principal: Coordinator, db: Db) -> VolunteerExport:
    """For a volunteer's subject access request: their personal data, every consent given or
    withdrawn, the pipeline history, groups, qualifications, shifts and hours, corrections,
    milestones, appreciation, allowances and the audit trail of their records, as JSON. The
    read is audited (`volunteer.export`)."""
    return await export_volunteer(db, principal, volunteer_id)


@router.post("/{volunteer_id}/erasure", response_model=ErasureView, summary="Erase personal data")
async def erasure(volunteer_id: UUID, principal: Coordinator, writes: WritesDep) -> JSONResponse:
    """Erase the volunteer's personal data on their request; ids and hours stay for the
    statistics. A volunteer still in the pipeline leaves it first. Emits
    `volunteers.volunteer_erased.v1`."""
    return await writes.run(
        principal, lambda ctx: erase(ctx, volunteer_id, now(), "request"), status_code=200
    )


@router.get(
    "/{volunteer_id}/reminder-contact",
    response_model=ReminderContact,
    summary="Contact of a volunteer on duty (notifier)",
    responses={404: {"description": "Not on duty in your centres, or no consent to reminders."}},
)
async def contact_for_reminder(
    request: Request, volunteer_id: UUID, principal: Notifier, db: Db
) -> ReminderContact:
    """For the notification service (role `notifier`): the phone number and/or e-mail address
    of a volunteer who is on a shift now (or starting within the configured lead time), only
    for the reminder channels they consented to. Every lookup is audited."""
    settings: VolunteersSettings = request.app.state.settings
    lead = dt.timedelta(minutes=settings.on_duty_lead_minutes)
    return await reminder_contact(db, principal, volunteer_id, now(), lead)
