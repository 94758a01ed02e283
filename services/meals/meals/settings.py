"""Settings of the meals service (environment prefix `MEALS_`)."""

import datetime as dt

from pydantic import Field
from pydantic_settings import SettingsConfigDict

from buurtwerk_shared.config import ServiceSettings
from buurtwerk_shared.web.apps import WebLogin
from buurtwerk_shared.web.fields import LocalTime


class MealsSettings(ServiceSettings):
    """Meals settings; platform-wide ones come from `BUURTWERK_*`."""

    model_config = SettingsConfigDict(env_prefix="MEALS_", extra="ignore")

    database_url: str = "postgresql://postgres@127.0.0.1:5432/buurtwerk_meals"
    http_port: int = 8001
    # A service nobody closed closes itself at this local (Brussels) time after its day; it is
    # stored with the service when it is planned.
    auto_close_time: LocalTime = dt.time(0, 0)
    # How often the background task looks for services whose closing time has passed.
    auto_close_poll_seconds: float = Field(default=30.0, gt=0)
    auto_close_batch_size: int = Field(default=100, ge=1, le=1000)
    # The kitchen tablet's OpenID Connect login (authorisation code with PKCE); without an issuer
    # it offers the development login form (development mode only).
    kitchen_oidc_issuer: str | None = None
    kitchen_oidc_client_id: str = "buurtwerk-kitchen"
    kitchen_oidc_scope: str = "openid profile offline_access"

    def kitchen_login(self) -> WebLogin:
        """How the kitchen tablet logs in."""
        return WebLogin(
            issuer=self.kitchen_oidc_issuer,
            client_id=self.kitchen_oidc_client_id,
            scope=self.kitchen_oidc_scope,
        )
