"""The routes every service gets from the skeleton, and a helper to build the matrix's records."""

from typing import Any

import httpx

from tests.integration.security.matrix import Rule, city_wide, public
from tests.support.tokens import bearer

# The records of the matrix are made by a city-wide administrator.
BUILDER = bearer("admin", ["all"], sub="matrix-builder")

SHARED_ROUTES: dict[tuple[str, str], Rule] = {
    ("GET", "/health/live"): public(),
    ("GET", "/health/ready"): public(),
    ("HEAD", "/health/live"): public(),
    ("HEAD", "/health/ready"): public(),
    ("GET", "/audit"): city_wide(),
}


async def made(
    client: httpx.AsyncClient, method: str, url: str, body: dict[str, Any] | None = None
) -> Any:
    """Make a record through the API as the builder; its JSON."""
    response = await client.request(method, url, json=body, headers=BUILDER)
    assert response.is_success, f"{method} {url}: {response.status_code} {response.text}"
    return response.json()
