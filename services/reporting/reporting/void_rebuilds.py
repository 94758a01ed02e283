"""The background task that takes voided events out of the projections: a rebuild that skips them.

The live consumer records every void (`reporting.projections.voids`); this task notices a void no
rebuild has taken out yet and runs one. Replicas share the database: the rebuild lock lets one
of them do it, and the others see the voids taken out when it has swapped in.
"""

import asyncio
import contextlib
import logging
from typing import cast

from buurtwerk_shared.service.definition import BackgroundContext
from reporting.rebuild import Rebuild, RebuildRunning
from reporting.settings import ReportingSettings

log = logging.getLogger(__name__)

# How often the task looks for voids not taken out yet; a void is rare, the query is an index.
POLL_SECONDS = 1.0
_PENDING = "SELECT exists(SELECT 1 FROM voided_events WHERE NOT taken_out)"


async def run_void_rebuilds(context: BackgroundContext) -> None:
    """Rebuild whenever a recorded void has not been taken out of the projections yet."""
    settings = cast(ReportingSettings, context.settings)
    while not context.stopping.is_set():
        if await context.pool.fetchval(_PENDING):
            try:
                report = await Rebuild(settings).run()
            except RebuildRunning:
                log.info("voided events wait for the rebuild that is running")
            else:
                log.info(
                    "voided events taken out: rebuilt from %d events, %d voided skipped in %.1f s",
                    report.events_read,
                    report.events_voided,
                    report.seconds,
                )
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(context.stopping.wait(), POLL_SECONDS)
