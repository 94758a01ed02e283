"""The volunteer coordinator's app (`web/volunteers/`): the volunteers, the pipeline, the shifts
and their gaps, hours, appreciation and groups in the browser. `make install` builds it into
`static/` (not in the repository); volunteers serves it at `/coordinator/`."""

from pathlib import Path

from fastapi import APIRouter

from buurtwerk_shared.web.apps import web_app
from volunteers.settings import VolunteersSettings

STATIC = Path(__file__).with_name("static")


def coordinator_app(settings: VolunteersSettings) -> APIRouter:
    """The coordinator's app's routes: its files, its login settings, the development login."""
    return web_app(
        "coordinator",
        STATIC,
        settings,
        settings.coordinator_login(),
        link="volunteers",
    )
