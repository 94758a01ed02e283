"""The service skeleton over HTTP: idempotent audited writes, problem details, auth, health."""

import asyncio
import json
import re
from collections.abc import AsyncIterator

import asyncpg
import pytest

from buurtwerk_shared.config import PlatformSettings
from meals.service import definition
from meals.settings import MealsSettings
from tests.integration.web.conftest import ADMIN, COOK, COORDINATOR, SERVICE, Meals
from tests.support.apps import in_process, platform_settings
from tests.support.broker import BrokerNamespace
from tests.support.databases import DatabaseFactory
from tests.support.proxy import CuttableProxy
from tests.support.tokens import bearer


async def test_same_idempotency_key_registers_the_meal_once(meals: Meals) -> None:
    service_id = await meals.plan()
    headers = {**COOK, "Idempotency-Key": "till-7-000123"}
    body = {"tariff": "reduced", "count": 2}
    first = await meals.client.post(
        f"/services/{service_id}/registrations", json=body, headers=headers
    )
    again = await meals.client.post(
        f"/services/{service_id}/registrations", json=body, headers=headers
    )
    assert first.status_code == again.status_code == 201
    assert first.json() == again.json()
    assert again.headers["Idempotent-Replayed"] == "true"
    assert await meals.count("SELECT count(*) FROM meal_registrations") == 1
    assert (
        await meals.count("SELECT count(*) FROM outbox WHERE event_type = 'meals.meal_served.v1'")
        == 1
    )


async def test_concurrent_retries_with_one_key_register_once(meals: Meals) -> None:
    service_id = await meals.plan()
    headers = {**COOK, "Idempotency-Key": "till-7-000124"}
    responses = await asyncio.gather(
        *(
            meals.client.post(
                f"/services/{service_id}/registrations",
                json={"tariff": "standard"},
                headers=headers,
            )
            for _ in range(5)
        )
    )
    assert {r.status_code for r in responses} == {201}
    assert len({r.json()["registration_id"] for r in responses}) == 1
    assert await meals.count("SELECT count(*) FROM meal_registrations") == 1


async def test_a_key_reused_for_another_request_is_refused(meals: Meals) -> None:
    service_id = await meals.plan()
    headers = {**COOK, "Idempotency-Key": "till-7-000125"}
    url = f"/services/{service_id}/registrations"
    assert (
        await meals.client.post(url, json={"tariff": "standard"}, headers=headers)
    ).status_code == 201
    reused = await meals.client.post(url, json={"tariff": "reduced"}, headers=headers)
    assert reused.status_code == 422
    assert reused.json()["errors"][0]["field"] == "header.Idempotency-Key"


async def test_a_refused_write_leaves_nothing_and_its_key_can_be_retried(meals: Meals) -> None:
    service_id = await meals.plan()
    headers = {**COOK, "Idempotency-Key": "till-7-000126"}
    url = f"/services/{service_id}/registrations"
    refused = await meals.client.post(url, json={"tariff": "child"}, headers=headers)
    assert refused.status_code == 422
    assert refused.headers["content-type"] == "application/problem+json"
    assert refused.json()["errors"] == [
        {"field": "body.tariff", "reason": "tariff 'child' has no price in this service"}
    ]
    assert await meals.count("SELECT count(*) FROM meal_registrations") == 0
    assert await meals.count("SELECT count(*) FROM audit_log WHERE action = 'meal.register'") == 0
    retried = await meals.client.post(url, json={"tariff": "reduced"}, headers=headers)
    assert retried.status_code == 201


async def test_a_write_while_the_database_is_away_is_a_503_to_send_again(
    databases: DatabaseFactory, namespace: BrokerNamespace
) -> None:
    url = await databases.create(definition().migrations)
    proxy = CuttableProxy.for_url(url)
    await proxy.start()
    settings = MealsSettings(database_url=proxy.url(url), platform=platform_settings(namespace))
    try:
        async with in_process(definition(settings)) as client:
            planned = await client.post("/services", json=SERVICE, headers=COORDINATOR)
            assert planned.status_code == 201, planned.text
            proxy.go_down()
            away = await client.post(
                f"/services/{planned.json()['service_id']}/registrations",
                json={"tariff": "standard"},
                headers={**COOK, "Idempotency-Key": "till-7-000200"},
            )
    finally:
        await proxy.stop()
    assert away.status_code == 503
    assert away.headers["content-type"] == "application/problem+json"
    assert away.headers["Retry-After"] == "1"
    assert "may or may not have been saved" in away.json()["detail"]
    assert "same Idempotency-Key" in away.json()["detail"]


