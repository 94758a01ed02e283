"""The retention rules of the volunteers service: whose personal data is erased, and when.

- A volunteer who left after having been active: `retention_left_months` after leaving.
- An application that never led to active service (still applied, in intake or onboarding, or
  left before becoming active): `retention_applicant_months` after its last step.
Active and paused volunteers are kept. Each one found is erased by `erasure.erase`, the path an
erasure on request takes, and `volunteers.volunteer_erased.v1` is published.
"""

import datetime as dt

from buurtwerk_shared.retention import EraseBatch
from buurtwerk_shared.web.writes import WriteContext
from volunteers.domain.erasure import erase

# The volunteers past retention at $1, the oldest first; their rows stay locked for the batch's
# transaction and other replicas skip them.
_EXPIRED = """
SELECT volunteer_id,
       CASE WHEN status = 'left' AND first_active_at IS NOT NULL
            THEN 'retention_left' ELSE 'retention_applicant' END AS rule
FROM volunteers
WHERE erased_at IS NULL
  AND ((status = 'left' AND first_active_at IS NOT NULL
        AND status_changed_at <= $1::timestamptz - make_interval(months => $2))
    OR ((status IN ('applied', 'intake', 'onboarding')
         OR (status = 'left' AND first_active_at IS NULL))
        AND status_changed_at <= $1::timestamptz - make_interval(months => $3)))
ORDER BY status_changed_at, volunteer_id
LIMIT $4
FOR UPDATE SKIP LOCKED
"""


def expired_volunteers_eraser(left_months: int, applicant_months: int) -> EraseBatch:
    """The batch eraser of the retention task, for these retention periods."""

    async def erase_expired_volunteers(ctx: WriteContext, now: dt.datetime, limit: int) -> int:
        rows = await ctx.conn.fetch(_EXPIRED, now, left_months, applicant_months, limit)
        for row in rows:
            await erase(ctx, row["volunteer_id"], now, row["rule"])
        return len(rows)

    return erase_expired_volunteers
