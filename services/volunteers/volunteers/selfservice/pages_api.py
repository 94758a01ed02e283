"""The routes a mailed link opens: `GET /l/{token}` shows a page with a button, `POST
/l/{token}` does the link's one action. No token is needed (the link is the permission); every
request is rate-limited per client address and audited, refused ones included."""

import datetime as dt
from pathlib import Path
from typing import Annotated, Any

import asyncpg
from fastapi import APIRouter, Query, Request
from fastapi.responses import FileResponse, HTMLResponse

from buurtwerk_shared.db.pool import Connection
from buurtwerk_shared.retention import Clock
from volunteers.selfservice import links
from volunteers.selfservice.answers import GapPolicy, act
from volunteers.selfservice.context import link_actor, link_audit
from volunteers.selfservice.limits import RequestLimit
from volunteers.selfservice.links import Refusal
from volunteers.selfservice.pages import ask_page, outcome_page, refused_page
from volunteers.selfservice.texts import Language, shift_label
from volunteers.settings import VolunteersSettings

_STYLE = Path(__file__).with_name("links.css")
# Answers that did not do what the button said: the page explains, the status says so too.
_NOT_DONE_STATUS = 409
_REFUSED_STATUS = {
    Refusal.UNKNOWN: 404,
    Refusal.EXPIRED: 410,
    Refusal.REVOKED: 410,
    Refusal.USED: 410,
}

Lang = Annotated[Language | None, Query(description="`nl` (default) or `en`.")]


def router(settings: VolunteersSettings, now: Clock) -> APIRouter:
    """The link routes, rate-limited per `settings.link_requests_per_minute`, at the time
    `now` tells."""
    routes = APIRouter(tags=["self-service links"])
    limit = RequestLimit(settings.link_requests_per_minute)
    gaps = GapPolicy(
        window=dt.timedelta(hours=settings.gap_window_hours),
        batch=settings.invitation_batch,
        base_url=settings.public_base_url,
    )

    @routes.get("/l/assets/links.css", include_in_schema=False)
    async def style_sheet() -> FileResponse:
        return FileResponse(_STYLE, media_type="text/css; charset=utf-8")

    @routes.get("/l/{token}", response_class=HTMLResponse, include_in_schema=False)
    async def show(token: str, request: Request, lang: Lang = None) -> HTMLResponse:
        if not limit.allow(_client(request)):
            return _too_many(lang)
        at = now()
        async with _pool(request).acquire() as conn, conn.transaction():
            link, refusal = await links.find(conn, token, at)
            language = await _language(conn, link, lang)
            await _audit_use(conn, "link.view", link, refusal)
            if refusal is not None:
                return _refused(language, refusal)
            assert link is not None
            label = await _label(conn, link, language)
        page = ask_page(language, link["purpose"], label, f"/l/{token}")
        return HTMLResponse(page, headers=_NO_STORE)

    @routes.post("/l/{token}", response_class=HTMLResponse, include_in_schema=False)
    async def press(token: str, request: Request, lang: Lang = None) -> HTMLResponse:
        if not limit.allow(_client(request)):
            return _too_many(lang)
        at = now()
        async with _pool(request).acquire() as conn, conn.transaction():
            link, refusal = await links.find(conn, token, at, lock=True)
            language = await _language(conn, link, lang)
            if refusal is not None:
                await _audit_use(conn, "link.use", link, refusal)
                return _refused(language, refusal)
            assert link is not None
            answer = await act(conn, link, at, gaps)
            await _audit_use(conn, "link.use", link, None, {"outcome": answer.outcome})
            label = await _label(conn, link, language)
        status = 200 if answer.outcome.endswith("_done") else _NOT_DONE_STATUS
        page = outcome_page(language, answer.outcome, label, answer.reason)
        return HTMLResponse(page, status_code=status, headers=_NO_STORE)

    return routes


# A link page is about one person: never kept by a cache on the way.
_NO_STORE = {"Cache-Control": "no-store"}


def _pool(request: Request) -> asyncpg.Pool:
    pool: asyncpg.Pool = request.app.state.pool
    return pool


def _client(request: Request) -> str:
    return request.client.host if request.client else "unknown"


def _too_many(lang: Language | None) -> HTMLResponse:
    page = refused_page(lang or "nl", "too_many")
    return HTMLResponse(page, status_code=429, headers={**_NO_STORE, "Retry-After": "60"})


def _refused(language: Language, refusal: Refusal) -> HTMLResponse:
    return HTMLResponse(
        refused_page(language, refusal.value),
        status_code=_REFUSED_STATUS[refusal],
        headers=_NO_STORE,
    )


async def _language(
    conn: Connection, link: asyncpg.Record | None, asked: Language | None
) -> Language:
    """The language asked for, else the one the volunteer reads their mail in, else Dutch."""
    if asked is not None:
        return asked
    if link is None:
        return "nl"
    chosen = await conn.fetchval(
        "SELECT language FROM volunteer_mail WHERE volunteer_id = $1", link["volunteer_id"]
    )
    return "en" if chosen == "en" else "nl"


async def _label(conn: Connection, link: asyncpg.Record, language: Language) -> str:
    shift = await conn.fetchrow("SELECT * FROM shifts WHERE shift_id = $1", link["shift_id"])
    assert shift is not None
    return shift_label(language, dict(shift))


async def _audit_use(
    conn: Connection,
    action: str,
    link: asyncpg.Record | None,
    refusal: Refusal | None,
    details: dict[str, Any] | None = None,
) -> None:
    """Every view and press of a link; the record is the link (its hash's first 8 bytes, never
    the token), refused ones with the reason."""
    await link_audit(
        conn,
        link_actor(link["volunteer_id"]) if link is not None else "unknown-link",
        action,
        "link",
        link["token_hash"][:8].hex() if link is not None else None,
        {
            "purpose": link["purpose"] if link is not None else None,
            "shift_id": link["shift_id"] if link is not None else None,
            "refused": refusal.value if refusal is not None else None,
            **(details or {}),
        },
    )
