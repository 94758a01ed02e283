"""Who may read which figures.

Analysts and admins read every centre and the city. A centre coordinator reads their own
centres and the city-wide figures: everything that leaves the service is suppressed, so the
city's figures are as safe for them as for the council. Other roles read nothing here.
"""

from typing import Annotated

from buurtwerk_shared.web.auth import Principal, ensure_centre, require_role

Reader = Annotated[Principal, require_role("analyst", "centre_coordinator")]
Analyst = Annotated[Principal, require_role("analyst")]


def sees_all(principal: Principal) -> bool:
    """Analysts and admins see every centre."""
    return principal.role in ("analyst", "admin")


def check_centre(principal: Principal, centre_id: str | None) -> None:
    """403 unless the caller may read this centre (None, the city, is open to every reader)."""
    if centre_id is not None and not sees_all(principal):
        ensure_centre(principal, centre_id)


def visible_centres(principal: Principal, centres: tuple[str, ...]) -> list[str]:
    """The centres whose figures the caller may read, in reference order."""
    if sees_all(principal):
        return list(centres)
    return [centre for centre in centres if principal.sees_centre(centre)]
