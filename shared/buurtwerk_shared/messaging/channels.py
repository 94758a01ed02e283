"""Channels closed without waiting for a broker that is away.

aio-pika's robust channels wait for their connection to come back before they can close or cancel
a consumer; a worker that is stopping must not wait with them. What such a close would have done
the broker does itself when it sees the connection gone: it returns the unacknowledged messages.
"""

import asyncio
import contextlib

from aio_pika.abc import AbstractChannel

CLOSE_SECONDS = 1.0


async def close_channel(channel: AbstractChannel) -> None:
    """Close a channel, giving up after `CLOSE_SECONDS` or on any error."""
    with contextlib.suppress(Exception):
        async with asyncio.timeout(CLOSE_SECONDS):
            await channel.close()
