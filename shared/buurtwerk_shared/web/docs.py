"""The API documentation pages (Swagger UI at `/docs`, ReDoc at `/redoc`) from files the service
ships: the Swagger UI and ReDoc bundles of the `fastapi-offline` package, and a start-up script
of ours. Nothing is loaded from another host, and no page holds an inline script, so both work
under the Content-Security-Policy of every answer (`buurtwerk_shared.web.headers`)."""

from html import escape
from pathlib import Path

import fastapi_offline
from fastapi import APIRouter, Request
from fastapi.responses import FileResponse, HTMLResponse

from buurtwerk_shared.web.headers import STYLE_HASHES
from buurtwerk_shared.web.problems import not_found

router = APIRouter(include_in_schema=False)

# The style elements ReDoc's bundle inserts as it starts: an empty one that styled-components then
# fills through the CSSOM, and one fixed style sheet. The ReDoc page's policy admits exactly these
# two by their SHA-256 (no 'unsafe-inline'); a new bundle with other ones fails
# tests/browser/test_pages_under_csp.py, which names the hash the browser asks for.
REDOC_STYLE_HASHES = (
    "'sha256-47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU='",
    "'sha256-QMIg+bpjm3JdElJ388KYke01izlUW0UoNOeKjpMxdgc='",
)

_BUNDLES = Path(fastapi_offline.__file__).with_name("static")
_OURS = Path(__file__).with_name("docs_assets")
ASSETS: dict[str, tuple[Path, str]] = {
    "swagger-ui-bundle.js": (_BUNDLES / "swagger-ui-bundle.js", "text/javascript"),
    "swagger-ui.css": (_BUNDLES / "swagger-ui.css", "text/css"),
    "redoc.standalone.js": (_BUNDLES / "redoc.standalone.js", "text/javascript"),
    "favicon.png": (_BUNDLES / "favicon.png", "image/png"),
    "swagger-init.js": (_OURS / "swagger-init.js", "text/javascript"),
}


def _page(title: str, head: str, body: str) -> HTMLResponse:
    return HTMLResponse(
        f"""<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{escape(title)}</title>
<link rel="icon" href="/docs/assets/favicon.png">
{head}
</head>
<body>
{body}
</body>
</html>
"""
    )


@router.get("/docs")
async def swagger_ui(request: Request) -> HTMLResponse:
    """Swagger UI on this service's OpenAPI document."""
    return _page(
        f"{request.app.title} – Swagger UI",
        '<link rel="stylesheet" href="/docs/assets/swagger-ui.css">',
        f'<div id="swagger-ui" data-openapi="{escape(request.app.openapi_url)}"></div>\n'
        '<script src="/docs/assets/swagger-ui-bundle.js"></script>\n'
        '<script src="/docs/assets/swagger-init.js"></script>',
    )


@router.get("/redoc")
async def redoc(request: Request) -> HTMLResponse:
    """ReDoc on this service's OpenAPI document (its search, which runs in a worker made from a
    blob, is off: the policy admits scripts from the service only)."""
    setattr(request.state, STYLE_HASHES, REDOC_STYLE_HASHES)
    return _page(
        f"{request.app.title} – ReDoc",
        "",
        f'<redoc spec-url="{escape(request.app.openapi_url)}" disable-search></redoc>\n'
        '<script src="/docs/assets/redoc.standalone.js"></script>',
    )


@router.get("/docs/assets/{name}")
async def asset(name: str) -> FileResponse:
    """One of the documentation pages' files (a fixed list: nothing else on disk is served)."""
    found = ASSETS.get(name)
    if found is None:
        raise not_found(f"documentation file '{name}'", field="path.name")
    path, media_type = found
    return FileResponse(path, media_type=media_type)
