"""The course coordinator's app (`web/courses/`): activities and their sessions, enrolment with
the waiting list, the attendance register, the day tallies and youth referrals. `make install`
builds it into `static/` (not in the repository); courses serves it at `/coordinator/`, with the
code lists its forms offer (public reference data) at `/coordinator/reference.json`."""

from pathlib import Path

from fastapi import APIRouter, Response
from pydantic import BaseModel

from buurtwerk_shared.reference import Labelled, reference_data
from buurtwerk_shared.web.apps import REVALIDATE, web_app
from courses.settings import CoursesSettings

STATIC = Path(__file__).with_name("static")


class CodeLists(BaseModel):
    """The code lists the app's forms offer, with their Dutch and English labels."""

    partners: list[Labelled]
    target_groups: list[Labelled]
    age_bands: list[Labelled]
    desk_categories: list[Labelled]
    neighbourhoods: list[str]


def coordinator_app(settings: CoursesSettings) -> APIRouter:
    """The app's routes: its code lists, its files, its login settings, the development login."""
    router = APIRouter(tags=["coordinator"])

    # Declared before the app's files, whose catch-all route would answer it otherwise.
    @router.get("/coordinator/reference.json", response_model=CodeLists, summary="Code lists")
    async def code_lists(response: Response) -> CodeLists:
        """Public: the partners, target groups, age bands and desk categories, and the
        neighbourhoods a participant chooses from."""
        response.headers["Cache-Control"] = REVALIDATE
        data = reference_data()
        return CodeLists(
            partners=list(data.partners),
            target_groups=list(data.target_groups),
            age_bands=list(data.age_bands),
            desk_categories=list(data.desk_categories),
            neighbourhoods=list(settings.neighbourhoods),
        )

    router.include_router(
        web_app(
            "coordinator",
            STATIC,
            settings,
            settings.coordinator_login(),
            link="courses",
        )
    )
    return router
