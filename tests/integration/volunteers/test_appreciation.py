"""Appreciation moments: an event, a gift or a thank-you, announced with the number thanked."""

from tests.integration.volunteers.conftest import (
    CITY_COORDINATOR,
    COORDINATOR,
    OTHER_CENTRE,
    Volunteers,
)


async def test_an_appreciation_moment_is_recorded_and_announced(service: Volunteers) -> None:
    first, second = [(await service.volunteer())["volunteer_id"] for _ in range(2)]
    recorded = await service.ok(
        "POST",
        "/appreciations",
        201,
        json={"centre_id": "mannenstraat", "kind": "thank_you", "title": "Bedankkaartje",
              "date": "2026-11-20", "volunteer_ids": [first, second, first]},
    )  # fmt: skip
    assert sorted(recorded["volunteer_ids"]) == sorted([first, second])
    [event] = await service.events("volunteers.appreciation_recorded.v1")
    assert event == {
        "appreciation_id": recorded["appreciation_id"],
        "centre_id": "mannenstraat",
        "kind": "thank_you",
        "date": "2026-11-20",
        "volunteer_count": 2,
    }
    listed = await service.ok("GET", "/appreciations", params={"volunteer_id": second})
    assert [a["appreciation_id"] for a in listed["items"]] == [recorded["appreciation_id"]]


async def test_a_city_wide_moment_needs_a_city_wide_coordinator(service: Volunteers) -> None:
    volunteer_id = (await service.volunteer())["volunteer_id"]
    body = {"centre_id": None, "kind": "event", "title": "Nieuwjaarsreceptie",
            "date": "2026-01-16", "volunteer_ids": [volunteer_id]}  # fmt: skip
    refused = await service.client.post("/appreciations", json=body, headers=service.headers)
    assert refused.status_code == 403
    recorded = await service.ok("POST", "/appreciations", 201, json=body, headers=CITY_COORDINATOR)
    assert recorded["centre_id"] is None
    [event] = await service.events("volunteers.appreciation_recorded.v1")
    assert event["centre_id"] is None and event["volunteer_count"] == 1
    seen = await service.ok("GET", "/appreciations")
    assert seen["total"] == 1, "city-wide moments show in every centre"


async def test_unknown_volunteers_are_refused_naming_the_index(service: Volunteers) -> None:
    volunteer_id = (await service.volunteer())["volunteer_id"]
    refused = await service.client.post(
        "/appreciations",
        json={"centre_id": "mannenstraat", "kind": "gift", "title": "Bloemen", "date": "2026-11-20",
              "volunteer_ids": [volunteer_id, "3f0c5a8e-57e5-4a5e-8a0b-6f8f9c1c2d3e"]},
        headers=service.headers,
    )  # fmt: skip
    assert refused.status_code == 422
    assert refused.json()["errors"][0]["field"] == "body.volunteer_ids.1"
    assert await service.count("SELECT count(*) FROM appreciations") == 0


async def test_a_city_wide_moment_shows_each_coordinator_only_their_centres_volunteers(
    service: Volunteers,
) -> None:
    here = (await service.volunteer())["volunteer_id"]
    service.headers = CITY_COORDINATOR
    there = (await service.volunteer(centre_ids=[OTHER_CENTRE]))["volunteer_id"]
    service.headers = COORDINATOR
    body = {"centre_id": None, "kind": "event", "title": "Nieuwjaarsreceptie",
            "date": "2026-01-16", "volunteer_ids": [here, there]}  # fmt: skip
    await service.ok("POST", "/appreciations", 201, json=body, headers=CITY_COORDINATOR)

    [seen_here] = (await service.ok("GET", "/appreciations"))["items"]
    assert seen_here["volunteer_ids"] == [here]
    everyone = await service.ok("GET", "/appreciations", headers=CITY_COORDINATOR)
    assert sorted(everyone["items"][0]["volunteer_ids"]) == sorted([here, there])
    asked = await service.ok("GET", "/appreciations", params={"volunteer_id": there})
    assert asked["items"] == [], "another centre's volunteer is not found through the filter"
