"""The reporting service's expectations in the authorisation matrix, and the records it runs on."""

import httpx

from buurtwerk_shared.web.auth import Role
from tests.integration.security.matrix import (
    OWN,
    OWN_KITCHEN,
    Rule,
    World,
    listing,
    own_centre,
    public,
)
from tests.integration.security.shared_routes import SHARED_ROUTES, made

READERS: tuple[Role, ...] = ("analyst", "centre_coordinator")
SECRET_STATUS = "Geheime stand van zaken in de Mannenstraat"

ROUTES: dict[tuple[str, str], Rule] = {
    **SHARED_ROUTES,
    ("GET", "/indicators/{indicator_id}"): own_centre(
        *READERS, query=lambda _: {"period": "2026", "centre_id": OWN}
    ),
    ("GET", "/indicators/{indicator_id}/series"): own_centre(
        *READERS, query=lambda _: {"granularity": "year", "centre_id": OWN}
    ),
    ("GET", "/tree"): listing(*READERS, query=lambda _: {"period": "2026"}),
    ("GET", "/report.csv"): listing(
        *READERS, query=lambda _: {"granularity": "year", "from": "2026-01-01", "to": "2026-12-31"}
    ),
    ("POST", "/manual-values"): own_centre(
        "analyst",
        body=lambda _: {
            "indicator_id": "team.staff_fte",
            "centre_id": OWN,
            "period": "2026",
            "value": 2.5,
            "source_note": "Personeelsdienst",
        },
    ),
    ("GET", "/manual-values"): own_centre(*READERS, query=lambda _: {"centre_id": OWN}),
    ("GET", "/dashboard/config.json"): public(),
    ("GET", "/reminders"): own_centre(
        "kitchen_staff",
        "centre_coordinator",
        "notifier",
        query=lambda _: {"kitchen_id": OWN_KITCHEN},
    ),
}


async def reporting_world(client: httpx.AsyncClient) -> World:
    """A status of the own centre recorded as a manual value: in the tree and the report of those
    who see the centre, and of nobody else."""
    world = World(ids={"indicator_id": "kettekeet.status"})
    recorded = await made(
        client,
        "POST",
        "/manual-values",
        {
            "indicator_id": "kettekeet.status",
            "centre_id": OWN,
            "period": "2026",
            "value": SECRET_STATUS,
            "source_note": "Verslag stuurgroep",
        },
    )
    world.add("manual_value_id", recorded["id"])
    world.secrets.add(SECRET_STATUS)
    return world
