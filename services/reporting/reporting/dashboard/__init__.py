"""The dashboard's static files, served as they are (no build step)."""

from pathlib import Path

STATIC = Path(__file__).with_name("static")

_MEDIA_TYPES = {
    "app.js": "text/javascript; charset=utf-8",
    "charts.js": "text/javascript; charset=utf-8",
    "auth.js": "text/javascript; charset=utf-8",
    "style.css": "text/css; charset=utf-8",
}


def asset(name: str) -> tuple[Path, str] | None:
    """The path and media type of one of the page's files, if it is one."""
    media_type = _MEDIA_TYPES.get(name)
    return (STATIC / name, media_type) if media_type else None
