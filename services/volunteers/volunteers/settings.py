"""Settings of the volunteers service (environment prefix `VOLUNTEERS_`)."""

from pydantic_settings import SettingsConfigDict

from buurtwerk_shared.config import ServiceSettings


class VolunteersSettings(ServiceSettings):
    """Volunteers settings; platform-wide ones come from `BUURTWERK_*`."""

    model_config = SettingsConfigDict(env_prefix="VOLUNTEERS_", extra="ignore")

    database_url: str = "postgresql://postgres@127.0.0.1:5432/buurtwerk_volunteers"
    http_port: int = 8002
