"""Settings of the HACCP reminder scheduler (environment prefix `REPORTING_REMINDERS_`)."""

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict


class RemindersSettings(BaseSettings):
    """How the scheduler polls and how far back it still announces what it missed."""

    model_config = SettingsConfigDict(env_prefix="REPORTING_REMINDERS_", extra="ignore")

    # The longest sleep between two looks at the schedule; the scheduler otherwise wakes at the
    # next known due time, so this only bounds how late it notices an event that changed it.
    poll_seconds: float = Field(default=1.0, gt=0, le=60)
    # Occurrences found more than this late (reporting was down, or rebuilt from the archive)
    # are counted for the indicator but not announced.
    catch_up_hours: float = Field(default=24.0, ge=0)
    # Occurrences (or checks) handled per transaction.
    batch_size: int = Field(default=200, ge=1, le=5000)
