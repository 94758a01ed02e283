"""The subject access export: everything this service holds about one participant, as JSON.

The export is a read of personal data and is audited as such, before it is put together, so the
export lists itself in its audit trail.
"""

from uuid import UUID

from buurtwerk_shared.db.pool import Connection
from buurtwerk_shared.pseudonyms import Pseudonymizer
from buurtwerk_shared.subject_access import audit_trail
from buurtwerk_shared.web.auth import Principal
from buurtwerk_shared.web.writes import audit
from courses.api.schemas.export import (
    AttendanceRecord,
    EnrolmentRecord,
    ParticipantExport,
    PersonalData,
    ReferralRecord,
)
from courses.api.schemas.participants import ConsentView
from courses.domain import clock
from courses.domain.participants import PSEUDONYM_KIND, load_visible

_CONSENTS = """
SELECT consent_id, guardian_name, relationship, guardian_phone, given_on, recorded_at,
       withdrawn_on
FROM guardian_consents WHERE participant_id = $1 ORDER BY recorded_at, consent_id
"""
_ENROLMENTS = """
SELECT e.enrolment_id, e.activity_id, a.title AS activity_title, a.centre_id, e.status,
       e.requested_at, e.promoted_at, e.changed_at
FROM enrolments e JOIN activities a USING (activity_id)
WHERE e.participant_id = $1 ORDER BY e.arrival
"""
_ATTENDANCE = """
SELECT t.attendance_id, t.session_id, s.activity_id, a.title AS activity_title, s.centre_id,
       s.starts_at, t.present
FROM attendance t JOIN sessions s USING (session_id) JOIN activities a USING (activity_id)
WHERE t.participant_id = $1 ORDER BY s.starts_at, t.attendance_id
"""
_REFERRALS = """
SELECT referral_id, centre_id, date, association, age_band, outcome, outcome_date
FROM youth_referrals WHERE participant_id = $1 ORDER BY date, referral_id
"""


async def export_participant(
    conn: Connection, principal: Principal, participant_id: UUID, pseudonyms: Pseudonymizer
) -> ParticipantExport:
    """Everything kept about a participant the caller may see; the read is audited."""
    row = await load_visible(conn, principal, participant_id)
    await audit(conn, principal, "participant.export", "participant", participant_id)
    consents = await conn.fetch(_CONSENTS, participant_id)
    enrolments = await conn.fetch(_ENROLMENTS, participant_id)
    attendance = await conn.fetch(_ATTENDANCE, participant_id)
    referrals = await conn.fetch(_REFERRALS, participant_id)
    records = [
        participant_id,
        *(r["enrolment_id"] for r in enrolments),
        *(r["referral_id"] for r in referrals),
    ]
    key = await pseudonyms.existing_key(conn, PSEUDONYM_KIND, str(participant_id))
    return ParticipantExport(
        exported_at=clock.now(),
        participant=PersonalData.model_validate(dict(row)),
        pseudonym_issued=key is not None,
        guardian_consents=[ConsentView.model_validate(dict(r)) for r in consents],
        enrolments=[EnrolmentRecord.model_validate(dict(r)) for r in enrolments],
        attendance=[AttendanceRecord.model_validate(dict(r)) for r in attendance],
        youth_referrals=[ReferralRecord.model_validate(dict(r)) for r in referrals],
        audit_trail=await audit_trail(conn, records),
    )
