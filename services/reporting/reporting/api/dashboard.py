"""The dashboard: a static page (no build step) whose data calls carry the user's token."""

from typing import Annotated

from fastapi import APIRouter, Depends
from fastapi.responses import FileResponse, RedirectResponse
from pydantic import BaseModel

from buurtwerk_shared.web.problems import not_found
from reporting.dashboard import STATIC, asset
from reporting.runtime import Runtime, runtime

router = APIRouter(tags=["dashboard"])


class DashboardConfig(BaseModel):
    """How the page logs in: OpenID Connect with PKCE when an issuer is set, else a pasted token."""

    oidc_issuer: str | None
    oidc_client_id: str
    oidc_scope: str


@router.get("/", include_in_schema=False)
async def home() -> RedirectResponse:
    """The dashboard is the service's home page."""
    return RedirectResponse("/dashboard/")


@router.get("/dashboard/", include_in_schema=False)
async def page() -> FileResponse:
    """The page shell (public; it holds no data)."""
    return FileResponse(STATIC / "index.html", media_type="text/html; charset=utf-8")


@router.get("/dashboard/config.json", response_model=DashboardConfig, summary="Dashboard login")
async def config(rt: Annotated[Runtime, Depends(runtime)]) -> DashboardConfig:
    """Public: where the dashboard sends the user to log in."""
    settings = rt.settings
    return DashboardConfig(
        oidc_issuer=settings.dashboard_oidc_issuer,
        oidc_client_id=settings.dashboard_oidc_client_id,
        oidc_scope=settings.dashboard_oidc_scope,
    )


@router.get("/dashboard/{name}", include_in_schema=False)
async def static_file(name: str) -> FileResponse:
    """The page's scripts and styles (a fixed list: nothing else on disk is served)."""
    found = asset(name)
    if found is None:
        raise not_found(f"dashboard file '{name}'", field="path.name")
    path, media_type = found
    return FileResponse(path, media_type=media_type)
