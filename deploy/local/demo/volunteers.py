"""Demo volunteers: recruited, guided to active, and on the rota of the centres.

Kitchen teams (with their food-hygiene certificate) in both kitchens, computer-corner and
conversation-group helpers, and homework support in Wilsele-dorp (a neighbourhood group moved
through the pipeline as one) and Koksijdewijk. Weekly shift templates, the shifts generated from
them, the rota, the hours of the shifts that are over (one volunteer left early, one record
corrected), a few people still in the pipeline, and a thank-you evening.

People, groups, templates and the thank-you are looked up first and only created when missing;
a shift is staffed only while nobody is on it and completed only for those without hours, so a
later run adds only what the days since have brought.
"""

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal
from uuid import UUID

from buurtwerk_shared.contracts.events.volunteers import ShiftRole, VolunteerStatus
from buurtwerk_shared.web.auth import Role
from deploy.local.demo.api import ServiceApi, together
from deploy.local.demo.days import BRUSSELS, DemoCalendar, at
from deploy.local.demo.figures import Figures
from deploy.local.demo.people import Name, names
from volunteers.api.schemas.groups import GroupMove, GroupView, NewGroup
from volunteers.api.schemas.hours import (
    AppreciationView,
    CompletedBy,
    CompletedShift,
    CompleteShift,
    HoursCorrection,
    HoursView,
    NewAppreciation,
)
from volunteers.api.schemas.shifts import (
    AssignmentView,
    GeneratedShifts,
    GenerateShifts,
    NewAssignment,
    NewShiftTemplate,
    ShiftDetail,
    ShiftTemplateView,
    ShiftView,
)
from volunteers.api.schemas.volunteers import (
    ConsentChange,
    NewQualification,
    NewVolunteer,
    SearchVolunteers,
    StatusChange,
    VolunteerSummary,
    VolunteerView,
)
from volunteers.domain.rules import shift_hours

ROLE: Role = "volunteer_coordinator"
THANK_YOU = "Bedankavond voor de vrijwilligers / thank-you evening for the volunteers"
WEEKDAYS = (1, 2, 3, 4, 5)
# Pipeline steps after applying: the status and when it was reached.
Steps = tuple[tuple[VolunteerStatus, dt.datetime], ...]


@dataclass(frozen=True)
class Team:
    """Volunteers who share a weekly shift at a centre."""

    centre_id: str
    role: ShiftRole
    weekdays: tuple[int, ...]
    start: dt.time
    end: dt.time
    needed: int
    members: tuple[Name, ...]
    skills: tuple[str, ...]

    def rota(self, calendar: DemoCalendar, day: dt.date) -> list[Name]:
        """Who works the shift of `day`: the team in turn; shifts more than a week ahead
        still miss someone."""
        staffed = self.needed if day <= calendar.today + dt.timedelta(days=7) else self.needed - 1
        turn = day.toordinal() * self.needed
        return [self.members[(turn + n) % len(self.members)] for n in range(staffed)]

    def hours(self, day: dt.date) -> float:
        """The length of the team's shift on a day."""
        return float(shift_hours(at(day, self.start), at(day, self.end)))


KITCHEN_HOURS = (dt.time(10, 0), dt.time(14, 0))
PEOPLE = tuple(names(0, 34))
TEAMS = (
    Team("sint-maartensdal", "kitchen", WEEKDAYS, *KITCHEN_HOURS, 2, PEOPLE[0:6], ("koken",)),
    Team("mannenstraat", "kitchen", WEEKDAYS, *KITCHEN_HOURS, 2, PEOPLE[6:12], ("koken",)),
    Team(
        "sint-maartensdal",
        "computer_corner",
        (2, 4),
        dt.time(13, 30),
        dt.time(16, 30),
        1,
        PEOPLE[12:15],
        ("computers",),
    ),
    Team(
        "mannenstraat",
        "computer_corner",
        (1, 3),
        dt.time(13, 30),
        dt.time(16, 30),
        1,
        PEOPLE[15:17],
        ("computers",),
    ),
    Team(
        "mannenstraat",
        "conversation_group",
        (3,),
        dt.time(14, 0),
        dt.time(16, 0),
        2,
        PEOPLE[17:20],
        ("nederlands oefenen",),
    ),
    Team(
        "wilsele-dorp",
        "homework_support",
        (1, 4),
        dt.time(16, 0),
        dt.time(18, 0),
        3,
        PEOPLE[20:26],
        ("huiswerkbegeleiding",),
    ),
    Team(
        "koksijdewijk",
        "homework_support",
        (2,),
        dt.time(16, 0),
        dt.time(18, 0),
        3,
        PEOPLE[26:31],
        ("huiswerkbegeleiding",),
    ),
)
# Recruited together as a neighbourhood group: the Wilsele homework team.
GROUP_NAME = "Huiswerkploeg Wilsele"
GROUP_TEAM = TEAMS[5]
APPLICANT, IN_INTAKE, PAUSED = PEOPLE[31:34]
LANGUAGES = (("nl",), ("nl", "fr"), ("nl", "en"), ("nl", "ar"), ("nl", "tr"), ("nl", "en", "fr"))


