"""Settings of the volunteers service (environment prefix `VOLUNTEERS_`)."""

from pydantic import Field
from pydantic_settings import SettingsConfigDict

from buurtwerk_shared.config import ServiceSettings


class VolunteersSettings(ServiceSettings):
    """Volunteers settings; platform-wide ones come from `BUURTWERK_*`."""

    model_config = SettingsConfigDict(env_prefix="VOLUNTEERS_", extra="ignore")

    database_url: str = "postgresql://postgres@127.0.0.1:5432/buurtwerk_volunteers"
    http_port: int = 8002
    # A volunteer counts as on duty (for the notifier) from this long before the shift starts.
    on_duty_lead_minutes: int = Field(default=60, ge=0, le=24 * 60)
    # How often the service looks for volunteers who reached a years-of-service milestone.
    milestone_sweep_seconds: float = Field(default=3600.0, gt=0)
