"""The menu and allergen sheet as a printable HTML page.

Every value from the kitchen or the reference data is escaped: dish names are typed by staff and
the page is public.
"""

from html import escape

from meals.menu.texts import TEXTS
from meals.schemas.menu import MenuView

_STYLE = """
body { font-family: system-ui, sans-serif; margin: 2rem; color: #111; }
h1 { margin-bottom: 0.2rem; }
.when { font-size: 1.2rem; margin-top: 0; }
.cancelled { border: 3px solid #b00; color: #b00; padding: 0.5rem 1rem; font-weight: bold; }
table { border-collapse: collapse; width: 100%; margin: 1.5rem 0; }
th, td { border: 1px solid #444; padding: 0.35rem; text-align: center; }
th.dish, td.dish { text-align: left; font-weight: bold; }
thead th { font-size: 0.8rem; font-weight: normal; }
.contains { margin: 0.3rem 0; }
.notice { font-size: 1.1rem; font-weight: bold; }
.regulation { font-size: 0.8rem; }
@media print {
  body { margin: 1cm; }
  nav { display: none; }
  table { page-break-inside: avoid; }
}
"""


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
<style>{_STYLE}</style>
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
