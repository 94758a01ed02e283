"""Settings of the reporting service (environment prefix `REPORTING_`)."""

from pydantic_settings import SettingsConfigDict

from buurtwerk_shared.config import ServiceSettings


class ReportingSettings(ServiceSettings):
    """Reporting settings; platform-wide ones come from `BUURTWERK_*`."""

    model_config = SettingsConfigDict(env_prefix="REPORTING_", extra="ignore")

    database_url: str = "postgresql://postgres@127.0.0.1:5432/buurtwerk_reporting"
    http_port: int = 8004
