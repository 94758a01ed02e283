"""The reporting dashboard (`web/dashboard/`): built into `static/` by `make install` (not in the
repository), served at `/dashboard/`."""

from pathlib import Path

from fastapi import APIRouter

from buurtwerk_shared.web.apps import web_app
from reporting.settings import ReportingSettings

STATIC = Path(__file__).with_name("static")


def dashboard_app(settings: ReportingSettings) -> APIRouter:
    """The dashboard's routes: its files, its login settings, the development login."""
    return web_app(
        "dashboard",
        STATIC,
        settings,
        settings.dashboard_login(),
    )
