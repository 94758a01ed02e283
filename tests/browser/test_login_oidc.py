"""The login of the apps against a real OpenID Provider (`oidc-provider`, started by the test from
`web/testing/oidc-provider.mjs`): meals and reporting run in production mode and verify the
provider's tokens through its JWKS; the kitchen tablet and the dashboard log in with the
authorisation code and PKCE, keep the token in the tab's sessionStorage, and the tablet renews
it before it expires and goes on registering with the new one."""

import json
import secrets
import signal
import subprocess
from collections.abc import Iterator
from contextlib import contextmanager

import httpx
import pytest
from playwright.async_api import Page, expect

from buurtwerk_shared.web.auth import mint_dev_token
from tests.browser.conftest import CENTRE, ServicesFactory
from tests.support.apps import free_port
from tests.support.browser import ROOT, axe, chromium, new_page

pytestmark = pytest.mark.timeout(240)
# Short, so that the renewal (a minute before expiry) is seen within the test.
ACCESS_TOKEN_SECONDS = 75
ACCOUNTS = {
    "kok-mannenstraat": {"role": "kitchen_staff", "centres": [CENTRE]},
    "analist-stad": {"role": "analyst", "centres": ["all"]},
}


@contextmanager
def openid_provider(port: int, redirects: dict[str, str]) -> Iterator[str]:
    """The provider on `port` with a public client per app; its issuer."""
    options = {
        "port": port,
        "accessTokenSeconds": ACCESS_TOKEN_SECONDS,
        "clients": [
            {"client_id": client_id, "redirect_uris": [uri]} for client_id, uri in redirects.items()
        ],
        "accounts": ACCOUNTS,
    }
    process = subprocess.Popen(
        ["node", "testing/oidc-provider.mjs", json.dumps(options)],
        cwd=ROOT / "web",
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert process.stdout is not None
        ready = json.loads(process.stdout.readline())
        yield str(ready["issuer"])
    finally:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def production(issuer: str, service: str) -> dict[str, str]:
    """A service in production mode that trusts the provider's keys."""
    return {
        "BUURTWERK_ENVIRONMENT": "production",
        "BUURTWERK_AUTH__ISSUER": issuer,
        "BUURTWERK_AUTH__JWKS_URL": f"{issuer}/jwks",
        f"{service.upper()}_PSEUDONYM_SECRETS": json.dumps([secrets.token_hex(32)]),
    }


async def sign_in(page: Page, login: str) -> None:
    """At the provider: sign in (any password), then allow the app."""
    await page.wait_for_selector("input[name=login]")
    await page.fill("input[name=login]", login)
    await page.fill("input[name=password]", "wachtwoord")
    await page.click("button[type=submit]")
    await page.wait_for_selector("button[type=submit]")
    await page.click("button[type=submit]")


async def access_token(page: Page) -> str:
    """The access token the app keeps in this tab's sessionStorage."""
    token: str = await page.evaluate(
        """() => Object.keys(sessionStorage).filter(k => k.startsWith("oidc."))
            .map(k => JSON.parse(sessionStorage.getItem(k)).access_token).find(Boolean) || "" """
    )
    return token


async def test_the_kitchen_and_the_dashboard_log_in_with_openid_connect(
    start_services: ServicesFactory,
) -> None:
    port = free_port()
    issuer = f"http://127.0.0.1:{port}"
    async with start_services(
        meals={**production(issuer, "meals"), "MEALS_KITCHEN_OIDC_ISSUER": issuer},
        reporting={
            **production(issuer, "reporting"),
            "REPORTING_DASHBOARD_OIDC_ISSUER": issuer,
            "REPORTING_SUPPRESSION_THRESHOLD": "1",
        },
    ) as running:
        # In production the development tokens the other tests use are refused.
        async with httpx.AsyncClient(base_url=running.url("meals")) as meals:
            development = mint_dev_token("admin", ["all"])
            refused_token = await meals.get(
                "/services", headers={"Authorization": f"Bearer {development}"}
            )
            assert refused_token.status_code == 401
        redirects = {
            "buurtwerk-kitchen": f"{running.url('meals')}/kitchen/",
            "buurtwerk-dashboard": f"{running.url('reporting')}/dashboard/",
        }
        with openid_provider(port, redirects):
            async with httpx.AsyncClient(base_url=running.url("meals")) as meals:
                config = (await meals.get("/kitchen/config.json")).json()
                assert config["mode"] == "oidc"
                assert config["oidc"]["issuer"] == issuer
                # No development login in production.
                refused = await meals.post(
                    "/kitchen/dev-token", json={"role": "admin", "centre": "all"}
                )
                assert refused.status_code in (404, 405)

            async with chromium() as browser:
                context = await browser.new_context(viewport={"width": 1024, "height": 768})
                watched = await new_page(context)
                page = watched.page
                await page.goto(f"{running.url('meals')}/kitchen/")
                login = page.get_by_role("button", name="Aanmelden bij de stad")
                await expect(login).to_be_visible()
                await axe(page, "kitchen-login-oidc")
                await login.click()
                await sign_in(page, "kok-mannenstraat")
                await page.wait_for_url(f"{running.url('meals')}/kitchen/")
                await expect(page.locator(".app-bar .who")).to_contain_text(
                    "Keukenmedewerker · Buurtcentrum Mannenstraat"
                )
                # No service planned today: the till says so, for the centre of the token.
                await expect(page.locator("main")).to_contain_text(
                    "Vandaag is er geen maaltijddienst in Buurtcentrum Mannenstraat"
                )
                first = await access_token(page)
                assert first.count(".") == 2, "a JWT access token"
                assert first not in json.dumps(await page.evaluate("() => ({...localStorage})")), (
                    "the token stays in this tab"
                )
                # Renewed before it expires (with the refresh token), without a reload.
                await page.wait_for_function(
                    "(first) => Object.keys(sessionStorage).some(k => k.startsWith('oidc.')"
                    " && JSON.parse(sessionStorage.getItem(k)).access_token !== first)",
                    arg=first,
                    timeout=(ACCESS_TOKEN_SECONDS - 30) * 1000,
                )
                renewed = await access_token(page)
                assert renewed != first
                # The services accept the renewed token (verified through the provider's keys).
                async with httpx.AsyncClient(base_url=running.url("meals")) as meals:
                    me = await meals.get(
                        "/services",
                        params={"centre_id": CENTRE},
                        headers={"Authorization": f"Bearer {renewed}"},
                    )
                    assert me.status_code == 200, me.text
                    other = await meals.get(
                        "/services",
                        params={"centre_id": "sint-maartensdal"},
                        headers={"Authorization": f"Bearer {renewed}"},
                    )
                    assert other.status_code == 403
                watched.assert_clean()
                await context.close()

                # The dashboard logs in the same way, as an analyst.
                context = await browser.new_context(viewport={"width": 1280, "height": 900})
                watched = await new_page(context)
                page = watched.page
                await page.goto(f"{running.url('reporting')}/dashboard/")
                await page.get_by_role("button", name="Aanmelden bij de stad").click()
                await sign_in(page, "analist-stad")
                await page.wait_for_selector("body[data-ready=true]", timeout=60_000)
                await expect(page.locator("#tree")).to_contain_text("AP1.2.c")
                await expect(page.locator(".app-bar .who")).to_contain_text("Analist")
                await axe(page, "dashboard-oidc")
                watched.assert_clean()
                await context.close()
