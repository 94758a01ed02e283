"""Demo offer: courses and groups with their participants, the computer corners, the desks.

- a smartphone course by Link in de Kabel in Sint-Maartensdal, full, with a waiting list that
  moved up when someone cancelled;
- Dutch lessons and the drop-in conversation group *Kom binnen / Combinne* with the city's
  diversity service in Mannenstraat;
- homework support in Wilsele-dorp and a toddler morning in Koksijdewijk (children registered
  with a parent's consent);
- weekly sessions: those past held with their attendance (one cancelled), the coming ones
  scheduled; computer-corner visits and welcome-desk contacts per day; young people referred to
  associations, with what came of it.

Participants and activities are looked up first and created only when missing; sessions, tallies
and enrolments carry keys derived from their activity, date or person.
"""

import datetime as dt
import random
from dataclasses import dataclass
from uuid import UUID

from buurtwerk_shared.contracts.events.courses import ActivityKind
from buurtwerk_shared.contracts.types import AgeBand, DeskCategory, PartnerId, TargetGroup
from buurtwerk_shared.web.auth import Role
from courses.api.schemas.activities import ActivityView, CreateActivity, Mode
from courses.api.schemas.enrolments import Enrol, EnrolmentCancelled, EnrolmentView
from courses.api.schemas.participants import (
    GuardianConsent,
    ParticipantSummary,
    ParticipantView,
    RegisterParticipant,
    SearchParticipants,
)
from courses.api.schemas.referrals import Outcome, RecordOutcome, ReferralView, ReferYouth
from courses.api.schemas.sessions import (
    AttendanceEntry,
    CancelSession,
    RecordAttendance,
    RecordedAttendance,
    ScheduledSessions,
    ScheduleSessions,
    SessionView,
)
from courses.api.schemas.tallies import DeskContactsView, SetDeskContacts, SetVisits, VisitsView
from deploy.local.demo.api import ServiceApi, together
from deploy.local.demo.days import DemoCalendar
from deploy.local.demo.figures import Figures
from deploy.local.demo.people import GIVEN_NAMES, Name, names

ROLE: Role = "course_coordinator"
DESK_ROLE: Role = "centre_coordinator"


@dataclass(frozen=True)
class Person:
    """A participant: name, age in years, who they are for the offer, where they live."""

    name: Name
    centre_id: str
    age: int
    target_group: TargetGroup
    neighbourhood: str

    def birth_date(self, calendar: DemoCalendar) -> dt.date:
        """A birth date that makes them `age` during the demo's weeks."""
        return calendar.first - dt.timedelta(days=365 * self.age + 100)

    def body(self, calendar: DemoCalendar) -> RegisterParticipant:
        """The registration as the courses service takes it; a minor's with a parent's consent."""
        consent = None
        if self.age < 18:
            parent = GIVEN_NAMES[(GIVEN_NAMES.index(self.name.given) + 7) % len(GIVEN_NAMES)]
            consent = GuardianConsent(
                guardian_name=f"{parent} {self.name.family}",
                relationship="parent",
                given_on=calendar.first - dt.timedelta(days=14),
            )
        return RegisterParticipant(
            centre_id=self.centre_id,
            given_name=self.name.given,
            family_name=self.name.family,
            birth_date=self.birth_date(calendar),
            target_group=self.target_group,
            neighbourhood=self.neighbourhood,
            guardian_consent=consent,
        )


def _people(
    first: int, centre_id: str, ages: list[int], groups: list[TargetGroup], places: list[str]
) -> tuple[Person, ...]:
    return tuple(
        Person(name, centre_id, age, groups[i % len(groups)], places[i % len(places)])
        for i, (name, age) in enumerate(zip(names(first, len(ages)), ages, strict=True))
    )


SENIORS = _people(
    100,
    "sint-maartensdal",
    [67, 58, 72, 61, 79, 55, 70, 63, 75, 59, 68, 57, 66],
    ["seniors", "low_income"],
    ["Leuven", "Kessel-Lo"],
)
NEWCOMERS = _people(
    113,
    "mannenstraat",
    [24, 31, 45, 38, 29, 52, 27, 34, 41, 23],
    ["newcomers"],
    ["Leuven", "Heverlee", "Kessel-Lo"],
)
SCHOOL_CHILDREN = _people(
    123, "wilsele-dorp", [7, 9, 10, 12, 13, 8, 11, 14, 10], ["children"], ["Wilsele", "Wijgmaal"]
)
TODDLERS = _people(132, "koksijdewijk", [1, 2, 3, 2, 4, 3, 1], ["children"], ["Kessel-Lo"])
EVERYONE = SENIORS + NEWCOMERS + SCHOOL_CHILDREN + TODDLERS


