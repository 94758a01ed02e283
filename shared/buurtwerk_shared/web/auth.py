"""Bearer-token authentication and role/centre authorisation.

Tokens are JWTs with the claims `sub` (the staff id), `role` and `centres` (a list of centre ids,
or `["all"]`). In production they are verified against the city's identity provider (a JWKS URL
or a configured public key); in development against a local signing key (`make token`).
"""

from datetime import UTC, datetime, timedelta
from typing import Annotated, Any, Literal

import jwt
from fastapi import Depends, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from buurtwerk_shared.config import DEV_ISSUER, DEV_SIGNING_KEY, AuthSettings
from buurtwerk_shared.web.problems import Problem

Role = Literal[
    "kitchen_staff",
    "centre_coordinator",
    "volunteer_coordinator",
    "course_coordinator",
    "analyst",
    "notifier",
    "admin",
]
ALL_CENTRES = "all"


class Principal(BaseModel):
    """The verified caller."""

    model_config = ConfigDict(frozen=True)

    sub: str = Field(min_length=1, max_length=128)
    role: Role
    centres: tuple[str, ...] = Field(min_length=1)

    def sees_centre(self, centre_id: str) -> bool:
        """Whether the caller's centre scope includes this centre."""
        return ALL_CENTRES in self.centres or centre_id in self.centres


def unauthorized(detail: str) -> Problem:
    """401: no token, or one that does not verify."""
    return Problem(401, "Unauthorized", detail, code="unauthorized")


def forbidden(detail: str) -> Problem:
    """403: a valid token whose role or centre scope does not allow this."""
    return Problem(403, "Forbidden", detail, code="forbidden")


class TokenVerifier:
    """Verifies bearer tokens against the configured issuer and keys."""

    def __init__(self, settings: AuthSettings) -> None:
        self._settings = settings
        self._jwks = jwt.PyJWKClient(settings.jwks_url) if settings.jwks_url else None

    def verify(self, token: str) -> Principal:
        """The principal of a valid token; raises a 401 `Problem` otherwise."""
        try:
            key, algorithms = self._key_for(token)
            claims = jwt.decode(
                token,
                key,
                algorithms=algorithms,
                audience=self._settings.audience,
                issuer=self._settings.issuer,
                options={"require": ["sub", "exp", "iss", "aud"]},
            )
            return Principal.model_validate(
                {"sub": claims["sub"], "role": claims.get("role"), "centres": claims.get("centres")}
            )
        except (jwt.PyJWTError, ValidationError) as exc:
            raise unauthorized(f"invalid bearer token: {_reason(exc)}") from exc

    def _key_for(self, token: str) -> tuple[Any, list[str]]:
        if self._jwks is not None:
            return self._jwks.get_signing_key_from_jwt(token).key, self._settings.algorithms
        if self._settings.public_key:
            return self._settings.public_key, self._settings.algorithms
        if self._settings.dev_signing_key is not None:
            return self._settings.dev_signing_key.get_secret_value(), ["HS256"]
        raise jwt.InvalidKeyError("no verification key is configured")


def _reason(exc: Exception) -> str:
    if isinstance(exc, ValidationError):
        return "claims role/centres missing or invalid"
    return str(exc) or type(exc).__name__


_bearer = HTTPBearer(auto_error=False)


async def current_principal(
    request: Request,
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)],
) -> Principal:
    """FastAPI dependency: the verified caller, or 401."""
    # Every dependency here is async: FastAPI runs a plain function in its thread pool, and the
    # hops to and from it halved the registrations a meals process could answer.
    if credentials is None or credentials.scheme.lower() != "bearer":
        raise unauthorized("a bearer token is required")
    verifier: TokenVerifier = request.app.state.token_verifier
    principal = verifier.verify(credentials.credentials)
    request.state.principal = principal
    return principal


def require_role(*roles: Role) -> Any:
    """FastAPI dependency factory: the caller, if their role is one of `roles` (admin always)."""

    async def dependency(principal: Annotated[Principal, Depends(current_principal)]) -> Principal:
        if principal.role != "admin" and principal.role not in roles:
            raise forbidden(f"role '{principal.role}' may not do this")
        return principal

    return Depends(dependency)


async def _city_wide_admin(
    principal: Annotated[Principal, Depends(current_principal)],
) -> Principal:
    if principal.role != "admin":
        raise forbidden(f"role '{principal.role}' may not do this")
    if ALL_CENTRES not in principal.centres:
        raise forbidden("this holds for every centre: it needs an admin token for all centres")
    return principal


# An administrator whose token covers every centre (`["all"]`): the only caller who may change
# what holds for every centre (the audit log, legal caps, role requirements). An administrator
# of some centres passes every role check, but not this one.
CityWideAdmin = Annotated[Principal, Depends(_city_wide_admin)]


def ensure_centre(principal: Principal, centre_id: str) -> None:
    """403 unless the caller's centre scope includes `centre_id`."""
    if not principal.sees_centre(centre_id):
        raise forbidden(f"your token does not cover centre '{centre_id}'")


def ensure_city_wide(principal: Principal, what: str) -> None:
    """403 unless the caller's token covers every centre (`["all"]`): for city-wide records."""
    if ALL_CENTRES not in principal.centres:
        raise forbidden(f"{what} is city-wide: it needs a token for all centres")


def mint_dev_token(
    role: Role,
    centres: list[str],
    sub: str = "dev-user",
    ttl: timedelta = timedelta(hours=12),
    key: str = DEV_SIGNING_KEY,
    issuer: str = DEV_ISSUER,
    audience: str = "buurtwerk",
) -> str:
    """A development token signed with the local key (never accepted in production)."""
    now = datetime.now(UTC)
    claims = {
        "sub": sub,
        "role": role,
        "centres": centres,
        "iss": issuer,
        "aud": audience,
        "iat": now,
        "exp": now + ttl,
    }
    return jwt.encode(claims, key, algorithm="HS256")
