"""The public menu and allergen sheet: no token, Dutch by default, English on request."""

import pytest

from tests.integration.meals.conftest import COORDINATOR, MealsApi


async def test_the_menu_is_public_and_dutch_by_default(meals: MealsApi) -> None:
    service = await meals.plan()
    response = await meals.client.get(f"/services/{service['service_id']}/menu")
    assert response.status_code == 200, response.text
    assert response.headers["content-language"] == "nl"
    assert "Accept-Language" in response.headers["vary"]
    menu = response.json()
    assert menu["language"] == "nl"
    assert menu["title"] == "Menu en allergenen"
    assert menu["centre"] == {"id": "sint-maartensdal", "label": "Buurtcentrum Sint-Maartensdal"}
    assert menu["start_time"] == "12:00"
    assert menu["dishes"] == [
        {"name": "Tomatensoep", "allergens": [{"id": "celery", "label": "selder"}]},
        {
            "name": "Vol-au-vent met frietjes",
            "allergens": [
                {"id": "gluten", "label": "glutenbevattende granen"},
                {"id": "eggs", "label": "eieren"},
                {"id": "milk", "label": "melk"},
            ],
        },
    ]
    assert len(menu["allergens"]) == 14
    assert menu["allergens"][0] == {"id": "gluten", "label": "glutenbevattende granen"}
    assert menu["cancelled"] is False


@pytest.mark.parametrize(
    ("params", "headers", "language"),
    [
        ({"lang": "en"}, {}, "en"),
        ({}, {"Accept-Language": "en-GB,en;q=0.9"}, "en"),
        ({}, {"Accept-Language": "fr-BE, en;q=0.5, nl;q=0.8"}, "nl"),
        ({}, {"Accept-Language": "fr"}, "nl"),
        ({"lang": "nl"}, {"Accept-Language": "en"}, "nl"),
    ],
)
async def test_the_language_follows_lang_then_accept_language(
    meals: MealsApi, params: dict[str, str], headers: dict[str, str], language: str
) -> None:
    service = await meals.plan()
    response = await meals.client.get(
        f"/services/{service['service_id']}/menu", params=params, headers=headers
    )
    assert response.json()["language"] == language
    assert response.headers["content-language"] == language


async def test_the_english_menu_uses_english_labels_and_names(meals: MealsApi) -> None:
    service = await meals.plan()
    menu = (await meals.client.get(f"/services/{service['service_id']}/menu?lang=en")).json()
    assert menu["title"] == "Menu and allergens"
    assert menu["centre"]["label"] == "Sint-Maartensdal neighbourhood centre"
    # Translated where the kitchen gave a translation, as written otherwise.
    assert [dish["name"] for dish in menu["dishes"]] == [
        "Tomato soup",
        "Vol-au-vent met frietjes",
    ]
    assert menu["dishes"][1]["allergens"][0] == {
        "id": "gluten",
        "label": "cereals containing gluten",
    }


async def test_the_printable_page_lists_every_allergen_and_escapes_dish_names(
    meals: MealsApi,
) -> None:
    service = await meals.plan(
        dishes=[{"name": "<script>alert(1)</script> Stoofvlees", "allergens": ["mustard"]}]
    )
    response = await meals.client.get(f"/services/{service['service_id']}/menu.html")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/html")
    page = response.text
    assert '<html lang="nl">' in page
    assert "<script>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt; Stoofvlees" in page
    assert "Bevat mosterd" in page
    for label in ("glutenbevattende granen", "schaaldieren", "lupine", "weekdieren"):
        assert label in page
    english = await meals.client.get(
        f"/services/{service['service_id']}/menu.html", headers={"Accept-Language": "en"}
    )
    assert '<html lang="en">' in english.text
    assert "Contains mustard" in english.text


async def test_a_cancelled_service_says_so_on_its_menu(meals: MealsApi) -> None:
    service = await meals.plan()
    await meals.client.post(
        f"/services/{service['service_id']}/cancel", json={"reason": "Ziekte"}, headers=COORDINATOR
    )
    menu = (await meals.client.get(f"/services/{service['service_id']}/menu")).json()
    assert menu["cancelled"] is True
    page = (await meals.client.get(f"/services/{service['service_id']}/menu.html")).text
    assert "Deze maaltijd gaat niet door." in page


async def test_menu_refusals(meals: MealsApi) -> None:
    service = await meals.plan()
    wrong_lang = await meals.client.get(f"/services/{service['service_id']}/menu?lang=fr")
    assert wrong_lang.status_code == 422
    assert wrong_lang.json()["errors"][0]["field"] == "query.lang"
    unknown = await meals.client.get("/services/00000000-0000-4000-8000-000000000000/menu.html")
    assert unknown.status_code == 404


async def test_the_menus_of_a_centre_and_week_are_public(meals: MealsApi) -> None:
    for day in ("2026-03-09", "2026-03-10", "2026-03-16"):
        await meals.plan(date=day)
    week = {"centre_id": "sint-maartensdal", "date_from": "2026-03-09", "date_to": "2026-03-15"}
    response = await meals.client.get("/menus", params=week, headers={"Accept-Language": "en"})
    assert response.status_code == 200
    page = response.json()
    assert page["total"] == 2
    assert [(m["date"], m["language"]) for m in page["items"]] == [
        ("2026-03-09", "en"),
        ("2026-03-10", "en"),
    ]
    assert "capacity" not in page["items"][0] and "prices" not in page["items"][0]
    beyond = await meals.client.get("/menus", params={**week, "offset": 5})
    assert (beyond.json()["total"], beyond.json()["items"]) == (2, [])
    other = await meals.client.get("/menus", params={"centre_id": "mannenstraat"})
    assert other.json()["total"] == 0
