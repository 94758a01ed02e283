"""Bearer headers for tests, signed with the development key."""

from buurtwerk_shared.web.auth import Role, mint_dev_token


def bearer(role: Role, centres: list[str] | None = None, sub: str = "staff-test") -> dict[str, str]:
    """An Authorization header for a caller with this role and centre scope."""
    token = mint_dev_token(role, centres or ["all"], sub=sub)
    return {"Authorization": f"Bearer {token}"}