@dataclass(frozen=True)
class VolunteerPlan:
    """A volunteer and the steps of their pipeline after applying."""

    name: Name
    centre_id: str
    applied_at: dt.datetime
    steps: Steps
    skills: tuple[str, ...] = ()
    languages: tuple[str, ...] = ("nl",)
    food_hygiene_on: dt.date | None = None
    member_since: dt.date | None = None
    in_group: bool = False

    def body(self, group_id: UUID | None) -> NewVolunteer:
        """The application as the volunteers service takes it."""
        slug = self.name.slug.replace("-", ".")
        return NewVolunteer(
            given_name=self.name.given,
            family_name=self.name.family,
            email=f"{slug}@example.org",
            languages=list(self.languages),
            skills=list(self.skills),
            centre_ids=[self.centre_id],
            group_ids=[group_id] if group_id else [],
            buren_voor_wijken_member_since=self.member_since,
            consents=[
                ConsentChange(purpose="reminders_email", given=True, given_at=self.applied_at)
            ],
            applied_at=self.applied_at,
        )


def plan_volunteers(calendar: DemoCalendar) -> list[VolunteerPlan]:
    """Every demo volunteer with the steps that brought them where they are."""
    plans = []
    for t, team in enumerate(TEAMS):
        for m, name in enumerate(team.members):
            kitchen = team.role == "kitchen"
            applied = calendar.days_before_first(56, dt.time(9 + m, 15 * t % 60))
            if kitchen and m == 0:
                # Active for a year during the demo's weeks: a `years_1` milestone to celebrate.
                applied = calendar.days_before_first(365 + 11 - 7 * t, dt.time(10, 0))
            steps: Steps = (
                ("intake", applied + dt.timedelta(days=6)),
                ("onboarding", applied + dt.timedelta(days=14)),
                ("active", applied + dt.timedelta(days=21)),
            )
            if team is GROUP_TEAM:
                applied = calendar.days_before_first(20, dt.time(19, 0))
                steps = ()
            plans.append(
                VolunteerPlan(
                    name,
                    team.centre_id,
                    applied,
                    steps,
                    skills=team.skills,
                    languages=LANGUAGES[(t + m) % len(LANGUAGES)],
                    food_hygiene_on=(applied + dt.timedelta(days=10)).date() if kitchen else None,
                    member_since=calendar.first - dt.timedelta(days=400) if m % 3 == 0 else None,
                    in_group=team is GROUP_TEAM,
                )
            )
    recently = dt.datetime.combine(calendar.today, dt.time(10, 0), tzinfo=BRUSSELS)
    plans.append(VolunteerPlan(APPLICANT, "sint-maartensdal", recently - dt.timedelta(days=6), ()))
    plans.append(
        VolunteerPlan(
            IN_INTAKE,
            "mannenstraat",
            recently - dt.timedelta(days=9),
            (("intake", recently - dt.timedelta(days=3)),),
        )
    )
    long_ago = calendar.days_before_first(400, dt.time(14, 0))
    plans.append(
        VolunteerPlan(
            PAUSED,
            "sint-maartensdal",
            long_ago,
            (
                ("intake", long_ago + dt.timedelta(days=5)),
                ("onboarding", long_ago + dt.timedelta(days=12)),
                ("active", long_ago + dt.timedelta(days=20)),
                ("paused", calendar.days_before_first(5, dt.time(11, 0))),
            ),
            skills=("koken",),
        )
    )
    return plans


def group_steps(calendar: DemoCalendar) -> Steps:
    """The Wilsele group's pipeline: homework support starts during onboarding."""
    return (
        ("intake", calendar.days_before_first(16, dt.time(19, 0))),
        ("onboarding", calendar.days_before_first(10, dt.time(19, 0))),
        ("active", at(calendar.first + dt.timedelta(days=9), dt.time(18, 30))),
    )


def left_early(team: Team, day: dt.date) -> Decimal | None:
    """The hours of the first on the rota when they left a kitchen shift early."""
    return Decimal("2.5") if team.role == "kitchen" and day.toordinal() % 11 == 0 else None


def corrected(team: Team, day: dt.date) -> Decimal | None:
    """The corrected hours of the second on the rota when their record was put right."""
    return Decimal("4.5") if team.role == "kitchen" and day.toordinal() % 13 == 6 else None