async def test_every_write_is_audited_in_its_transaction(meals: Meals) -> None:
    service_id = await meals.plan()
    row = await meals.db.fetchrow(
        "SELECT actor, role, action, record_type, record_id, trace_id FROM audit_log"
    )
    assert row is not None
    assert dict(row) | {"trace_id": None} == {
        "actor": "coord-1",
        "role": "centre_coordinator",
        "action": "meal_service.plan",
        "record_type": "meal_service",
        "record_id": service_id,
        "trace_id": None,
    }
    assert row["trace_id"] and len(row["trace_id"]) == 32
    with pytest.raises(asyncpg.RaiseError, match="append-only"):
        await meals.db.execute("UPDATE audit_log SET actor = 'someone-else'")
    with pytest.raises(asyncpg.RaiseError, match="append-only"):
        await meals.db.execute("DELETE FROM audit_log")


async def test_bad_input_is_a_problem_naming_the_field(meals: Meals) -> None:
    response = await meals.client.post(
        "/services",
        json={
            **SERVICE,
            "prices": {"standard": 650, "champagne": 1000},
            "dishes": [{"name": "Soep", "allergens": ["dust"]}],
            "capacity": 0,
        },
        headers=COORDINATOR,
    )
    assert response.status_code == 422
    problem = response.json()
    assert problem["status"] == 422 and problem["title"] == "Invalid request"
    fields = {error["field"]: error["reason"] for error in problem["errors"]}
    assert "unknown tariff 'champagne'" in fields["body.prices.champagne.[key]"]
    assert "unknown allergen 'dust'" in fields["body.dishes.0.allergens.0"]
    assert "greater than 0" in fields["body.capacity"]
    assert await meals.count("SELECT count(*) FROM meal_services") == 0


async def test_wrong_kitchen_for_the_centre_is_refused(meals: Meals) -> None:
    response = await meals.client.post(
        "/services", json={**SERVICE, "kitchen_id": "mannenstraat-keuken"}, headers=COORDINATOR
    )
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "body.kitchen_id"


@pytest.mark.parametrize(
    ("headers", "status"),
    [
        ({}, 401),
        ({"Authorization": "Bearer not-a-jwt"}, 401),
        ({"Authorization": "Basic Zm9vOmJhcg=="}, 401),
        (bearer("kitchen_staff", ["sint-maartensdal"]), 403),
        (bearer("centre_coordinator", ["mannenstraat"]), 403),
        (bearer("analyst", ["all"]), 403),
        (bearer("centre_coordinator", ["all"]), 201),
        (bearer("admin", ["all"]), 201),
    ],
)
async def test_who_may_plan_a_service(meals: Meals, headers: dict[str, str], status: int) -> None:
    response = await meals.client.post("/services", json=SERVICE, headers=headers)
    assert response.status_code == status, response.text
    if status >= 400:
        assert response.headers["content-type"] == "application/problem+json"


async def test_expired_or_foreign_tokens_are_refused(meals: Meals) -> None:
    from datetime import timedelta

    from buurtwerk_shared.web.auth import mint_dev_token

    expired = mint_dev_token("admin", ["all"], ttl=timedelta(seconds=-10))
    foreign = mint_dev_token("admin", ["all"], key="someone-elses-key-of-sufficient-length-123")
    other_issuer = mint_dev_token("admin", ["all"], issuer="https://elsewhere.example")
    for token in (expired, foreign, other_issuer):
        response = await meals.client.post(
            "/services", json=SERVICE, headers={"Authorization": f"Bearer {token}"}
        )
        assert response.status_code == 401


async def test_health_endpoints(meals: Meals) -> None:
    assert (await meals.client.get("/health/live")).json() == {"status": "ok"}
    ready = await meals.client.get("/health/ready")
    assert ready.status_code == 200
    assert ready.json() == {"status": "ready", "checks": {"database": True, "broker": True}}
    # Load balancers and uptime checkers probe with HEAD.
    assert (await meals.client.head("/health/live")).status_code == 200
    assert (await meals.client.head("/health/ready")).status_code == 200


async def test_metrics_and_asyncapi_are_served(meals: Meals) -> None:
    metrics = await meals.client.get("/metrics")
    assert metrics.status_code == 200, "Prometheus scrapes /metrics without following a redirect"
    assert metrics.headers["content-type"].startswith("text/plain")
    assert "buurtwerk_http_requests_total" in metrics.text
    asyncapi = (await meals.client.get("/asyncapi.json")).json()
    assert "meals.meal_served.v1" in str(asyncapi["channels"])


