"""Events published by the courses service (`/buurtwerk/courses`)."""

from typing import Annotated, ClassVar, Literal
from uuid import UUID

from pydantic import Field

from buurtwerk_shared.contracts.events.base import EventData
from buurtwerk_shared.contracts.types import (
    AgeBand,
    CentreId,
    DeskCategory,
    EventDate,
    EventInstant,
    LongText,
    PartnerId,
    People,
    Pseudonym,
    Seats,
    ShortText,
    TargetGroup,
    Total,
)

SOURCE = "/buurtwerk/courses"

ActivityKind = Literal[
    "computer_course",
    "language_lesson",
    "conversation_group",
    "homework_support",
    "toddler",
    "teen",
    "other",
]
EnrolmentStatus = Literal["enrolled", "waitlisted", "promoted", "cancelled", "completed"]
# A coarse area such as a statistical sector or neighbourhood name, never an address.
Neighbourhood = Annotated[str, Field(min_length=1, max_length=80)]


class _CoursesEvent(EventData):
    source: ClassVar[str] = SOURCE


class ActivityPublishedV1(_CoursesEvent):
    """A course, group or open activity was published."""

    event_type: ClassVar[str] = "courses.activity_published.v1"
    subject_field: ClassVar[str | None] = "activity_id"

    activity_id: UUID
    centre_id: CentreId
    kind: ActivityKind
    title: ShortText
    partner: PartnerId | None = None
    target_groups: list[TargetGroup] = Field(default_factory=list, max_length=8)
    capacity: Seats | None = None
    mode: Literal["enrolment", "drop_in"]
    published_at: EventInstant


class ActivityChangedV1(_CoursesEvent):
    """A published activity was changed: its title, description, partner, target groups or
    capacity (kind and mode never change once published). It carries the activity as it is now;
    a raised capacity's promotions from the waiting list follow as `enrolment_changed` events."""

    event_type: ClassVar[str] = "courses.activity_changed.v1"
    subject_field: ClassVar[str | None] = "activity_id"

    activity_id: UUID
    centre_id: CentreId
    kind: ActivityKind
    title: ShortText
    partner: PartnerId | None = None
    target_groups: list[TargetGroup] = Field(default_factory=list, max_length=8)
    capacity: Seats | None = None
    mode: Literal["enrolment", "drop_in"]
    changed_fields: list[Annotated[str, Field(max_length=40)]] = Field(min_length=1, max_length=20)
    changed_at: EventInstant


class SessionScheduledV1(_CoursesEvent):
    """A session of an activity was scheduled (a session planned while the activity was a draft
    is announced when the activity is published)."""

    event_type: ClassVar[str] = "courses.session_scheduled.v1"
    subject_field: ClassVar[str | None] = "session_id"

    session_id: UUID
    activity_id: UUID
    centre_id: CentreId
    starts_at: EventInstant
    ends_at: EventInstant


class SessionCancelledV1(_CoursesEvent):
    """A scheduled session was cancelled."""

    event_type: ClassVar[str] = "courses.session_cancelled.v1"
    subject_field: ClassVar[str | None] = "session_id"

    session_id: UUID
    activity_id: UUID
    centre_id: CentreId
    starts_at: EventInstant
    reason: LongText


class SessionHeldV1(_CoursesEvent):
    """A session was held, with the number of attendees."""

    event_type: ClassVar[str] = "courses.session_held.v1"
    subject_field: ClassVar[str | None] = "session_id"

    session_id: UUID
    activity_id: UUID
    centre_id: CentreId
    starts_at: EventInstant
    attendees: People


class AttendanceCorrectedV1(_CoursesEvent):
    """The attendance of a held session was corrected (within 7 days of the session). It gives the
    session's new number of attendees; each changed entry follows as an
    `attendance_recorded` event with the entry's `attendance_id`, which replaces the earlier one."""

    event_type: ClassVar[str] = "courses.attendance_corrected.v1"
    subject_field: ClassVar[str | None] = "session_id"

    session_id: UUID
    activity_id: UUID
    centre_id: CentreId
    starts_at: EventInstant
    attendees_before: People
    attendees: People
    corrected_at: EventInstant


class EnrolmentChangedV1(_CoursesEvent):
    """An enrolment changed status (enrolled, waitlisted, promoted, cancelled, completed)."""

    event_type: ClassVar[str] = "courses.enrolment_changed.v1"
    subject_field: ClassVar[str | None] = "enrolment_id"

    enrolment_id: UUID
    activity_id: UUID
    centre_id: CentreId
    participant_key: Pseudonym
    status: EnrolmentStatus
    changed_at: EventInstant
    age_band: AgeBand = "unknown"
    target_group: TargetGroup | None = None
    neighbourhood: Neighbourhood | None = None


class AttendanceRecordedV1(_CoursesEvent):
    """Attendance at a session: one known person, or a number of anonymous drop-ins. An event with
    an `attendance_id` seen before replaces the earlier one (a correction); anonymous drop-ins
    withdrawn by a correction come back with `present: false`. `no_show` marks an enrolled
    participant who stayed away without notice (always with `present: false`)."""

    event_type: ClassVar[str] = "courses.attendance_recorded.v1"
    subject_field: ClassVar[str | None] = "attendance_id"

    attendance_id: UUID
    session_id: UUID
    activity_id: UUID
    centre_id: CentreId
    date: EventDate
    participant_key: Pseudonym | None = None
    count: Annotated[int, Field(ge=1, le=1000)] = 1
    age_band: AgeBand = "unknown"
    target_group: TargetGroup | None = None
    present: bool = True
    no_show: bool = False


class ComputerCornerVisitsRecordedV1(_CoursesEvent):
    """The day total of computer-corner visits at a centre (replaces an earlier total)."""

    event_type: ClassVar[str] = "courses.computer_corner_visits_recorded.v1"
    subject_field: ClassVar[str | None] = "centre_id"

    centre_id: CentreId
    date: EventDate
    visits: Total


class DeskContactsRecordedV1(_CoursesEvent):
    """The day total of welcome-desk contacts of one category (replaces an earlier total)."""

    event_type: ClassVar[str] = "courses.desk_contacts_recorded.v1"
    subject_field: ClassVar[str | None] = "centre_id"

    centre_id: CentreId
    date: EventDate
    category: DeskCategory
    count: Total


class YouthReferralRecordedV1(_CoursesEvent):
    """A young person was referred to a leisure association."""

    event_type: ClassVar[str] = "courses.youth_referral_recorded.v1"
    subject_field: ClassVar[str | None] = "referral_id"

    referral_id: UUID
    centre_id: CentreId
    date: EventDate
    association: ShortText
    participant_key: Pseudonym
    age_band: AgeBand


class YouthReferralOutcomeRecordedV1(_CoursesEvent):
    """The outcome of a youth referral."""

    event_type: ClassVar[str] = "courses.youth_referral_outcome_recorded.v1"
    subject_field: ClassVar[str | None] = "referral_id"

    referral_id: UUID
    centre_id: CentreId
    date: EventDate
    outcome: Literal["joined", "not_joined", "unknown"]


class ParticipantErasedV1(_CoursesEvent):
    """A participant's personal data was erased (on request, by the retention rule or as a
    guardian withdrew the last consent). It carries the participant's id and nothing else: the id
    appears in no other event, so it links to no pseudonym; it is there so that a restore from a
    backup made before the erasure applies it again (`make restore`)."""

    event_type: ClassVar[str] = "courses.participant_erased.v1"
    subject_field: ClassVar[str | None] = "participant_id"

    participant_id: UUID
    erased_at: EventInstant