def worked_days(calendar: DemoCalendar, team: Team) -> list[dt.date]:
    """The days of the team's shifts that are over."""
    days = calendar.open_days(frozenset(team.weekdays))
    return [day for day in days if calendar.is_past(day)]


def volunteer_figures(calendar: DemoCalendar) -> Figures:
    """Hours worked per month after corrections (`volunteers.hours`)."""
    figures = Figures()
    for team in TEAMS:
        for day in worked_days(calendar, team):
            rota = team.rota(calendar, day)
            hours = [team.hours(day)] * len(rota)
            if (early := left_early(team, day)) is not None:
                hours[0] = float(early)
            if (fixed := corrected(team, day)) is not None:
                hours[1] = float(fixed)
            figures.add("volunteers.hours", day, sum(hours))
    return figures


@dataclass
class Roster:
    """The demo volunteers' ids by name, as the service knows them."""

    ids: dict[Name, UUID] = field(default_factory=dict)


async def _ensure_group(api: ServiceApi, calendar: DemoCalendar) -> GroupView:
    groups = await api.read_all(ROLE, "/groups", GroupView)
    group = next((g for g in groups if g.name == GROUP_NAME), None)
    if group is not None:
        api.found()
        return group
    return await api.write(
        ROLE,
        "POST",
        "/groups",
        "demo:volunteers:group:huiswerkploeg-wilsele",
        GroupView,
        NewGroup(
            name=GROUP_NAME,
            kind="neighbourhood_group",
            centre_ids=[GROUP_TEAM.centre_id],
            applied_at=calendar.days_before_first(20, dt.time(19, 0)),
        ),
    )


async def _ensure_volunteer(
    api: ServiceApi, plan: VolunteerPlan, group_id: UUID | None
) -> VolunteerView:
    key = f"demo:volunteers:{plan.name.slug}"
    matches = await api.read_all(
        ROLE,
        "/volunteers/search",
        VolunteerSummary,
        search=SearchVolunteers(name=plan.name.full),
    )
    same = [
        v for v in matches if (v.given_name, v.family_name) == (plan.name.given, plan.name.family)
    ]
    if same:
        api.found()
        view = await api.read(ROLE, f"/volunteers/{same[0].volunteer_id}", VolunteerView)
    else:
        view = await api.write(ROLE, "POST", "/volunteers", key, VolunteerView, plan.body(group_id))
    path = f"/volunteers/{view.volunteer_id}"
    held = {q.qualification for q in view.qualifications}
    if plan.food_hygiene_on is not None and "food_hygiene" not in held:
        view = await api.write(
            ROLE,
            "POST",
            f"{path}/qualifications",
            f"{key}:food-hygiene",
            VolunteerView,
            NewQualification(
                qualification="food_hygiene",
                obtained_on=plan.food_hygiene_on,
                expires_on=plan.food_hygiene_on + dt.timedelta(days=3 * 365),
            ),
        )
    for status, changed_at in _steps_to_take(view.status, plan.steps):
        view = await api.write(
            ROLE,
            "POST",
            f"{path}/status",
            f"{key}:status:{status}",
            VolunteerView,
            StatusChange(status=status, changed_at=changed_at),
        )
    return view


def _steps_to_take(current: str, steps: Steps) -> Steps:
    """The planned steps after the current status (none if it is off the planned path)."""
    path = ["applied", *(status for status, _ in steps)]
    if current not in path:
        return ()
    return steps[path.index(current) :]


async def _move_group(api: ServiceApi, calendar: DemoCalendar, group: GroupView) -> None:
    for status, changed_at in _steps_to_take(group.status, group_steps(calendar)):
        moved = await api.write(
            ROLE,
            "POST",
            f"/groups/{group.group_id}/status",
            f"demo:volunteers:group:huiswerkploeg-wilsele:status:{status}",
            GroupMove,
            StatusChange(status=status, changed_at=changed_at),
        )
        group = moved.group


async def _ensure_templates(api: ServiceApi, calendar: DemoCalendar, team: Team) -> None:
    existing = await api.read_all(
        ROLE,
        "/shift-templates",
        ShiftTemplateView,
        {"centre_id": team.centre_id, "role": team.role},
    )
    for weekday in team.weekdays:
        if any(
            (t.weekday, t.start_time, t.end_time) == (weekday, team.start, team.end)
            for t in existing
        ):
            api.found()
            continue
        await api.write(
            ROLE,
            "POST",
            "/shift-templates",
            f"demo:volunteers:template:{team.centre_id}:{team.role}:{weekday}",
            ShiftTemplateView,
            NewShiftTemplate(
                centre_id=team.centre_id,
                role=team.role,
                weekday=weekday,
                start_time=team.start,
                end_time=team.end,
                needed=team.needed,
                valid_from=calendar.first - dt.timedelta(days=35),
            ),
        )


