"""Settings of the reporting service (environment prefix `REPORTING_`)."""

from pathlib import Path

from pydantic import Field
from pydantic_settings import SettingsConfigDict

from buurtwerk_shared.config import ServiceSettings
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
    # the dashboard asks for a token to paste (development).
    dashboard_oidc_issuer: str | None = None
    dashboard_oidc_client_id: str = "buurtwerk-dashboard"
    dashboard_oidc_scope: str = "openid profile"