async def test_a_body_over_the_size_limit_is_a_413_problem_and_saves_nothing(meals: Meals) -> None:
    limit = PlatformSettings().max_request_bytes
    padded = {**SERVICE, "dishes": [{"name": "Soep", "allergens": ["celery"]}] * (limit // 20)}
    announced = await meals.client.post("/services", json=padded, headers=COORDINATOR)

    async def chunks() -> AsyncIterator[bytes]:
        body = json.dumps(padded).encode()
        for start in range(0, len(body), 4096):
            yield body[start : start + 4096]

    streamed = await meals.client.post(
        "/services",
        content=chunks(),
        headers={**COORDINATOR, "Content-Type": "application/json"},
    )
    for response in (announced, streamed):
        assert response.status_code == 413
        assert response.headers["content-type"] == "application/problem+json"
        assert response.json()["detail"] == f"the request body is larger than {limit} bytes"
    assert "content-length" not in streamed.request.headers
    assert await meals.count("SELECT count(*) FROM meal_services") == 0
    assert (await meals.client.post("/services", json=SERVICE, headers=COORDINATOR)).is_success


async def test_text_with_a_nul_character_is_a_422_problem_and_saves_nothing(meals: Meals) -> None:
    nul = {**SERVICE, "dishes": [{"name": "Soep\u0000", "allergens": ["celery"]}]}
    planned = await meals.client.post("/services", json=nul, headers=COORDINATOR)
    searched = await meals.client.get("/audit", params={"actor": "a\u0000b"}, headers=ADMIN)
    for response in (planned, searched):
        assert response.status_code == 422, response.text
        assert response.headers["content-type"] == "application/problem+json"
        assert "NUL" in response.json()["detail"]
    assert await meals.count("SELECT count(*) FROM meal_services") == 0


async def test_stored_idempotent_responses_expire_in_the_background(
    databases: DatabaseFactory, namespace: BrokerNamespace
) -> None:
    url = await databases.create(definition().migrations)
    settings = MealsSettings(
        database_url=url,
        platform=platform_settings(namespace),
        idempotency_keep_days=1,
        idempotency_sweep_seconds=0.2,
    )
    db = await asyncpg.connect(url)
    try:
        async with in_process(definition(settings)) as client:
            meals = Meals(client, db)
            service_id = await meals.plan(date="2026-03-12")
            for key in ("till-1-old", "till-1-new"):
                response = await client.post(
                    f"/services/{service_id}/registrations",
                    json={"tariff": "standard"},
                    headers={**COOK, "Idempotency-Key": key},
                )
                assert response.status_code == 201
            await db.execute(
                "UPDATE idempotency_keys SET created_at = now() - interval '25 hours' "
                "WHERE key = 'till-1-old'"
            )
            for _ in range(100):
                keys = await db.fetch("SELECT key FROM idempotency_keys ORDER BY key")
                if len(keys) == 1:
                    break
                await asyncio.sleep(0.1)
            assert [k["key"] for k in keys] == ["till-1-new"]
            again = await client.post(
                f"/services/{service_id}/registrations",
                json={"tariff": "standard"},
                headers={**COOK, "Idempotency-Key": "till-1-old"},
            )
            assert again.status_code == 201 and "Idempotent-Replayed" not in again.headers
            assert await meals.count("SELECT count(*) FROM meal_registrations") == 3
    finally:
        await db.close()


async def test_every_answer_carries_the_security_headers(meals: Meals) -> None:
    answers = {
        "public page": await meals.client.get("/menus"),
        "health": await meals.client.get("/health/live"),
        "unknown route": await meals.client.get("/nothing-here"),
        "no token": await meals.client.get("/services"),
        "with a token": await meals.client.get("/services", headers=COOK),
        "refused": await meals.client.get("/audit", headers=COOK),
        "too large": await meals.client.post(
            "/services", content=b"x" * 300_000, headers={**COORDINATOR, "Content-Type": "a/b"}
        ),
        "docs": await meals.client.get("/docs"),
    }
    for name, response in answers.items():
        headers = response.headers
        policy = headers["content-security-policy"]
        assert policy.startswith("default-src 'self'; script-src 'self'; style-src 'self'"), name
        assert "frame-ancestors 'none'" in policy and "unsafe" not in policy, name
        assert headers["x-content-type-options"] == "nosniff", name
        assert headers["referrer-policy"] == "no-referrer", name
        assert headers["x-frame-options"] == "DENY", name
    # Everything behind a token may hold personal data: never stored by a browser or a proxy.
    for name in ("with a token", "refused", "too large"):
        assert answers[name].headers["cache-control"] == "no-store", name
    for name in ("public page", "health", "docs"):
        assert answers[name].headers.get("cache-control") != "no-store", name


async def test_the_api_documentation_comes_from_the_service_itself(meals: Meals) -> None:
    docs = await meals.client.get("/docs")
    redoc = await meals.client.get("/redoc")
    assert docs.status_code == redoc.status_code == 200
    for page in (docs, redoc):
        sources = re.findall(r'(?:src|href)="([^"]+)"', page.text)
        assert sources and all(s.startswith("/") for s in sources), sources
        assert "<script>" not in page.text, "no inline script"
        for source in sources:
            asset = await meals.client.get(source)
            assert asset.status_code == 200, source
    assert "sha256-" in redoc.headers["content-security-policy"]
    assert "sha256-" not in docs.headers["content-security-policy"]
    missing = await meals.client.get("/docs/assets/..%2F..%2Fconfig.py")
    assert missing.status_code == 404
