"""Serving a built web app (`buurtwerk_shared.web.apps`): the files with their policy and cache
headers and nothing else on disk, the login settings per mode, and the development login that
exists in development mode only."""

from collections.abc import AsyncIterator
from pathlib import Path
from typing import Literal

import httpx
import pytest
from fastapi import FastAPI
from pydantic import SecretStr

from buurtwerk_shared.config import AuthSettings, PlatformSettings, ServiceSettings
from buurtwerk_shared.web.apps import WebLogin, web_app
from buurtwerk_shared.web.auth import TokenVerifier
from buurtwerk_shared.web.headers import SecurityHeaders, content_security_policy
from buurtwerk_shared.web.problems import install_problem_handlers
from volunteers.service import definition as volunteers_definition
from volunteers.settings import VolunteersSettings

ISSUER = "https://login.leuven.be/realms/buurtwerk"


def settings(environment: Literal["development", "production"] = "development") -> ServiceSettings:
    production = environment == "production"
    platform = PlatformSettings(
        environment=environment,
        auth=AuthSettings(jwks_url="https://login.leuven.be/jwks")
        if production
        else AuthSettings(),
    )
    return ServiceSettings(
        database_url="postgresql://x/y",
        http_port=1,
        platform=platform,
        pseudonym_secrets=[SecretStr("a-secret-for-this-test-only-" + "x" * 32)],
    )


@pytest.fixture
def built(tmp_path: Path) -> Path:
    static = tmp_path / "static"
    (static / "assets").mkdir(parents=True)
    (static / "index.html").write_text("<!doctype html><title>app</title>")
    (static / "assets" / "index-abc123.js").write_text("console.log(1)")
    (static / "sw.js").write_text("self.skipWaiting()")
    (static / "notes.md").write_text("not part of the app")
    (tmp_path / "secret.txt").write_text("outside the app")
    return static


def client_for(static: Path, service: ServiceSettings, login: WebLogin) -> httpx.AsyncClient:
    """The app's routes behind the headers every service adds, its login's provider admitted."""
    app = FastAPI()
    app.add_middleware(SecurityHeaders, connect_sources=login.origins())
    install_problem_handlers(app)
    app.include_router(web_app("kitchen", static, service, login, ("kitchen_staff",)))
    return httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://test")


@pytest.fixture
async def development(built: Path) -> AsyncIterator[httpx.AsyncClient]:
    async with client_for(built, settings(), WebLogin(client_id="kitchen")) as client:
        yield client


async def test_the_files_come_with_their_policy_and_cache_headers(
    development: httpx.AsyncClient,
) -> None:
    page = await development.get("/kitchen/")
    assert page.status_code == 200
    assert page.headers["content-type"] == "text/html; charset=utf-8"
    assert page.headers["cache-control"] == "no-cache"
    policy = page.headers["content-security-policy"]
    assert "default-src 'self'" in policy and "frame-ancestors 'none'" in policy
    assert "unsafe" not in policy
    script = await development.get("/kitchen/assets/index-abc123.js")
    assert script.headers["cache-control"] == "public, max-age=31536000, immutable"
    assert script.headers["x-content-type-options"] == "nosniff"
    worker = await development.get("/kitchen/sw.js")
    assert worker.headers["cache-control"] == "no-cache"
    assert (await development.get("/kitchen")).headers["location"] == "/kitchen/"


@pytest.mark.parametrize(
    "path", ["/kitchen/notes.md", "/kitchen/%2e%2e/secret.txt", "/kitchen/assets/nothing.js"]
)
async def test_nothing_else_on_disk_is_served(development: httpx.AsyncClient, path: str) -> None:
    response = await development.get(path)
    assert response.status_code == 404
    assert "outside the app" not in response.text


async def test_an_app_not_built_says_how_to_build_it(tmp_path: Path) -> None:
    async with client_for(tmp_path / "static", settings(), WebLogin(client_id="k")) as client:
        response = await client.get("/kitchen/")
    assert response.status_code == 503
    assert "make install" in response.json()["detail"]


