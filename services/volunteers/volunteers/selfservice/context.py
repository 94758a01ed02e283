"""The write context of a volunteer acting through a link: the shared shift rules run as for a
coordinator limited to the shift's centre, and the audit log names the volunteer and the link."""

from typing import Any
from uuid import UUID

from fastapi.encoders import jsonable_encoder

from buurtwerk_shared.db.pool import Connection
from buurtwerk_shared.observability.tracing import current_trace_id
from buurtwerk_shared.web.auth import Principal
from buurtwerk_shared.web.writes import WriteContext

# The role the audit log records for what a volunteer does through a link (no token role: a
# link is not a login).
LINK_ROLE = "volunteer_link"


def link_actor(volunteer_id: UUID) -> str:
    """How the audit log and `changed_by` name a volunteer acting through a link."""
    return f"volunteer:{volunteer_id}"


class LinkContext(WriteContext):
    """A `WriteContext` for one link's action."""

    def __init__(self, conn: Connection, volunteer_id: UUID, centre_id: str) -> None:
        # The principal only scopes the shared rules (`assign`, `withdraw`) to the shift's centre.
        principal = Principal(
            sub=link_actor(volunteer_id), role="volunteer_coordinator", centres=(centre_id,)
        )
        super().__init__(conn, principal)

    async def audit(
        self,
        action: str,
        record_type: str,
        record_id: object,
        details: dict[str, Any] | None = None,
    ) -> None:
        """Record the volunteer's action, with the role `volunteer_link`."""
        await link_audit(self.conn, self.principal.sub, action, record_type, record_id, details)


async def link_audit(
    conn: Connection,
    actor: str,
    action: str,
    record_type: str,
    record_id: object,
    details: dict[str, Any] | None = None,
) -> None:
    """One audit row for a use of a link (also a refused one)."""
    await conn.execute(
        "INSERT INTO audit_log (actor, role, action, record_type, record_id, details, trace_id) "
        "VALUES ($1, $2, $3, $4, $5, $6, $7)",
        actor,
        LINK_ROLE,
        action,
        record_type,
        None if record_id is None else str(record_id),
        jsonable_encoder(details or {}),
        current_trace_id(),
    )
