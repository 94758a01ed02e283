"""The menu and allergen sheet as a printable HTML page.

Every value from the kitchen or the reference data is escaped: dish names are typed by staff and
the page is public.
"""

from html import escape

from meals.menu.texts import TEXTS
from meals.schemas.menu import MenuView


def render_page(menu: MenuView) -> str:
    """The sheet as a complete HTML document in the menu's language."""
    texts = TEXTS[menu.language]
    other = "en" if menu.language == "nl" else "nl"
    header = "".join(
        f'<th scope="col">{escape(allergen.label)}</th>' for allergen in menu.allergens
    )
    rows = []
    for dish in menu.dishes:
        present = {allergen.id for allergen in dish.allergens}
        cells = "".join(
            f'<td aria-label="{escape(allergen.label)}">●</td>'
            if allergen.id in present
            else "<td></td>"
            for allergen in menu.allergens
        )
        rows.append(f'<tr><td class="dish">{escape(dish.name)}</td>{cells}</tr>')
    contains = "".join(
        f'<p class="contains"><strong>{escape(dish.name)}</strong>: {escape(texts.contains)} '
        + escape(", ".join(allergen.label for allergen in dish.allergens) or texts.contains_none)
        + "</p>"
        for dish in menu.dishes
    )
    cancelled = f'<p class="cancelled">{escape(texts.cancelled)}</p>' if menu.cancelled else ""
    return f"""<!DOCTYPE html>
<html lang="{menu.language}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{escape(texts.title)} · {escape(menu.centre.label)} · {menu.date.isoformat()}</title>
<link rel="stylesheet" href="/assets/menu.css">
</head>
<body>
<nav><a href="?lang={other}" hreflang="{other}">{escape(texts.other_language)}</a></nav>
<h1>{escape(texts.title)}</h1>
<p class="when">{escape(menu.centre.label)} · {escape(menu.date_label)} \
· {escape(texts.starts)} {escape(menu.start_time)}</p>
{cancelled}
<table>
<thead><tr><th class="dish" scope="col">{escape(texts.dish)}</th>{header}</tr></thead>
<tbody>{"".join(rows)}</tbody>
</table>
<h2>{escape(texts.allergens)}</h2>
{contains}
<p class="notice">{escape(texts.notice)}</p>
<p class="regulation">{escape(texts.regulation)}</p>
</body>
</html>
"""
