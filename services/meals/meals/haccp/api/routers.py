"""Every HACCP router, for the service definition."""

from meals.haccp.api import (
    checks,
    deliveries,
    deviations,
    equipment,
    export,
    processes,
    refurbishment,
)

ROUTERS = [
    equipment.router,
    checks.router,
    deviations.router,
    processes.router,
    deliveries.router,
    refurbishment.router,
    export.router,
]
