"""The kitchen tablet (`web/kitchen/`): the till and the HACCP log as an installable web app that
keeps working offline. `make install` builds it into `static/` (not in the repository); meals
serves it at `/kitchen/`."""

from pathlib import Path

from fastapi import APIRouter

from buurtwerk_shared.web.apps import web_app
from meals.settings import MealsSettings

STATIC = Path(__file__).with_name("static")


def kitchen_app(settings: MealsSettings) -> APIRouter:
    """The kitchen tablet's routes: its files, its login settings, the development login."""
    return web_app(
        "kitchen",
        STATIC,
        settings,
        settings.kitchen_login(),
    )
