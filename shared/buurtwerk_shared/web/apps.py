"""Serving a web app of `web/` (the kitchen tablet, the dashboard) from the service it talks to.

`make install` builds each app (`web/build.mjs`) into its service's package; `web_app` serves
those files under `/<app>/` with the headers they need, and two small routes for the login
that every app shares (`web/kit/src/auth.js`):

- `GET /<app>/config.json` (public): how to log in. OpenID Connect (authorisation code with
  PKCE) when an issuer is configured; otherwise, in development mode only, a form to choose a
  role and a centre.
- `POST /<app>/dev-token` (development mode only; the route does not exist in production): a
  development token for the role and centre chosen in that form, signed with the development
  key that `make token` uses.

The apps have no inline script or style and load nothing from another host: they live under the
Content-Security-Policy every answer carries (`buurtwerk_shared.web.headers`), whose `connect-src`
admits the identity provider of their login (`WebLogin.origins`, declared by the service).
"""

from datetime import timedelta
from pathlib import Path
from typing import Literal
from urllib.parse import urlsplit

from fastapi import APIRouter, Response
from fastapi.responses import FileResponse, RedirectResponse
from pydantic import BaseModel, Field

from buurtwerk_shared.config import ServiceSettings
from buurtwerk_shared.contracts.types import CentreId
from buurtwerk_shared.reference import reference_data
from buurtwerk_shared.web.auth import ALL_CENTRES, Role, forbidden, mint_dev_token
from buurtwerk_shared.web.problems import Problem, not_found, unprocessable

DEV_TOKEN_LIFETIME = timedelta(hours=8)
# Who uses which app, by the app's name in the platform (its `link`, unique across services; its
# path may repeat on another service): its development form offers these roles, and the other
# apps link to it for them (an admin passes every role check, so every app is linked for one).
APP_ROLES: dict[str, tuple[Role, ...]] = {
    "kitchen": ("kitchen_staff", "centre_coordinator"),
    "dashboard": ("analyst", "centre_coordinator", "admin"),
    "volunteers": ("volunteer_coordinator", "admin"),
    "courses": ("course_coordinator", "centre_coordinator"),
}
# Files whose names carry a hash of their content never change; everything else is asked again.
IMMUTABLE = "public, max-age=31536000, immutable"
REVALIDATE = "no-cache"
_MEDIA_TYPES = {
    ".html": "text/html; charset=utf-8",
    ".js": "text/javascript; charset=utf-8",
    ".css": "text/css; charset=utf-8",
    ".json": "application/json",
    ".webmanifest": "application/manifest+json",
    ".png": "image/png",
    ".svg": "image/svg+xml",
    ".ico": "image/x-icon",
    ".txt": "text/plain; charset=utf-8",
}


class WebLogin(BaseModel):
    """How an app logs in: the identity provider (OpenID Connect), if one is configured."""

    issuer: str | None = None
    client_id: str
    scope: str = "openid profile"

    def origins(self) -> tuple[str, ...]:
        """The identity provider's origin, which the app's scripts call (discovery document,
        token requests): the service's Content-Security-Policy lets it in `connect-src`."""
        if not self.issuer:
            return ()
        issuer = urlsplit(self.issuer)
        return (f"{issuer.scheme}://{issuer.netloc}",)


class OidcLogin(BaseModel):
    """The identity provider and the app's public client there."""

    issuer: str
    client_id: str
    scope: str


class CentreChoice(BaseModel):
    """A centre and its names (public reference data)."""

    id: str
    nl: str
    en: str


class AppLink(BaseModel):
    """Another app of the platform, and the roles that use it."""

    name: str
    url: str
    roles: list[Role]


class LoginConfig(BaseModel):
    """What an app needs to log in; public, it holds no secret."""

    mode: Literal["oidc", "development", "none"] = Field(
        description=(
            "`oidc`: OpenID Connect; `development`: the development form (development mode "
            "only); `none`: no login is configured (production without an issuer)."
        )
    )
    oidc: OidcLogin | None
    roles: list[Role] = Field(description="The roles the development form offers.")
    centres: list[CentreChoice] = Field(
        description="The city's centres with their names (the development form offers them)."
    )
    apps: list[AppLink] = Field(
        default_factory=list,
        description="The platform's other apps: each app links to those its user's role uses.",
    )


