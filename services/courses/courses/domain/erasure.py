"""Erasure: a participant's personal data goes, their ids and figures stay.

One path for an erasure on request, one by the retention rules (`courses.domain.retention`) and
one when a guardian withdraws the last consent that kept a minor's data. The participant first
gives up their seats and waiting-list places (announced as cancellations); then their name,
contact, birth date (the age band of that day stays) and neighbourhood are emptied, their
guardians' consents deleted, and their pseudonym forgotten, so the `participant_key` in published
events and in reporting's statistics can no longer be traced back to them. Their enrolments,
attendance and referrals stay under the participant id, so the service's own figures still add
up; stored idempotent responses that showed them are deleted (they could only replay).
`courses.participant_erased.v1` records the erasure with the participant's id only, so that a
restore from an older backup applies it again (`courses.domain.erasure.replay_erasure`); no
subscriber holds personal data of participants to delete.
"""

import datetime as dt
from typing import Literal
from uuid import UUID

import asyncpg

from buurtwerk_shared.contracts.events import EventData
from buurtwerk_shared.contracts.events.courses import ParticipantErasedV1
from buurtwerk_shared.erasure_replay import ErasureReplay
from buurtwerk_shared.pseudonyms import Pseudonymizer
from buurtwerk_shared.web.writes import WriteContext
from courses.api.schemas.participants import ParticipantErasure
from courses.domain import clock
from courses.domain.ages import age_band
from courses.domain.enrolments import cancel_for_erasure, lock_live_activities
from courses.domain.participants import PSEUDONYM_KIND, ensure_not_erased, load_visible

# Why a participant was erased: on request, by the retention rule, or because the guardian
# withdrew the consent that kept a minor's data.
ErasureReason = Literal["request", "retention", "guardian_consent_withdrawn", "restore"]

_ERASE = """
UPDATE participants
SET given_name = NULL, family_name = NULL, phone = NULL, email = NULL, birth_date = NULL,
    neighbourhood = NULL, age_band = $3, erased_at = $2, updated_at = $2
WHERE participant_id = $1
"""
_KEPT = """
SELECT (SELECT count(*) FROM enrolments WHERE participant_id = $1) AS enrolments,
       (SELECT count(*) FROM attendance WHERE participant_id = $1) AS attendances,
       (SELECT count(*) FROM youth_referrals WHERE participant_id = $1) AS youth_referrals
"""


async def erase_participant(
    ctx: WriteContext,
    participant: asyncpg.Record,
    pseudonyms: Pseudonymizer,
    erased_at: dt.datetime,
    reason: ErasureReason,
) -> ParticipantErasure:
    """Erase a participant whose row the caller has locked for update."""
    participant_id = participant["participant_id"]
    ensure_not_erased(participant)
    await lock_live_activities(ctx.conn, [participant_id])
    cancelled = await cancel_for_erasure(ctx, participant_id, pseudonyms, erased_at)
    band = age_band(participant["birth_date"], participant["age_band"], clock.local_date(erased_at))
    await ctx.conn.execute(_ERASE, participant_id, erased_at, band)
    await ctx.conn.execute(
        "DELETE FROM guardian_consents WHERE participant_id = $1", participant_id
    )
    await pseudonyms.forget(ctx.conn, PSEUDONYM_KIND, str(participant_id))
    await ctx.conn.execute(
        "DELETE FROM idempotency_keys WHERE response::text LIKE '%' || $1 || '%'",
        str(participant_id),
    )
    await ctx.emit(ParticipantErasedV1(participant_id=participant_id, erased_at=erased_at))
    await ctx.audit(
        "participant.erase",
        "participant",
        participant_id,
        {"reason": reason, "cancelled_enrolments": len(cancelled)},
    )
    kept = await ctx.conn.fetchrow(_KEPT, participant_id)
    assert kept is not None
    return ParticipantErasure(
        participant_id=participant_id,
        erased_at=erased_at,
        cancelled_enrolment_ids=cancelled,
        **dict(kept),
    )


async def erase_on_request(
    ctx: WriteContext, participant_id: UUID, pseudonyms: Pseudonymizer
) -> ParticipantErasure:
    """Erase a participant the caller may see, on the participant's (or guardian's) request."""
    participant = await load_visible(ctx.conn, ctx.principal, participant_id, lock=True)
    return await erase_participant(ctx, participant, pseudonyms, clock.now(), "request")


def erasure_replay(pseudonyms: Pseudonymizer) -> ErasureReplay:
    """How a restore applies the participant erasures made after its backup again."""

    async def apply(ctx: WriteContext, event: EventData) -> bool:
        assert isinstance(event, ParticipantErasedV1)
        participant = await ctx.conn.fetchrow(
            "SELECT * FROM participants WHERE participant_id = $1 FOR UPDATE",
            event.participant_id,
        )
        if participant is None or participant["erased_at"] is not None:
            return False
        await erase_participant(ctx, participant, pseudonyms, event.erased_at, "restore")
        return True

    return ErasureReplay(ParticipantErasedV1, apply)
