"""Erasure: the volunteer's personal data goes, their ids and hours stay.

One path for an erasure on request and one by the retention rules (`volunteers.domain.retention`).
After erasure no table of this service holds the person's name, contact, address, languages,
skills, membership, consents or qualifications; the status history, shifts, hours, milestones,
appreciation and allowance figures remain under the volunteer id, so the statistics still add up.
Stored idempotent responses that showed the person are deleted too (they could only replay).
The audit row says why (`request` or the retention rule); its details hold no personal data.
"""

import datetime as dt
from typing import Literal
from uuid import UUID

from buurtwerk_shared.contracts.events import EventData
from buurtwerk_shared.contracts.events.volunteers import VolunteerErasedV1
from buurtwerk_shared.erasure_replay import ErasureReplay
from buurtwerk_shared.web.writes import WriteContext
from volunteers.api.schemas.volunteers import ErasureView
from volunteers.domain.access import ensure_not_erased, volunteer_for_update
from volunteers.domain.pipeline import move
from volunteers.selfservice.mailing import forget_volunteer

# Why a volunteer was erased: on their request, or by a retention rule.
ErasureReason = Literal["request", "retention_left", "retention_applicant", "restore"]

_ERASE = """
UPDATE volunteers
SET given_name = NULL, family_name = NULL, email = NULL, phone = NULL, address = NULL,
    languages = '{}', skills = '{}', bvw_member_since = NULL, erased_at = $2
WHERE volunteer_id = $1
"""


async def erase(
    ctx: WriteContext, volunteer_id: UUID, erased_at: dt.datetime, reason: ErasureReason
) -> ErasureView:
    """Erase a volunteer's personal data; a volunteer still in the pipeline leaves it first
    (announced as usual, and taken off the shifts still to come)."""
    volunteer = await volunteer_for_update(ctx.conn, ctx.principal, volunteer_id)
    ensure_not_erased(volunteer)
    if volunteer["status"] != "left":
        await move(ctx, volunteer, "left", max(erased_at, volunteer["status_changed_at"]))
    await ctx.conn.execute(_ERASE, volunteer_id, erased_at)
    await ctx.conn.execute("DELETE FROM consents WHERE volunteer_id = $1", volunteer_id)
    await forget_volunteer(ctx.conn, volunteer_id, volunteer["email"], erased_at)
    await ctx.conn.execute(
        "DELETE FROM volunteer_qualifications WHERE volunteer_id = $1", volunteer_id
    )
    await ctx.conn.execute(
        "DELETE FROM idempotency_keys WHERE response::text LIKE '%' || $1 || '%'",
        str(volunteer_id),
    )
    await ctx.emit(VolunteerErasedV1(volunteer_id=volunteer_id, erased_at=erased_at))
    await ctx.audit(
        "volunteer.erase",
        "volunteer",
        volunteer_id,
        {"reason": reason, "status_before": volunteer["status"]},
    )
    total = await ctx.conn.fetchval(
        "SELECT coalesce(sum(hours), 0) FROM shift_hours WHERE volunteer_id = $1", volunteer_id
    )
    return ErasureView(
        volunteer_id=volunteer_id, status="left", erased_at=erased_at, total_hours=float(total)
    )


async def _replay(ctx: WriteContext, event: EventData) -> bool:
    assert isinstance(event, VolunteerErasedV1)
    volunteer = await ctx.conn.fetchrow(
        "SELECT erased_at FROM volunteers WHERE volunteer_id = $1", event.volunteer_id
    )
    if volunteer is None or volunteer["erased_at"] is not None:
        return False
    await erase(ctx, event.volunteer_id, event.erased_at, "restore")
    return True


# How a restore applies the volunteer erasures made after its backup again.
ERASURE_REPLAY = ErasureReplay(VolunteerErasedV1, _replay)