@dataclass(frozen=True)
class Activity:
    """An activity of the offer and its weekly sessions."""

    slug: str
    centre_id: str
    kind: ActivityKind
    title: str
    partner: PartnerId | None
    target_groups: tuple[TargetGroup, ...]
    mode: Mode
    capacity: int | None
    weekdays: tuple[int, ...]
    start: dt.time
    end: dt.time
    enrolled: tuple[Person, ...] = ()
    # Whose enrolment is cancelled again, freeing a seat for the first one waiting.
    cancelled: Person | None = None

    def seated(self) -> tuple[Person, ...]:
        """Who holds a seat once the enrolments and the cancellation are through."""
        if self.capacity is None:
            return ()
        seats = [p for p in self.enrolled if p != self.cancelled]
        return tuple(seats[: self.capacity])

    def body(self) -> CreateActivity:
        """The activity as the courses service takes it."""
        return CreateActivity(
            centre_id=self.centre_id,
            kind=self.kind,
            title=self.title,
            partner=self.partner,
            target_groups=list(self.target_groups),
            mode=self.mode,
            capacity=self.capacity,
        )


ACTIVITIES = (
    Activity(
        "smartphone",
        "sint-maartensdal",
        "computer_course",
        "Digitaal basis: werken met je smartphone",
        "link-in-de-kabel",
        ("seniors", "low_income"),
        "enrolment",
        10,
        (2,),
        dt.time(13, 30),
        dt.time(15, 30),
        enrolled=SENIORS,
        cancelled=SENIORS[2],
    ),
    Activity(
        "nederlands",
        "mannenstraat",
        "language_lesson",
        "Nederlands oefenen voor nieuwkomers",
        "diversiteitsdienst",
        ("newcomers",),
        "enrolment",
        12,
        (1, 4),
        dt.time(9, 30),
        dt.time(11, 30),
        enrolled=NEWCOMERS,
    ),
    Activity(
        "kom-binnen",
        "mannenstraat",
        "conversation_group",
        "Kom binnen / Combinne",
        "diversiteitsdienst",
        ("newcomers", "isolated"),
        "drop_in",
        None,
        (3,),
        dt.time(14, 0),
        dt.time(16, 0),
    ),
    Activity(
        "huiswerk",
        "wilsele-dorp",
        "homework_support",
        "Huiswerkbegeleiding",
        None,
        ("children", "families"),
        "enrolment",
        10,
        (1, 4),
        dt.time(16, 0),
        dt.time(18, 0),
        enrolled=SCHOOL_CHILDREN,
    ),
    Activity(
        "peuters",
        "koksijdewijk",
        "toddler",
        "Peuterspeelmoment",
        None,
        ("families", "children"),
        "enrolment",
        8,
        (5,),
        dt.time(9, 30),
        dt.time(11, 0),
        enrolled=TODDLERS,
    ),
)
# Referred to leisure activities of associations, and the outcome (None: not known yet).
REFERRALS: tuple[tuple[Person, str, Outcome | None], ...] = (
    (SCHOOL_CHILDREN[0], "Chiro Wilsele", "joined"),
    (SCHOOL_CHILDREN[1], "Voetbalclub Wilsele", "joined"),
    (SCHOOL_CHILDREN[2], "Muziekacademie", "not_joined"),
    (SCHOOL_CHILDREN[3], "Jeugdhuis", "joined"),
    (SCHOOL_CHILDREN[4], "Zwemclub", "unknown"),
    (SCHOOL_CHILDREN[7], "Tekenacademie", None),
)
# Welcome-desk questions per centre, most frequent first, and the weekdays the desk is open.
DESKS: dict[str, tuple[tuple[DeskCategory, ...], tuple[int, ...]]] = {
    "sint-maartensdal": (
        ("administration", "money", "digital", "housing", "health"),
        (1, 2, 3, 4, 5),
    ),
    "mannenstraat": (("language", "administration", "work", "housing", "money"), (1, 2, 3, 4, 5)),
    "wilsele-dorp": (("administration", "leisure", "other"), (1, 3)),
    "koksijdewijk": (("administration", "money", "health"), (2, 4)),
    "de-kettekeet": (("leisure", "administration", "other"), (3, 5)),
}
COMPUTER_CORNERS = ("sint-maartensdal", "mannenstraat")


