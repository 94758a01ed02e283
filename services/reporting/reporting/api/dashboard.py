"""The service's home page is the dashboard (`reporting.dashboard`)."""

from fastapi import APIRouter
from fastapi.responses import RedirectResponse

router = APIRouter(tags=["dashboard"])


@router.get("/", include_in_schema=False)
async def home() -> RedirectResponse:
    """The dashboard is the service's home page."""
    return RedirectResponse("/dashboard/")