class DevTokenRequest(BaseModel):
    """The role and centre chosen in the development login form."""

    role: Role
    centre: CentreId | Literal["all"]


class DevToken(BaseModel):
    """A development bearer token."""

    access_token: str
    token_type: Literal["Bearer"] = "Bearer"
    expires_in: int = Field(description="Seconds until it expires.")


def web_app(
    name: str,
    static: Path,
    settings: ServiceSettings,
    login: WebLogin,
    roles: tuple[Role, ...] | None = None,
    *,
    link: str | None = None,
) -> APIRouter:
    """The routes of the app served at `/<name>/` and built into `static`, logging in as `login`
    says. `link` is its name in the platform (`APP_ROLES`, `BUURTWERK_APP_URLS`; `name` by
    default); the development form offers `roles`, by default those of `APP_ROLES[link]`."""
    link = link or name
    roles = roles or APP_ROLES[link]
    router = APIRouter(tags=[name])
    development = settings.platform.environment == "development"
    base = f"/{name}/"

    def file(relative: str) -> FileResponse:
        root = static.resolve()
        path = (root / relative).resolve()
        if not path.is_relative_to(root) or not path.is_file() or path.suffix not in _MEDIA_TYPES:
            if not (root / "index.html").is_file():
                raise Problem(
                    503,
                    "App not built",
                    f"the {name} app is not built: run `make install` (npm ci and the web build)",
                    code="app-not-built",
                )
            raise not_found(f"{name} file '{relative}'", field="path.path")
        hashed = path.parent.name == "assets"
        return FileResponse(
            path,
            media_type=_MEDIA_TYPES[path.suffix],
            headers={
                "Cache-Control": IMMUTABLE if hashed else REVALIDATE,
            },
        )

    @router.get(f"/{name}", include_in_schema=False)
    async def without_slash() -> RedirectResponse:
        return RedirectResponse(base)

    @router.get(base, include_in_schema=False)
    async def shell() -> FileResponse:
        """The app's page (public: it holds no data)."""
        return file("index.html")

    @router.get(f"{base}config.json", response_model=LoginConfig, summary=f"{name}: login")
    async def config(response: Response) -> LoginConfig:
        """Public: how the app logs in (OpenID Connect, or the development form)."""
        response.headers["Cache-Control"] = REVALIDATE
        mode: Literal["oidc", "development", "none"] = (
            "oidc" if login.issuer else "development" if development else "none"
        )
        return LoginConfig(
            mode=mode,
            oidc=(
                OidcLogin(issuer=login.issuer, client_id=login.client_id, scope=login.scope)
                if login.issuer
                else None
            ),
            roles=list(roles) if mode == "development" else [],
            centres=[CentreChoice(id=c.id, nl=c.nl, en=c.en) for c in reference_data().centres],
            apps=[
                AppLink(name=app, url=url, roles=list(APP_ROLES.get(app, ())))
                for app, url in settings.platform.app_urls.items()
                if app != link
            ],
        )

    if development:

        @router.post(f"{base}dev-token", response_model=DevToken, include_in_schema=False)
        async def dev_token(body: DevTokenRequest) -> DevToken:
            """A development token (development mode only), for the development login form."""
            auth = settings.platform.auth
            if auth.dev_signing_key is None:
                raise forbidden("development tokens are not accepted here")
            if body.role not in roles:
                raise unprocessable(f"the {name} app is for {', '.join(roles)}", "body.role")
            token = mint_dev_token(
                body.role,
                [ALL_CENTRES if body.centre == "all" else body.centre],
                sub=f"dev-{body.role}-{body.centre}",
                ttl=DEV_TOKEN_LIFETIME,
                key=auth.dev_signing_key.get_secret_value(),
                issuer=auth.issuer,
                audience=auth.audience,
            )
            return DevToken(access_token=token, expires_in=int(DEV_TOKEN_LIFETIME.total_seconds()))

    @router.get(base + "{path:path}", include_in_schema=False)
    async def asset(path: str) -> FileResponse:
        """The app's scripts, styles, icons, manifest and service worker."""
        return file(path)

    return router
