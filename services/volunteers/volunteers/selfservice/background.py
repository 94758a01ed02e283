"""The self-service's background work: reminders and invitations are looked for every
`self_service_sweep_seconds`, each sweep in its own transaction (one replica sweeps at a time),
with the time from the injected clock."""

import asyncio
import contextlib
import datetime as dt
import logging

from buurtwerk_shared.messaging.consumer import TRANSIENT_ERRORS
from buurtwerk_shared.retention import Clock
from buurtwerk_shared.service.definition import BackgroundContext, BackgroundTask
from volunteers.selfservice.gaps import invite_for_gaps
from volunteers.selfservice.reminders import send_reminders
from volunteers.settings import VolunteersSettings

log = logging.getLogger(__name__)


def self_service_task(settings: VolunteersSettings, clock: Clock) -> BackgroundTask:
    """Reminders due, then invitations for open places, again and again until the service
    stops."""
    lead = dt.timedelta(hours=settings.reminder_lead_hours)
    window = dt.timedelta(hours=settings.gap_window_hours)
    wave = dt.timedelta(minutes=settings.invitation_wave_minutes)

    async def run_self_service(context: BackgroundContext) -> None:
        while not context.stopping.is_set():
            try:
                async with context.pool.acquire() as conn, conn.transaction():
                    reminded = await send_reminders(conn, clock(), lead, settings.public_base_url)
                async with context.pool.acquire() as conn, conn.transaction():
                    invited = await invite_for_gaps(
                        conn, clock(), window, wave, settings.public_base_url,
                        settings.invitation_batch,
                    )  # fmt: skip
                if reminded or invited:
                    log.info("self-service: %d reminded, %d invited", reminded, invited)
            except TRANSIENT_ERRORS as exc:
                log.warning("self-service: database unavailable, retrying later: %r", exc)
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(context.stopping.wait(), settings.self_service_sweep_seconds)

    return run_self_service
