"""A diner card number is nowhere after use: not in the database, the events, or the logs."""

import asyncio

import httpx

from tests.e2e.conftest import Stack
from tests.support.broker import wait_for
from tests.support.databases import database_url
from tests.support.privacy import broker_traffic, database_dump, leaks, message_texts
from tests.support.tokens import bearer

CENTRE = "sint-maartensdal"
COORDINATOR = bearer("centre_coordinator", [CENTRE], sub="coord-privacy")
COOK = bearer("kitchen_staff", [CENTRE], sub="cook-privacy")

# As typed at the till, and as the service normalises them.
CARDS = {"8831 7712 0044": "883177120044", "ab-5566-77": "AB556677"}
REFUSED_CARD = "9904 5521 é"


async def test_the_card_number_appears_nowhere(stack: Stack) -> None:
    meals = stack.service("meals", BUURTWERK_LOG_LEVEL="DEBUG")
    async with (
        broker_traffic(stack.namespace) as published,
        httpx.AsyncClient(base_url=meals.url, timeout=10) as client,
    ):
        planned = await client.post(
            "/services",
            json={
                "centre_id": CENTRE,
                "kitchen_id": "sint-maartensdal-keuken",
                "date": "2026-10-14",
                "start_time": "12:00",
                "capacity": 30,
                "prices": {"standard": 650, "reduced": 350},
                "dishes": [{"name": "Soep", "allergens": ["celery"]}],
                "reservations": True,
            },
            headers=COORDINATOR,
        )
        assert planned.status_code == 201, planned.text
        sid = planned.json()["service_id"]
        first, second = CARDS
        reserved = await client.post(
            f"/services/{sid}/reservations",
            json={"seats": 2, "diner_card": second},
            headers=COOK,
        )
        assert reserved.status_code == 201, reserved.text
        responses: list[httpx.Response] = [reserved]
        for body, key in (
            ({"tariff": "reduced", "diner_card": first}, "privacy-1"),
            ({"tariff": "reduced", "diner_card": first}, "privacy-1"),
            ({"tariff": "standard", "diner_card": second, "count": 2}, None),
        ):
            headers = {**COOK, **({"Idempotency-Key": key} if key else {})}
            response = await client.post(
                f"/services/{sid}/registrations", json=body, headers=headers
            )
            assert response.status_code == 201, response.text
            responses.append(response)
        refused = await client.post(
            f"/services/{sid}/registrations",
            json={"tariff": "standard", "diner_card": REFUSED_CARD},
            headers=COOK,
        )
        assert refused.status_code == 422
        assert refused.json()["errors"][0]["field"] == "body.diner_card"
        responses.append(refused)
        duplicate = await client.post(
            f"/services/{sid}/reservations",
            json={"seats": 1, "diner_card": second},
            headers=COOK,
        )
        assert duplicate.status_code == 409
        responses.append(duplicate)
        correction = await client.post(
            f"/registrations/{responses[1].json()['registration_id']}/corrections",
            json={"count": 0, "reason": "Dubbel"},
            headers=COOK,
        )
        assert correction.status_code == 201
        closed = await client.post(f"/services/{sid}/close", headers=COORDINATOR)
        assert closed.status_code == 200
        listed = await client.get("/registrations", headers=COOK)
        responses.extend([correction, closed, listed])

        diner_keys = {r.json()["diner_key"] for r in responses[:4]}
        assert len(diner_keys) == 2 and None not in diner_keys
        # plan, reservation, 2 meals served, correction, closing
        await wait_for(lambda: len(published) >= 6)
        await asyncio.sleep(0.5)

    dump = await database_dump(
        database_url(stack.servers.database_url, f"bw_e2e_meals_{stack.run_id}")
    )
    meals.stop()
    logs = meals.logs()
    texts = {
        "database": dump,
        "events": message_texts(published),
        "logs": logs,
        "responses": "\n".join(r.text for r in responses),
    }
    # The search looks where the data is: the diner keys are in each of these.
    for where in ("database", "events", "responses"):
        assert all(key in texts[where] for key in diner_keys), where
    assert '"level": "DEBUG"' in logs or "DEBUG" in logs
    assert leaks(texts, [*CARDS, *CARDS.values(), REFUSED_CARD]) == []
