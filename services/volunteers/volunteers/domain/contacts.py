"""The notifier's view: the contact of a volunteer on duty, only for the reminder channels they
consented to, every lookup audited (granted or not)."""

import datetime as dt
from uuid import UUID

from buurtwerk_shared.db.pool import Connection
from buurtwerk_shared.web.auth import Principal
from buurtwerk_shared.web.problems import not_found
from buurtwerk_shared.web.writes import audit
from volunteers.api.schemas.volunteers import ReminderContact
from volunteers.domain.access import scope

_ON_DUTY = """
SELECT v.phone, v.email, s.shift_id, s.centre_id, s.role, s.starts_at, s.ends_at,
       (SELECT c.given FROM consents c
        WHERE c.volunteer_id = v.volunteer_id AND c.purpose = 'reminders_sms'
        ORDER BY c.given_at DESC, c.consent_id DESC LIMIT 1) AS sms_consent,
       (SELECT c.given FROM consents c
        WHERE c.volunteer_id = v.volunteer_id AND c.purpose = 'reminders_email'
        ORDER BY c.given_at DESC, c.consent_id DESC LIMIT 1) AS email_consent
FROM volunteers v
JOIN assignments a ON a.volunteer_id = v.volunteer_id AND a.assigned
JOIN shifts s ON s.shift_id = a.shift_id
WHERE v.volunteer_id = $1 AND v.erased_at IS NULL
  AND s.starts_at <= $2::timestamptz + $3::interval AND s.ends_at > $2
  AND ($4::text[] IS NULL OR s.centre_id = ANY($4))
ORDER BY s.starts_at
LIMIT 1
"""


async def reminder_contact(
    conn: Connection, principal: Principal, volunteer_id: UUID, at: dt.datetime, lead: dt.timedelta
) -> ReminderContact:
    """The contact of a volunteer on duty at `at` (or starting within `lead`) in the caller's
    centres, per consented reminder channel; 404 otherwise, without saying which part failed."""
    row = await conn.fetchrow(_ON_DUTY, volunteer_id, at, lead, scope(principal))
    sms = row["phone"] if row is not None and row["sms_consent"] else None
    email = row["email"] if row is not None and row["email_consent"] else None
    granted = row is not None and (sms is not None or email is not None)
    await audit(
        conn,
        principal,
        "volunteer.reminder_contact.read",
        "volunteer",
        volunteer_id,
        {
            "granted": granted,
            "shift_id": row["shift_id"] if row is not None else None,
            "channels": [name for name, value in (("sms", sms), ("email", email)) if value],
        },
    )
    if row is None or not granted:
        raise not_found(
            f"a reminder contact of volunteer {volunteer_id} (not on duty, or no consent)",
            field="path.volunteer_id",
        )
    return ReminderContact(
        volunteer_id=volunteer_id,
        shift_id=row["shift_id"],
        centre_id=row["centre_id"],
        role=row["role"],
        starts_at=row["starts_at"],
        ends_at=row["ends_at"],
        sms=sms,
        email=email,
    )
