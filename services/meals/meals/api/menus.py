"""Public routes (no token): the menu and allergen sheet of a service, as JSON and as a page."""

from typing import Annotated
from uuid import UUID

from fastapi import APIRouter, Header, Query, Response
from fastapi.responses import HTMLResponse

from buurtwerk_shared.web.pagination import Page, PageQuery
from meals.api.common import ListFilters, Pool, problems
from meals.menu.language import Language, negotiate
from meals.menu.page import render_page
from meals.menu.sheet import find_menu, list_menus
from meals.schemas.menu import MenuView

router = APIRouter(tags=["menu (public)"], responses=problems(404, 422))

Lang = Annotated[
    Language | None,
    Query(description="`nl` or `en`; without it the browser's Accept-Language decides (nl)."),
]
AcceptLanguage = Annotated[str | None, Header(alias="Accept-Language", max_length=500)]


def _negotiated(response: Response, language: Language) -> None:
    response.headers["Content-Language"] = language
    response.headers["Vary"] = "Accept-Language"


@router.get("/menus", response_model=Page[MenuView], summary="Menus of a centre (JSON)")
async def menus(
    filters: ListFilters,
    page: PageQuery,
    response: Response,
    db: Pool,
    lang: Lang = None,
    accept_language: AcceptLanguage = None,
) -> Page[MenuView]:
    """The menus of the services in a centre and date range (e.g. this week), for diners."""
    language = negotiate(lang, accept_language)
    async with db.acquire() as conn:
        found = await list_menus(conn, filters, language, page)
    _negotiated(response, language)
    return found


@router.get(
    "/services/{service_id}/menu", response_model=MenuView, summary="Menu and allergens (JSON)"
)
async def menu(
    service_id: UUID,
    response: Response,
    db: Pool,
    lang: Lang = None,
    accept_language: AcceptLanguage = None,
) -> MenuView:
    """The dishes of a service with their EU-14 allergens, for diners; no token needed."""
    language = negotiate(lang, accept_language)
    async with db.acquire() as conn:
        sheet = await find_menu(conn, service_id, language)
    _negotiated(response, language)
    return sheet


@router.get(
    "/services/{service_id}/menu.html",
    response_class=HTMLResponse,
    summary="Menu and allergen sheet (printable page)",
    responses={200: {"content": {"text/html": {"example": "<!DOCTYPE html>..."}}}},
)
async def menu_page(
    service_id: UUID,
    db: Pool,
    lang: Lang = None,
    accept_language: AcceptLanguage = None,
) -> HTMLResponse:
    """The printable allergen sheet to hang at the counter; no token needed."""
    language = negotiate(lang, accept_language)
    async with db.acquire() as conn:
        sheet = await find_menu(conn, service_id, language)
    response = HTMLResponse(render_page(sheet))
    _negotiated(response, language)
    return response
