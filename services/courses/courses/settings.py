"""Settings of the courses service (environment prefix `COURSES_`)."""

from pydantic import Field
from pydantic_settings import SettingsConfigDict

from buurtwerk_shared.config import ServiceSettings
from buurtwerk_shared.web.apps import WebLogin

# Leuven's sub-municipalities (deelgemeenten) and "outside Leuven": coarse enough to publish.
DEFAULT_NEIGHBOURHOODS = ["Leuven", "Heverlee", "Kessel-Lo", "Wilsele", "Wijgmaal", "buiten Leuven"]


class CoursesSettings(ServiceSettings):
    """Courses settings; platform-wide ones come from `BUURTWERK_*`."""

    model_config = SettingsConfigDict(env_prefix="COURSES_", extra="ignore")

    database_url: str = "postgresql://postgres@127.0.0.1:5432/buurtwerk_courses"
    http_port: int = 8003
    # A participant's neighbourhood travels in events, so it is chosen from this list (set as
    # JSON, e.g. COURSES_NEIGHBOURHOODS='["Heverlee", "Kessel-Lo"]'), never typed freely.
    neighbourhoods: list[str] = Field(
        default_factory=lambda: list(DEFAULT_NEIGHBOURHOODS), min_length=1
    )
    # Retention (see README, "Data protection"): a participant's personal data is erased this
    # many months after they last took part. The centres' courses run by the school year, so a
    # year and a half lets last year's participants be invited to next year's course, and no
    # more: nobody who stopped coming stays on file.
    retention_participant_months: int = Field(default=18, ge=1, le=120)
    # How often the retention sweep runs, and how many participants it erases per transaction.
    retention_sweep_seconds: float = Field(default=3600.0, gt=0)
    retention_batch_size: int = Field(default=50, ge=1, le=1000)
    # The coordinator app's OpenID Connect login (authorisation code with PKCE); without an
    # issuer it offers the development login form (development mode only).
    coordinator_oidc_issuer: str | None = None
    coordinator_oidc_client_id: str = "buurtwerk-courses"
    coordinator_oidc_scope: str = "openid profile offline_access"

    def coordinator_login(self) -> WebLogin:
        """How the course coordinator's app logs in."""
        return WebLogin(
            issuer=self.coordinator_oidc_issuer,
            client_id=self.coordinator_oidc_client_id,
            scope=self.coordinator_oidc_scope,
        )
