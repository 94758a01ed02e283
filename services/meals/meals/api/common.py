"""What the meals routes share: who may call them, the listing filters, documented errors."""

from typing import Annotated, Any

import asyncpg
from fastapi import Depends, Query, Request
from pydantic import BaseModel

from buurtwerk_shared.contracts.types import CentreId
from buurtwerk_shared.pseudonyms import Pseudonymizer
from buurtwerk_shared.web.auth import Principal, current_principal, require_role
from buurtwerk_shared.web.fields import CalendarDate
from buurtwerk_shared.web.problems import unprocessable
from meals.domain.listings import Filters
from meals.settings import MealsSettings

# Coordinators plan and close; the till registers; analysts read.
Coordinator = Annotated[Principal, require_role("centre_coordinator")]
Till = Annotated[Principal, require_role("kitchen_staff", "centre_coordinator")]
Reader = Annotated[Principal, require_role("kitchen_staff", "centre_coordinator", "analyst")]
Staff = Annotated[Principal, Depends(current_principal)]


async def pool(request: Request) -> asyncpg.Pool:
    """The service's database pool."""
    db: asyncpg.Pool = request.app.state.pool
    return db


Pool = Annotated[asyncpg.Pool, Depends(pool)]


async def _pseudonyms(request: Request) -> Pseudonymizer:
    return Pseudonymizer(request.app.state.settings.pseudonym_secrets)


Pseudonyms = Annotated[Pseudonymizer, Depends(_pseudonyms)]


async def _settings(request: Request) -> MealsSettings:
    settings: MealsSettings = request.app.state.settings
    return settings


Settings = Annotated[MealsSettings, Depends(_settings)]


async def _filters(
    centre_id: Annotated[CentreId | None, Query(description="Only this centre.")] = None,
    date_from: Annotated[
        CalendarDate | None, Query(description="Services on or after this local date.")
    ] = None,
    date_to: Annotated[
        CalendarDate | None, Query(description="Services on or before this local date.")
    ] = None,
) -> Filters:
    if date_from is not None and date_to is not None and date_to < date_from:
        raise unprocessable("date_to is before date_from", field="query.date_to")
    return Filters(centre_id=centre_id, date_from=date_from, date_to=date_to)


ListFilters = Annotated[Filters, Depends(_filters)]


class ProblemDocument(BaseModel):
    """An RFC 9457 problem document; `errors` names each field at fault."""

    type: str
    title: str
    status: int
    detail: str
    instance: str
    errors: list[dict[str, str]] | None = None


_MEANINGS = {
    401: "No bearer token, or one that does not verify.",
    403: "The caller's role or centre scope does not allow this.",
    404: "No such record.",
    409: "The record's state does not allow this (e.g. closed, cancelled, over capacity).",
    422: "A field is invalid; `errors` names it and says why.",
}


def problems(*statuses: int) -> dict[int | str, dict[str, Any]]:
    """OpenAPI `responses` documenting the problem documents a route may answer with."""
    schema = ProblemDocument.model_json_schema()
    return {
        status: {
            "description": _MEANINGS[status],
            "content": {"application/problem+json": {"schema": schema}},
        }
        for status in statuses
    }
