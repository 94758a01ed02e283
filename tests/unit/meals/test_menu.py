"""The menu's language, its words, and the printable page."""

import datetime as dt
from uuid import uuid4

import pytest

from meals.menu.language import from_accept_language, negotiate
from meals.menu.page import render_page
from meals.menu.texts import TEXTS
from meals.schemas.menu import Label, MenuDishView, MenuView


@pytest.mark.parametrize(
    ("header", "language"),
    [
        (None, "nl"),
        ("", "nl"),
        ("en", "en"),
        ("en-GB,en;q=0.9", "en"),
        ("nl-BE,nl;q=0.9,en;q=0.8", "nl"),
        ("fr-BE,fr;q=0.9,en;q=0.7", "en"),
        ("de, en;q=0.3, nl;q=0.5", "nl"),
        ("EN-us", "en"),
        ("en;q=0, fr", "nl"),
        ("*", "nl"),
        ("en;q=oops", "nl"),
        ("en;q=2", "nl"),
        ("en;q=0.5, nl;q=0.5", "en"),
    ],
)
def test_accept_language(header: str | None, language: str) -> None:
    assert from_accept_language(header) == language


def test_an_explicit_language_wins() -> None:
    assert negotiate("nl", "en") == "nl"
    assert negotiate(None, "en") == "en"


def test_dates_as_people_write_them() -> None:
    day = dt.date(2026, 3, 12)
    assert TEXTS["nl"].date_label(day) == "donderdag 12 maart 2026"
    assert TEXTS["en"].date_label(day) == "Thursday 12 March 2026"
    assert TEXTS["nl"].date_label(dt.date(2026, 11, 1)) == "zondag 1 november 2026"


def menu(language: str = "nl", cancelled: bool = False) -> MenuView:
    celery = Label(id="celery", label="selder")
    return MenuView(
        service_id=uuid4(),
        language="en" if language == "en" else "nl",
        title=TEXTS["nl"].title,
        centre=Label(id="mannenstraat", label='Buurtcentrum "Mannenstraat"'),
        date=dt.date(2026, 3, 12),
        date_label="donderdag 12 maart 2026",
        start_time="12:00",
        cancelled=cancelled,
        dishes=[
            MenuDishView(name="Soep & <b>brood</b>", allergens=[celery]),
            MenuDishView(name="Fruit", allergens=[]),
        ],
        allergens=[Label(id="gluten", label="glutenbevattende granen"), celery],
        notice=TEXTS["nl"].notice,
    )


def test_the_page_escapes_everything_and_marks_each_allergen() -> None:
    page = render_page(menu())
    assert "<b>" not in page
    assert "Soep &amp; &lt;b&gt;brood&lt;/b&gt;" in page
    assert "Buurtcentrum &quot;Mannenstraat&quot;" in page
    assert page.count("●") == 1
    assert "Bevat selder" in page
    assert "Bevat geen van de 14 allergenen" in page
    assert 'href="?lang=en"' in page
    assert "niet door" not in page
    assert "Deze maaltijd gaat niet door." in render_page(menu(cancelled=True))


def test_the_english_page_links_back_to_dutch() -> None:
    page = render_page(menu("en"))
    assert '<html lang="en">' in page
    assert 'href="?lang=nl"' in page
    assert "Contains none of the 14 allergens" in page
