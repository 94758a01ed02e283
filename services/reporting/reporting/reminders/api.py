"""HTTP route: the live list of open HACCP reminders of a kitchen."""

import datetime as dt
from typing import Annotated

import asyncpg
from fastapi import APIRouter, Query, Request
from pydantic import BaseModel

from buurtwerk_shared import clock
from buurtwerk_shared.contracts.types import KitchenId
from buurtwerk_shared.reference import reference_data
from buurtwerk_shared.web.auth import Principal, ensure_centre, require_role
from reporting.reminders.queries import OpenReminder, open_reminders

router = APIRouter(prefix="/reminders", tags=["HACCP reminders"])

Reader = Annotated[Principal, require_role("kitchen_staff", "centre_coordinator", "notifier")]


class OpenReminders(BaseModel):
    """A kitchen's open reminders at a moment."""

    kitchen_id: str
    at: dt.datetime
    reminders: list[OpenReminder]


@router.get("", response_model=OpenReminders, summary="Open HACCP reminders of a kitchen")
async def kitchen_reminders(
    request: Request, principal: Reader, kitchen_id: Annotated[KitchenId, Query()]
) -> OpenReminders:
    """Checks that became due and that no record closed yet, oldest first: those still in their
    window (until the next occurrence), overdue ones flagged, and required ones missed in the
    last seven days; with who was on kitchen duty when they became due."""
    kitchen = reference_data().kitchen(kitchen_id)
    assert kitchen is not None  # KitchenId is validated against the reference data
    ensure_centre(principal, kitchen.centre)
    at = clock.now()
    pool: asyncpg.Pool = request.app.state.pool
    async with pool.acquire() as conn:
        return OpenReminders(
            kitchen_id=kitchen.id, at=at, reminders=await open_reminders(conn, kitchen.id, at)
        )
