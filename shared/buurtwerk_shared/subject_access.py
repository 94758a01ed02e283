"""Subject access: what the audit log of a service holds about one person's records.

A subject access export lists, beside the person's data, every audited action on their records:
when, what, and by which role. The staff member's id is left out: the person is entitled to know
when and why their data was consulted or changed, not by which employee.
"""

import datetime as dt
from collections.abc import Sequence
from uuid import UUID

from pydantic import BaseModel

from buurtwerk_shared.db.pool import Connection

# A row is about the person when it names one of their records as its own, or in its details
# (a shift's audit row names the volunteer put on it). The ids are UUIDs: no other text matches.
_TRAIL = """
SELECT at, action, role, record_type, record_id FROM audit_log
WHERE record_id = ANY($1::text[]) OR details::text LIKE ANY($2::text[])
ORDER BY at, id
"""


class AuditTrailEntry(BaseModel):
    """One audited action on the person's records."""

    at: dt.datetime
    action: str
    role: str
    record_type: str
    record_id: str | None


async def audit_trail(conn: Connection, record_ids: Sequence[UUID]) -> list[AuditTrailEntry]:
    """Every audit row about the records with these ids, oldest first."""
    ids = [str(record_id) for record_id in record_ids]
    rows = await conn.fetch(_TRAIL, ids, [f"%{record_id}%" for record_id in ids])
    return [AuditTrailEntry.model_validate(dict(row)) for row in rows]
