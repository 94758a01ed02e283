"""The retention rule of the courses service: a participant's personal data is erased
`retention_participant_months` after they last took part.

"Last took part" is the latest of: their registration or the last change to their data, a change
to one of their enrolments, the end of the last session of an activity where they hold (or held)
a seat or wait for one, the end of the last session they attended, and the day of a youth referral
or its outcome. An activity still running keeps its participants. Each one found is erased by
`erasure.erase_participant`, the path an erasure on request takes.
"""

import datetime as dt

from buurtwerk_shared.pseudonyms import Pseudonymizer
from buurtwerk_shared.retention import EraseBatch
from buurtwerk_shared.web.writes import WriteContext
from courses.domain.enrolments import lock_live_activities
from courses.domain.erasure import erase_participant

# The participants past retention at $1, claimed for the batch's transaction (other replicas skip
# them). Local dates count until the end of that day in Brussels.
_EXPIRED = """
SELECT p.* FROM participants p
WHERE p.erased_at IS NULL
  AND greatest(
        p.created_at, p.updated_at,
        (SELECT max(e.changed_at) FROM enrolments e WHERE e.participant_id = p.participant_id),
        (SELECT max(s.ends_at) FROM enrolments e JOIN sessions s USING (activity_id)
         WHERE e.participant_id = p.participant_id AND e.status <> 'cancelled'),
        (SELECT max(s.ends_at) FROM attendance t JOIN sessions s USING (session_id)
         WHERE t.participant_id = p.participant_id),
        (SELECT max((greatest(r.date, r.outcome_date) + 1)::timestamp
                    AT TIME ZONE 'Europe/Brussels')
         FROM youth_referrals r WHERE r.participant_id = p.participant_id)
      ) <= $1::timestamptz - make_interval(months => $2)
ORDER BY p.participant_id
LIMIT $3
FOR UPDATE OF p SKIP LOCKED
"""


def expired_participants_eraser(months: int, pseudonyms: Pseudonymizer) -> EraseBatch:
    """The batch eraser of the retention task, for this retention period."""

    async def erase_expired_participants(ctx: WriteContext, now: dt.datetime, limit: int) -> int:
        participants = await ctx.conn.fetch(_EXPIRED, now, months, limit)
        # All their activities at once, in id order: two replicas' batches lock them alike.
        await lock_live_activities(ctx.conn, [p["participant_id"] for p in participants])
        for participant in participants:
            await erase_participant(ctx, participant, pseudonyms, now, "retention")
        return len(participants)

    return erase_expired_participants
