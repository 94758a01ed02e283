"""A service's stop, bounded by its grace period whatever is unreachable.

From SIGTERM to exit a service takes at most `BUURTWERK_STOP_GRACE_SECONDS` (default 10 s, well
inside the 30 s that compose and Kubernetes wait before SIGKILL). The period is shared out:
- the HTTP requests in hand get `HTTP_DRAIN_SHARE` of it (uvicorn cancels what is left);
- the workers (consumers, background tasks, then the relay) are told to stop and get the rest,
  but for the two closing steps: a worker still running at its deadline is cancelled, and one
  that outlives even that is left behind (the process exits anyway);
- the broker connection and the database pool get `CLOSE_SECONDS` each; a pool that cannot close
  (its server is unreachable) is terminated.
Whatever could not be finished is said in the log, with what becomes of it.
"""

import asyncio
import contextlib
import logging
from collections.abc import Awaitable, Mapping

log = logging.getLogger(__name__)

HTTP_DRAIN_SHARE = 0.3
# For the broker connection and for the database pool, each.
CLOSE_SECONDS = 1.0
# For a worker cancelled at its deadline to unwind.
CANCEL_SECONDS = 0.5


def http_drain_seconds(grace: float) -> int:
    """The part of the grace period for the HTTP requests in hand (uvicorn takes whole seconds)."""
    return max(1, int(grace * HTTP_DRAIN_SHARE))


def lifespan_seconds(grace: float) -> float:
    """The part of the grace period for the lifespan's shutdown: workers, broker, pool."""
    return grace - http_drain_seconds(grace)


async def stop_workers(workers: Mapping[asyncio.Task[None], str], deadline: float) -> None:
    """Wait for workers already told to stop; cancel the late ones; log what they left undone.

    `workers` maps each task to what becomes of its work if it is cut short; `deadline` is on
    the loop's clock: late workers are cancelled `CANCEL_SECONDS` before it.
    """
    if not workers:
        return
    loop = asyncio.get_running_loop()
    _, late = await asyncio.wait(
        set(workers), timeout=max(deadline - CANCEL_SECONDS - loop.time(), 0.0)
    )
    for task in late:
        log.warning(
            "stopping: %s did not finish within the grace period and is cancelled: %s",
            task.get_name(),
            workers[task],
        )
        task.cancel()
    if late:
        _, stuck = await asyncio.wait(late, timeout=max(deadline - loop.time(), 0.0))
        for task in stuck:
            log.error("stopping: %s did not end when cancelled; left behind", task.get_name())
    for task in workers:
        if task.done() and not task.cancelled() and task.exception() is not None:
            log.error("stopping: %s had failed: %r", task.get_name(), task.exception())


async def close_within(what: str, closing: Awaitable[None], seconds: float = CLOSE_SECONDS) -> bool:
    """Await a close for at most `seconds`; False (and a log line) if it failed or took longer."""
    try:
        async with asyncio.timeout(seconds):
            await closing
    except TimeoutError:
        log.warning("stopping: %s did not close within %.1fs", what, seconds)
        return False
    except Exception as exc:
        log.warning("stopping: %s failed to close: %r", what, exc)
        return False
    return True


async def cancel_and_wait(task: asyncio.Task[None], seconds: float = CANCEL_SECONDS) -> None:
    """Cancel a task that holds no work of value and let it unwind for a moment."""
    task.cancel()
    with contextlib.suppress(TimeoutError):
        async with asyncio.timeout(seconds):
            await asyncio.wait({task})
