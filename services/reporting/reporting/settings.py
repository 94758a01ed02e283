"""Settings of the reporting service (environment prefix `REPORTING_`)."""

from pathlib import Path

from pydantic import Field
from pydantic_settings import SettingsConfigDict

from buurtwerk_shared.config import ServiceSettings
from buurtwerk_shared.web.apps import WebLogin
from reporting.catalogue.plan import BUNDLED_PLAN


class ReportingSettings(ServiceSettings):
    """Reporting settings; platform-wide ones come from `BUURTWERK_*`."""

    model_config = SettingsConfigDict(env_prefix="REPORTING_", extra="ignore")

    database_url: str = "postgresql://postgres@127.0.0.1:5432/buurtwerk_reporting"
    http_port: int = 8004
    # The policy plan and its indicator catalogue.
    plan_file: Path = BUNDLED_PLAN
    # Counts of persons below this are withheld from everything that leaves the service.
    suppression_threshold: int = Field(default=5, ge=1)
    # An indicator value is republished at most once per this many seconds (per centre, period).
    publish_debounce_seconds: float = Field(default=2.0, ge=0)
    publish_batch_size: int = Field(default=50, ge=1, le=1000)
    # The dashboard's OpenID Connect login (authorisation code with PKCE); without an issuer
    # it offers the development login form (development mode only).
    dashboard_oidc_issuer: str | None = None
    dashboard_oidc_client_id: str = "buurtwerk-dashboard"
    dashboard_oidc_scope: str = "openid profile offline_access"

    def dashboard_login(self) -> WebLogin:
        """How the dashboard logs in."""
        return WebLogin(
            issuer=self.dashboard_oidc_issuer,
            client_id=self.dashboard_oidc_client_id,
            scope=self.dashboard_oidc_scope,
        )
