"""Settings of the meals service (environment prefix `MEALS_`)."""

from pydantic_settings import SettingsConfigDict

from buurtwerk_shared.config import ServiceSettings


class MealsSettings(ServiceSettings):
    """Meals settings; platform-wide ones come from `BUURTWERK_*`."""

    model_config = SettingsConfigDict(env_prefix="MEALS_", extra="ignore")

    database_url: str = "postgresql://postgres@127.0.0.1:5432/buurtwerk_meals"
    http_port: int = 8001
