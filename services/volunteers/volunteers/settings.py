"""Settings of the volunteers service (environment prefix `VOLUNTEERS_`)."""

from pydantic import Field
from pydantic_settings import SettingsConfigDict

from buurtwerk_shared.config import ServiceSettings
from buurtwerk_shared.web.apps import WebLogin


class VolunteersSettings(ServiceSettings):
    """Volunteers settings; platform-wide ones come from `BUURTWERK_*`."""

    model_config = SettingsConfigDict(env_prefix="VOLUNTEERS_", extra="ignore")

    database_url: str = "postgresql://postgres@127.0.0.1:5432/buurtwerk_volunteers"
    http_port: int = 8002
    # A volunteer counts as on duty (for the notifier) from this long before the shift starts.
    on_duty_lead_minutes: int = Field(default=60, ge=0, le=24 * 60)
    # How often the service looks for volunteers who reached a years-of-service milestone.
    milestone_sweep_seconds: float = Field(default=3600.0, gt=0)
    # Retention (see README, "Data protection"): a volunteer's personal data is erased this many
    # months after they left, having been active: long enough to come back without registering
    # again and for the allowance statement of the year they left to be checked in the next
    # year's tax return; no longer, so that no list of former volunteers is kept.
    retention_left_months: int = Field(default=24, ge=1, le=120)
    # ... and this many months after the last step of an application that never led to active
    # service (still applied, in intake or onboarding, or left before becoming active).
    retention_applicant_months: int = Field(default=6, ge=1, le=120)
    # How often the retention sweep runs, and how many people it erases per transaction.
    retention_sweep_seconds: float = Field(default=3600.0, gt=0)
    retention_batch_size: int = Field(default=50, ge=1, le=1000)
    # The coordinator's app's OpenID Connect login (authorisation code with PKCE); without an
    # issuer it offers the development login form (development mode only).
    coordinator_oidc_issuer: str | None = None
    coordinator_oidc_client_id: str = "buurtwerk-volunteers-coordinator"
    coordinator_oidc_scope: str = "openid profile offline_access"
    # Self-service by link (`volunteers.selfservice`). Links in mails point at this address: the
    # service as volunteers reach it (behind the proxy in production).
    public_base_url: str = "http://127.0.0.1:8002"
    # Assigned volunteers get a reminder with "I'll be there" / "I can't come" this long before.
    reminder_lead_hours: int = Field(default=48, ge=1, le=14 * 24)
    # A place that opens within this long before the shift is offered to other volunteers.
    gap_window_hours: int = Field(default=48, ge=1, le=14 * 24)
    # How many volunteers one round of invitations goes to, and how long before the next round
    # when the place is still open.
    invitation_batch: int = Field(default=3, ge=1, le=50)
    invitation_wave_minutes: int = Field(default=60, ge=1, le=24 * 60)
    # How often reminders and invitations are looked for, and mail handed to the SMTP server.
    self_service_sweep_seconds: float = Field(default=60.0, gt=0)
    mail_send_seconds: float = Field(default=5.0, gt=0)
    # Back-off after a failed attempt to hand a mail over: doubled per attempt, up to the most.
    mail_retry_base_seconds: float = Field(default=30.0, gt=0)
    mail_retry_max_seconds: float = Field(default=3600.0, gt=0)
    # Requests to link pages per client address and minute (per process).
    link_requests_per_minute: int = Field(default=30, ge=1, le=10_000)

    def coordinator_login(self) -> WebLogin:
        """How the coordinator's app logs in."""
        return WebLogin(
            issuer=self.coordinator_oidc_issuer,
            client_id=self.coordinator_oidc_client_id,
            scope=self.coordinator_oidc_scope,
        )
