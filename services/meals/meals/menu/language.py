"""Which language a diner reads the menu in: `?lang=`, else `Accept-Language`, else Dutch."""

from typing import Literal, get_args

Language = Literal["nl", "en"]
LANGUAGES: tuple[Language, ...] = get_args(Language)
DEFAULT: Language = "nl"


def _quality(parameters: list[str]) -> float | None:
    for parameter in parameters:
        name, _, value = parameter.strip().partition("=")
        if name.strip().lower() == "q":
            try:
                quality = float(value)
            except ValueError:
                return None
            return quality if 0 <= quality <= 1 else None
    return 1.0


def from_accept_language(header: str | None) -> Language:
    """The supported language the header prefers most (RFC 9110 weights); Dutch if none."""
    best: tuple[float, Language] | None = None
    for item in (header or "").split(","):
        tag, *parameters = item.split(";")
        primary = tag.strip().lower().split("-")[0]
        quality = _quality(parameters)
        if quality is None or quality == 0:
            continue
        language: Language | None = DEFAULT if primary == "*" else _supported(primary)
        # Ties keep the header's order: the first one listed wins.
        if language is not None and (best is None or quality > best[0]):
            best = (quality, language)
    return DEFAULT if best is None else best[1]


def _supported(primary: str) -> Language | None:
    for language in LANGUAGES:
        if primary == language:
            return language
    return None


def negotiate(lang: Language | None, accept_language: str | None) -> Language:
    """An explicit `?lang=` wins; otherwise the browser's preference."""
    return lang if lang is not None else from_accept_language(accept_language)