async def test_development_mode_offers_the_form_and_signs_a_token_for_the_choice(
    development: httpx.AsyncClient,
) -> None:
    config = (await development.get("/kitchen/config.json")).json()
    assert config["mode"] == "development" and config["oidc"] is None
    assert config["roles"] == ["kitchen_staff"]
    # The other apps, for the bar's links to those the user's role uses.
    apps = {a["name"]: a for a in config["apps"]}
    assert sorted(apps) == ["courses", "dashboard", "volunteers"]
    assert apps["dashboard"]["url"] == "http://127.0.0.1:8004/dashboard/"
    assert "centre_coordinator" in apps["dashboard"]["roles"]
    assert apps["volunteers"]["url"] == "http://127.0.0.1:8002/coordinator/"
    assert apps["volunteers"]["roles"] == ["volunteer_coordinator", "admin"]
    assert apps["courses"]["url"] == "http://127.0.0.1:8003/coordinator/"
    assert apps["courses"]["roles"] == ["course_coordinator", "centre_coordinator"]
    assert {"id": "mannenstraat", "nl": "Buurtcentrum Mannenstraat"}.items() <= next(
        c for c in config["centres"] if c["id"] == "mannenstraat"
    ).items()
    answer = await development.post(
        "/kitchen/dev-token", json={"role": "kitchen_staff", "centre": "mannenstraat"}
    )
    assert answer.status_code == 200
    principal = TokenVerifier(AuthSettings()).verify(answer.json()["access_token"])
    assert (principal.role, principal.centres) == ("kitchen_staff", ("mannenstraat",))
    other_role = await development.post(
        "/kitchen/dev-token", json={"role": "admin", "centre": "all"}
    )
    assert other_role.status_code == 422
    assert other_role.json()["errors"][0]["field"] == "body.role"
    unknown = await development.post(
        "/kitchen/dev-token", json={"role": "kitchen_staff", "centre": "atlantis"}
    )
    assert unknown.status_code == 422


async def test_production_logs_in_with_the_provider_only(built: Path) -> None:
    login = WebLogin(issuer=ISSUER, client_id="buurtwerk-kitchen", scope="openid")
    async with client_for(built, settings("production"), login) as client:
        config = (await client.get("/kitchen/config.json")).json()
        assert config["mode"] == "oidc" and config["roles"] == []
        assert config["oidc"] == {
            "issuer": ISSUER,
            "client_id": "buurtwerk-kitchen",
            "scope": "openid",
        }
        refused = await client.post(
            "/kitchen/dev-token", json={"role": "kitchen_staff", "centre": "mannenstraat"}
        )
        assert refused.status_code in (404, 405)
        page = await client.get("/kitchen/")
    # The pages may call the provider's token endpoint, and nothing else outside.
    assert "connect-src 'self' https://login.leuven.be;" in page.headers["content-security-policy"]
    async with client_for(built, settings("production"), WebLogin(client_id="k")) as client:
        assert (await client.get("/kitchen/config.json")).json()["mode"] == "none"


def test_the_policy_names_the_provider_origin_only() -> None:
    origins = WebLogin(issuer=f"{ISSUER}/x?y", client_id="k").origins()
    assert origins == ("https://login.leuven.be",)
    assert "connect-src 'self' https://login.leuven.be;" in content_security_policy(origins)
    assert WebLogin(client_id="k").origins() == ()


def test_the_coordinator_app_logs_in_at_the_provider_its_service_admits() -> None:
    settings = VolunteersSettings(coordinator_oidc_issuer="https://login.example/realms/city")
    assert tuple(volunteers_definition(settings).csp_connect_sources) == ("https://login.example",)
    assert tuple(volunteers_definition(VolunteersSettings()).csp_connect_sources) == ()