def _rng(*parts: object) -> random.Random:
    return random.Random(":".join(["demo-courses", *map(str, parts)]))


def is_cancelled(activity: Activity, day: dt.date) -> bool:
    """One toddler morning in five does not take place (the leader is ill)."""
    return activity.kind == "toddler" and day.toordinal() // 7 % 5 == 2


def visits(centre_id: str, day: dt.date) -> int:
    """The day's computer-corner visits."""
    return _rng("visits", centre_id, day).randint(4, 16)


def desk_contacts(centre_id: str, day: dt.date) -> dict[DeskCategory, int]:
    """The day's welcome-desk contacts per category (only the categories asked about)."""
    categories, weekdays = DESKS[centre_id]
    if day.isoweekday() not in weekdays:
        return {}
    rng = _rng("desk", centre_id, day)
    counts = {c: rng.randint(0, max(1, 6 - 2 * rank)) for rank, c in enumerate(categories)}
    return {category: count for category, count in counts.items() if count}


def courses_figures(calendar: DemoCalendar) -> Figures:
    """Computer-corner visits and desk contacts per month."""
    figures = Figures()
    for day in calendar.open_days():
        if not calendar.is_past(day):
            continue
        for centre_id in COMPUTER_CORNERS:
            figures.add("digital.computer_corner_visits", day, visits(centre_id, day))
        for centre_id in DESKS:
            figures.add("hub.desk_contacts", day, sum(desk_contacts(centre_id, day).values()))
    return figures


async def _ensure_participant(api: ServiceApi, calendar: DemoCalendar, person: Person) -> UUID:
    found = await api.read_all(
        ROLE,
        "/participants/search",
        ParticipantSummary,
        search=SearchParticipants(name=person.name.full),
    )
    for participant in found:
        if (participant.given_name, participant.family_name) == (
            person.name.given,
            person.name.family,
        ):
            api.found()
            return participant.participant_id
    created = await api.write(
        ROLE,
        "POST",
        "/participants",
        f"demo:courses:participant:{person.name.slug}",
        ParticipantView,
        person.body(calendar),
    )
    return created.participant_id


async def _ensure_activity(api: ServiceApi, activity: Activity) -> UUID:
    existing = await api.read_all(
        ROLE, "/activities", ActivityView, {"centre_id": activity.centre_id}
    )
    match = next((a for a in existing if a.title == activity.title), None)
    key = f"demo:courses:activity:{activity.slug}"
    if match is None:
        match = await api.write(ROLE, "POST", "/activities", key, ActivityView, activity.body())
    else:
        api.found()
    if match.status == "draft":
        match = await api.write(
            ROLE, "POST", f"/activities/{match.activity_id}/publish", f"{key}:publish", ActivityView
        )
    return match.activity_id


async def _enrol(
    api: ServiceApi, activity: Activity, activity_id: UUID, ids: dict[Name, UUID]
) -> None:
    key = f"demo:courses:activity:{activity.slug}"
    enrolments = {}
    # One after the other: the order decides who gets a seat and who waits.
    for person in activity.enrolled:
        enrolments[person] = await api.write(
            ROLE,
            "POST",
            f"/activities/{activity_id}/enrolments",
            f"{key}:enrol:{person.name.slug}",
            EnrolmentView,
            Enrol(participant_id=ids[person.name]),
        )
    if activity.cancelled is not None:
        await api.write(
            ROLE,
            "POST",
            f"/enrolments/{enrolments[activity.cancelled].enrolment_id}/cancel",
            f"{key}:cancel:{activity.cancelled.name.slug}",
            EnrolmentCancelled,
        )


def _attendance(activity: Activity, day: dt.date, ids: dict[Name, UUID]) -> RecordAttendance:
    if activity.mode == "enrolment":
        return RecordAttendance(
            entries=[
                AttendanceEntry(
                    participant_id=ids[person.name],
                    present=_rng("present", activity.slug, day, person.name.full).random() < 0.85,
                )
                for person in activity.seated()
            ]
        )
    rng = _rng("drop-in", activity.slug, day)
    known = [p for p in NEWCOMERS if rng.random() < 0.5]
    entries = [AttendanceEntry(participant_id=ids[p.name]) for p in known]
    anonymous: list[tuple[int, AgeBand, TargetGroup]] = [
        (rng.randint(3, 8), "26-64", "newcomers"),
        (rng.randint(1, 3), "65+", "isolated"),
    ]
    entries += [
        AttendanceEntry(count=n, age_band=band, target_group=group) for n, band, group in anonymous
    ]
    return RecordAttendance(entries=entries)


