"""Centres, kitchens, tariffs and allergens over HTTP, from the reference data file."""

from tests.integration.meals.conftest import COOK, MealsApi


async def test_centres_with_their_kitchens(meals: MealsApi) -> None:
    response = await meals.client.get("/centres", headers=COOK)
    assert response.status_code == 200
    page = response.json()
    assert page["total"] == 5
    ids = [centre["centre_id"] for centre in page["items"]]
    assert ids == [
        "sint-maartensdal",
        "mannenstraat",
        "wilsele-dorp",
        "koksijdewijk",
        "de-kettekeet",
    ]
    assert page["items"][1] == {
        "centre_id": "mannenstraat",
        "name_nl": "Buurtcentrum Mannenstraat",
        "name_en": "Mannenstraat neighbourhood centre",
        "kitchen_ids": ["mannenstraat-keuken"],
    }
    one = await meals.client.get("/centres/wilsele-dorp", headers=COOK)
    assert one.json()["kitchen_ids"] == []
    assert (await meals.client.get("/centres/atlantis", headers=COOK)).status_code == 404
    assert (await meals.client.get("/centres")).status_code == 401
    second = await meals.client.get("/centres", params={"limit": 2, "offset": 2}, headers=COOK)
    assert [c["centre_id"] for c in second.json()["items"]] == ["wilsele-dorp", "koksijdewijk"]


async def test_kitchens_belong_to_a_centre(meals: MealsApi) -> None:
    every = (await meals.client.get("/kitchens", headers=COOK)).json()
    assert [k["kitchen_id"] for k in every["items"]] == [
        "sint-maartensdal-keuken",
        "mannenstraat-keuken",
    ]
    one_centre = await meals.client.get(
        "/kitchens", params={"centre_id": "mannenstraat"}, headers=COOK
    )
    assert [k["kitchen_id"] for k in one_centre.json()["items"]] == ["mannenstraat-keuken"]
    kitchen = (await meals.client.get("/kitchens/mannenstraat-keuken", headers=COOK)).json()
    assert kitchen["centre_id"] == "mannenstraat"
    assert kitchen["name_nl"] == "Keuken Mannenstraat"
    assert (await meals.client.get("/kitchens/nope", headers=COOK)).status_code == 404
    unknown_centre = await meals.client.get("/kitchens", params={"centre_id": "x"}, headers=COOK)
    assert unknown_centre.status_code == 422


async def test_tariffs_and_allergens_with_labels(meals: MealsApi) -> None:
    tariffs = (await meals.client.get("/tariffs", headers=COOK)).json()
    assert [t["code"] for t in tariffs["items"]] == ["standard", "reduced", "child", "volunteer"]
    allergens = (await meals.client.get("/allergens", headers=COOK)).json()
    assert allergens["total"] == 14
    assert {"code": "celery", "nl": "selder", "en": "celery"} in allergens["items"]


async def test_the_api_document_has_examples(meals: MealsApi) -> None:
    spec = (await meals.client.get("/openapi.json")).json()
    schemas = spec["components"]["schemas"]
    for name in ("PlanService", "RegisterMeals", "CorrectRegistration", "MakeReservation"):
        assert schemas[name]["examples"], name
    register = spec["paths"]["/services/{service_id}/registrations"]["post"]
    idempotency = [p for p in register["parameters"] if p["name"] == "Idempotency-Key"]
    assert idempotency and idempotency[0]["in"] == "header"
    assert "409" in register["responses"] and "422" in register["responses"]
    assert "text/csv" in spec["paths"]["/cash-report.csv"]["get"]["responses"]["200"]["content"]
    # The card number is documented as write-only and never appears in a response.
    assert schemas["RegisterMeals"]["properties"]["diner_card"]["anyOf"][0]["writeOnly"] is True
    assert "diner_card" not in schemas["RegistrationView"]["properties"]
