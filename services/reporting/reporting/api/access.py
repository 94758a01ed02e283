"""Who may read which figures.

Analysts, centre coordinators and admins read the figures of the centres in their token (all of
them with `["all"]`) and the city-wide figures: everything that leaves the service is
suppressed, so the city's figures are as safe for a centre's coordinator as for the council.
Analysts record manual values, for a centre in their token or, with a city-wide token, for the
city. Other roles read nothing here.
"""

from typing import Annotated

from buurtwerk_shared.web.auth import (
    ALL_CENTRES,
    Principal,
    ensure_centre,
    ensure_city_wide,
    require_role,
)

Reader = Annotated[Principal, require_role("analyst", "centre_coordinator")]
Analyst = Annotated[Principal, require_role("analyst")]


def check_centre(principal: Principal, centre_id: str | None) -> None:
    """403 unless the caller may read this centre (None, the city, is open to every reader)."""
    if centre_id is not None:
        ensure_centre(principal, centre_id)


def check_writable(principal: Principal, centre_id: str | None) -> None:
    """403 unless the caller may record a value for this centre, or (None) for the city."""
    if centre_id is None:
        ensure_city_wide(principal, "a value for the whole city")
    else:
        ensure_centre(principal, centre_id)


def visible_centres(principal: Principal, centres: tuple[str, ...]) -> list[str]:
    """The centres whose figures the caller may read, in reference order."""
    if ALL_CENTRES in principal.centres:
        return list(centres)
    return [centre for centre in centres if principal.sees_centre(centre)]