async def _session(
    api: ServiceApi,
    calendar: DemoCalendar,
    activity: Activity,
    activity_id: UUID,
    day: dt.date,
    ids: dict[Name, UUID],
) -> None:
    key = f"demo:courses:activity:{activity.slug}:session:{day.isoformat()}"
    scheduled = await api.write(
        ROLE,
        "POST",
        f"/activities/{activity_id}/sessions",
        key,
        ScheduledSessions,
        ScheduleSessions(date=day, start_time=activity.start, end_time=activity.end),
    )
    path = f"/sessions/{scheduled.sessions[0].session_id}"
    if is_cancelled(activity, day):
        reason = "Begeleidster ziek / the leader is ill"
        await api.write(
            ROLE,
            "POST",
            f"{path}/cancel",
            f"{key}:cancel",
            SessionView,
            CancelSession(reason=reason),
        )
        return
    if not calendar.is_past(day):
        return
    await api.write(
        ROLE,
        "POST",
        f"{path}/attendance",
        f"{key}:attendance",
        RecordedAttendance,
        _attendance(activity, day, ids),
    )
    await api.write(ROLE, "POST", f"{path}/hold", f"{key}:hold", SessionView)


async def _offer(
    api: ServiceApi, calendar: DemoCalendar, activity: Activity, ids: dict[Name, UUID]
) -> None:
    activity_id = await _ensure_activity(api, activity)
    await _enrol(api, activity, activity_id, ids)
    days = calendar.open_days(frozenset(activity.weekdays))
    await together(_session(api, calendar, activity, activity_id, d, ids) for d in days)


async def _refer(
    api: ServiceApi,
    calendar: DemoCalendar,
    number: int,
    person: Person,
    association: str,
    outcome: Outcome | None,
    ids: dict[Name, UUID],
) -> None:
    participant_id = ids[person.name]
    existing = await api.read_all(
        ROLE, "/youth-referrals", ReferralView, {"participant_id": str(participant_id)}
    )
    key = f"demo:courses:referral:{person.name.slug}"
    if existing:
        api.found()
        referral = existing[0]
    else:
        referral = await api.write(
            ROLE,
            "POST",
            "/youth-referrals",
            key,
            ReferralView,
            ReferYouth(
                participant_id=participant_id,
                centre_id=person.centre_id,
                date=calendar.first + dt.timedelta(days=2 * number),
                association=association,
            ),
        )
    learnt = referral.date + dt.timedelta(days=12)
    if outcome is not None and referral.outcome is None and learnt <= calendar.today:
        await api.write(
            ROLE,
            "POST",
            f"/youth-referrals/{referral.referral_id}/outcome",
            f"{key}:outcome",
            ReferralView,
            RecordOutcome(outcome=outcome, date=learnt),
        )


async def _tallies(api: ServiceApi, day: dt.date) -> None:
    for centre_id in COMPUTER_CORNERS:
        await api.write(
            DESK_ROLE,
            "PUT",
            f"/computer-corner-visits/{centre_id}/{day.isoformat()}",
            f"demo:courses:visits:{centre_id}:{day.isoformat()}",
            VisitsView,
            SetVisits(visits=visits(centre_id, day)),
        )
    for centre_id in DESKS:
        for category, count in desk_contacts(centre_id, day).items():
            await api.write(
                DESK_ROLE,
                "PUT",
                f"/desk-contacts/{centre_id}/{day.isoformat()}/{category}",
                f"demo:courses:desk:{centre_id}:{day.isoformat()}:{category}",
                DeskContactsView,
                SetDeskContacts(count=count),
            )


async def load_courses(api: ServiceApi, calendar: DemoCalendar) -> None:
    """Participants first, then each activity with its enrolments and sessions, the referrals
    and the day tallies."""
    ids_in_order = await together(_ensure_participant(api, calendar, p) for p in EVERYONE)
    ids = {person.name: pid for person, pid in zip(EVERYONE, ids_in_order, strict=True)}
    await together(_offer(api, calendar, activity, ids) for activity in ACTIVITIES)
    await together(
        (
            _refer(api, calendar, n, person, association, outcome, ids)
            for n, (person, association, outcome) in enumerate(REFERRALS, start=1)
        )
    )
    past = [day for day in calendar.open_days() if calendar.is_past(day)]
    await together(_tallies(api, day) for day in past)
