"""HTTP routes for the reference data: centres, kitchens, tariffs and allergens."""

from typing import Annotated

from fastapi import APIRouter, Query

from buurtwerk_shared.contracts.types import CentreId
from buurtwerk_shared.reference import Labelled, ReferenceKind, reference_data
from buurtwerk_shared.web.pagination import Page, PageParams, PageQuery, page_of
from buurtwerk_shared.web.paths import SlugPath
from buurtwerk_shared.web.problems import not_found
from meals.api.common import Staff, problems
from meals.schemas.reference import CentreView, CodeView, KitchenView

router = APIRouter(tags=["reference data"], responses=problems(401, 422))


def _centre(entry: Labelled) -> CentreView:
    kitchens = [k.id for k in reference_data().kitchens if k.centre == entry.id]
    return CentreView(centre_id=entry.id, name_nl=entry.nl, name_en=entry.en, kitchen_ids=kitchens)


@router.get("/centres", response_model=Page[CentreView], summary="The neighbourhood centres")
async def centres(_: Staff, page: PageQuery) -> Page[CentreView]:
    """Every centre with its kitchens, from the reference data."""
    return page_of([_centre(entry) for entry in reference_data().centres], page)


@router.get(
    "/centres/{centre_id}",
    response_model=CentreView,
    summary="One centre",
    responses=problems(404),
)
async def centre(centre_id: SlugPath, _: Staff) -> CentreView:
    """A centre and its kitchens."""
    for entry in reference_data().centres:
        if entry.id == centre_id:
            return _centre(entry)
    raise not_found(f"centre '{centre_id}'", field="path.centre_id")


def _kitchen(kitchen_id: str) -> KitchenView:
    entry = reference_data().kitchen(kitchen_id)
    if entry is None:
        raise not_found(f"kitchen '{kitchen_id}'", field="path.kitchen_id")
    return KitchenView(
        kitchen_id=entry.id, centre_id=entry.centre, name_nl=entry.nl, name_en=entry.en
    )


@router.get("/kitchens", response_model=Page[KitchenView], summary="The kitchens")
async def kitchens(
    _: Staff,
    page: PageQuery,
    centre_id: Annotated[CentreId | None, Query(description="Only this centre's.")] = None,
) -> Page[KitchenView]:
    """Every kitchen (or one centre's), from the reference data."""
    found = [
        _kitchen(k.id)
        for k in reference_data().kitchens
        if centre_id is None or k.centre == centre_id
    ]
    return page_of(found, page)


@router.get(
    "/kitchens/{kitchen_id}",
    response_model=KitchenView,
    summary="One kitchen",
    responses=problems(404),
)
async def kitchen(kitchen_id: SlugPath, _: Staff) -> KitchenView:
    """A kitchen and the centre it belongs to."""
    return _kitchen(kitchen_id)


def _codes(kind: ReferenceKind, page: PageParams) -> Page[CodeView]:
    entries: tuple[Labelled, ...] = getattr(reference_data(), kind)
    return page_of([CodeView(code=e.id, nl=e.nl, en=e.en) for e in entries], page)


@router.get("/tariffs", response_model=Page[CodeView], summary="The tariffs")
async def tariffs(_: Staff, page: PageQuery) -> Page[CodeView]:
    """The tariffs a service can set a price for."""
    return _codes("tariffs", page)


@router.get("/allergens", response_model=Page[CodeView], summary="The EU-14 allergens")
async def allergens(_: Staff, page: PageQuery) -> Page[CodeView]:
    """The 14 allergens of Regulation (EU) No 1169/2011, with their labels."""
    return _codes("allergens", page)