def _team_of(shift: ShiftView) -> Team | None:
    local_start = shift.starts_at.astimezone(BRUSSELS)
    for team in TEAMS:
        if (team.centre_id, team.role, local_start.time()) == (
            shift.centre_id,
            shift.role,
            team.start,
        ) and shift.date.isoweekday() in team.weekdays:
            return team
    return None


async def _staff_and_complete(
    api: ServiceApi, calendar: DemoCalendar, roster: Roster, team: Team, shift: ShiftView
) -> None:
    key = f"demo:volunteers:shift:{shift.shift_id}"
    path = f"/shifts/{shift.shift_id}"
    rota = team.rota(calendar, shift.date)
    detail = await api.read(ROLE, path, ShiftDetail)
    on_shift = {entry.volunteer_id: entry.hours for entry in detail.roster}
    if on_shift:
        api.found()
    else:
        for name in rota:
            volunteer_id = roster.ids[name]
            await api.write(
                ROLE,
                "POST",
                f"{path}/assignments",
                f"{key}:assign:{name.slug}",
                AssignmentView,
                NewAssignment(volunteer_id=volunteer_id),
            )
            on_shift[volunteer_id] = None
    if not calendar.is_past(shift.date):
        return
    hours_of: dict[UUID, Decimal | None] = {roster.ids[name]: None for name in rota}
    if (early := left_early(team, shift.date)) is not None and rota:
        hours_of[roster.ids[rota[0]]] = early
    to_record = [
        CompletedBy(volunteer_id=volunteer_id, hours=hours_of.get(volunteer_id))
        for volunteer_id, hours in on_shift.items()
        if hours is None
    ]
    if to_record:
        await api.write(
            ROLE,
            "POST",
            f"{path}/completions",
            f"{key}:complete",
            CompletedShift,
            CompleteShift(volunteers=to_record),
        )
    fixed = corrected(team, shift.date)
    if fixed is not None and len(rota) > 1:
        volunteer_id = roster.ids[rota[1]]
        if on_shift.get(volunteer_id) != float(fixed):
            await api.write(
                ROLE,
                "PUT",
                f"{path}/completions/{volunteer_id}",
                f"{key}:hours:{rota[1].slug}",
                HoursView,
                HoursCorrection(hours=fixed),
            )


async def _shifts(api: ServiceApi, calendar: DemoCalendar, roster: Roster, centre_id: str) -> None:
    await api.write(
        ROLE,
        "POST",
        "/shifts/generate",
        f"demo:volunteers:generate:{centre_id}:{calendar.first}:{calendar.last}",
        GeneratedShifts,
        GenerateShifts(centre_id=centre_id, first=calendar.first, last=calendar.last),
    )
    shifts = await api.read_all(
        ROLE,
        "/shifts",
        ShiftView,
        {
            "centre_id": centre_id,
            "from": at(calendar.first, dt.time(0, 0)).isoformat(),
            "before": at(calendar.last + dt.timedelta(days=1), dt.time(0, 0)).isoformat(),
        },
    )
    work = []
    for shift in shifts:
        team = _team_of(shift)
        if team is not None and not calendar.is_holiday(shift.date):
            work.append(_staff_and_complete(api, calendar, roster, team, shift))
    await together(work)


async def _thank(api: ServiceApi, calendar: DemoCalendar, roster: Roster) -> None:
    since = calendar.first - dt.timedelta(days=365)
    moments = await api.read_all(
        ROLE, "/appreciations", AppreciationView, {"since": since.isoformat()}
    )
    if any(moment.title == THANK_YOU for moment in moments):
        api.found()
        return
    yesterday = calendar.today - dt.timedelta(days=1)
    active = [roster.ids[name] for team in TEAMS for name in team.members]
    await api.write(
        ROLE,
        "POST",
        "/appreciations",
        "demo:volunteers:thank-you",
        AppreciationView,
        NewAppreciation(kind="event", title=THANK_YOU, date=yesterday, volunteer_ids=active),
    )


async def load_volunteers(api: ServiceApi, calendar: DemoCalendar) -> None:
    """Recruit and guide the volunteers, then staff and complete the shifts, then thank them."""
    group = await _ensure_group(api, calendar)
    roster = Roster()
    plans = plan_volunteers(calendar)
    views = await together(
        _ensure_volunteer(api, p, group.group_id if p.in_group else None) for p in plans
    )
    roster.ids = {plan.name: view.volunteer_id for plan, view in zip(plans, views, strict=True)}
    await _move_group(api, calendar, await api.read(ROLE, f"/groups/{group.group_id}", GroupView))
    await together(_ensure_templates(api, calendar, team) for team in TEAMS)
    centres = sorted({team.centre_id for team in TEAMS})
    await together(_shifts(api, calendar, roster, centre) for centre in centres)
    await _thank(api, calendar, roster)
