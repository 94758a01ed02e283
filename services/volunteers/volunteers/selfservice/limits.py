"""A per-client limit on link requests, in this process: a link's token cannot be guessed (256
random bits), so the limit is against a client hammering the pages, the audit log and the
database. Each replica counts on its own; the proxy in front can add a global limit."""

import time
from collections import deque


class RequestLimit:
    """At most `per_minute` requests per client address in any 60 seconds."""

    WINDOW_SECONDS = 60.0

    def __init__(self, per_minute: int, max_clients: int = 10_000) -> None:
        self._per_minute = per_minute
        self._max_clients = max_clients
        self._seen: dict[str, deque[float]] = {}

    def allow(self, client: str, at: float | None = None) -> bool:
        """Count a request of `client`; whether it is within the limit."""
        at = time.monotonic() if at is None else at
        recent = self._seen.get(client)
        if recent is None:
            if len(self._seen) >= self._max_clients:
                self._forget_idle(at)
            recent = self._seen[client] = deque()
        while recent and recent[0] <= at - self.WINDOW_SECONDS:
            recent.popleft()
        if len(recent) >= self._per_minute:
            return False
        recent.append(at)
        return True

    def _forget_idle(self, at: float) -> None:
        # Bounded memory: clients without a request in the window are dropped.
        for client in [
            c
            for c, times in self._seen.items()
            if not times or times[-1] <= at - self.WINDOW_SECONDS
        ]:
            del self._seen[client]
