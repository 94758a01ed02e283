"""Settings of the courses service (environment prefix `COURSES_`)."""

from pydantic_settings import SettingsConfigDict

from buurtwerk_shared.config import ServiceSettings


class CoursesSettings(ServiceSettings):
    """Courses settings; platform-wide ones come from `BUURTWERK_*`."""

    model_config = SettingsConfigDict(env_prefix="COURSES_", extra="ignore")

    database_url: str = "postgresql://postgres@127.0.0.1:5432/buurtwerk_courses"
    http_port: int = 8003
