"""The style sheets of the printable pages (the menu and allergen sheet, the inspector's log):
files rather than inline styles, so that the pages live under the Content-Security-Policy."""

from pathlib import Path

from fastapi import APIRouter
from fastapi.responses import FileResponse

from buurtwerk_shared.web.problems import not_found

router = APIRouter(include_in_schema=False)

_PACKAGE = Path(__file__).parents[1]
_STYLES = {
    "menu.css": _PACKAGE / "menu" / "menu.css",
    "inspector.css": _PACKAGE / "haccp" / "inspector" / "inspector.css",
}


@router.get("/assets/{name}")
async def style_sheet(name: str) -> FileResponse:
    """One of the pages' style sheets (a fixed list: nothing else on disk is served)."""
    path = _STYLES.get(name)
    if path is None:
        raise not_found(f"file '{name}'", field="path.name")
    return FileResponse(path, media_type="text/css; charset=utf-8")
