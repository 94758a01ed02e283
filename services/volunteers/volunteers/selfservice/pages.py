"""The pages a link opens: plain HTML with one style sheet, no script, so they work under the
strict Content-Security-Policy and on any phone. A GET only shows what the link would do and a
button; the button POSTs (mail scanners follow GET links, and must not answer for anyone)."""

from html import escape

from volunteers.selfservice.texts import PAGE, Language

STYLE_SHEET = "/l/assets/links.css"


def _document(language: Language, heading: str, content: str) -> str:
    texts = PAGE[language]
    other = "en" if language == "nl" else "nl"
    return f"""<!DOCTYPE html>
<html lang="{language}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex">
<title>{escape(heading)} · {escape(texts["title"])}</title>
<link rel="stylesheet" href="{STYLE_SHEET}">
</head>
<body>
<header><p class="brand">{escape(texts["title"])}</p>
<nav><a href="?lang={other}" hreflang="{other}" lang="{other}">\
{escape(texts["other_language"])}</a></nav></header>
<main>
<h1>{escape(heading)}</h1>
{content}
</main>
</body>
</html>
"""


def ask_page(language: Language, purpose: str, label: str, action: str) -> str:
    """The page of a valid link: what pressing the button will do, and the button."""
    texts = PAGE[language]
    question = escape(texts[f"{purpose}_ask"].format(label=label))
    button = escape(texts[f"{purpose}_button"])
    form = (
        f'<form method="post" action="{escape(action)}?lang={language}">'
        f'<button type="submit">{button}</button></form>'
    )
    return _document(language, texts[f"{purpose}_button"], f"<p>{question}</p>{form}")


def outcome_page(language: Language, outcome: str, label: str, reason: str | None) -> str:
    """The page after the button was pressed."""
    texts = PAGE[language]
    because = texts[reason] if reason else ""
    message = texts[outcome].format(label=label, reason=because)
    return _document(language, texts["title"], f'<p role="status">{escape(message)}</p>')


def refused_page(language: Language, why: str) -> str:
    """The page of a link that is unknown, altered, expired, revoked or used."""
    texts = PAGE[language]
    return _document(
        language,
        texts["refused_title"],
        f'<p role="alert">{escape(texts[why])}</p>',
    )
