"""A scripted month of neighbourhood work (March 2026, with its edges) for the indicator tests.

The events are listed in the order they are published: several arrive late or out of order
(a correction before its registration, a capacity change before the planned service, the earlier
refurbishment status after the later one, a first activation published after a second one, a
meal from February published last) and some twice. The expected values in the tests were worked
out by hand from this list; the comments give the sums.
"""

import datetime as dt
from dataclasses import dataclass, field
from uuid import UUID, uuid4

from buurtwerk_shared.contracts.events import EventData
from buurtwerk_shared.contracts.events.courses import (
    ActivityPublishedV1,
    AttendanceRecordedV1,
    ComputerCornerVisitsRecordedV1,
    DeskContactsRecordedV1,
    EnrolmentChangedV1,
    SessionCancelledV1,
    SessionHeldV1,
    SessionScheduledV1,
    YouthReferralOutcomeRecordedV1,
    YouthReferralRecordedV1,
)
from buurtwerk_shared.contracts.events.meals import (
    HaccpCorrectiveActionRecordedV1,
    HaccpDeviationDetectedV1,
    KitchenRefurbishmentUpdatedV1,
    MealRegistrationCorrectedV1,
    MealServedV1,
    ServiceCancelledV1,
    ServiceChangedV1,
    ServiceClosedV1,
    ServicePlannedV1,
)
from buurtwerk_shared.contracts.events.volunteers import (
    AppreciationRecordedV1,
    HoursCorrectedV1,
    MilestoneReachedV1,
    ShiftCompletedV1,
    VolunteerStatusChangedV1,
)

SM, MS, WD, KW = "sint-maartensdal", "mannenstraat", "wilsele-dorp", "koksijdewijk"
SM_KITCHEN, MS_KITCHEN = "sint-maartensdal-keuken", "mannenstraat-keuken"
BRUSSELS_WINTER = dt.timezone(dt.timedelta(hours=1))
BRUSSELS_SUMMER = dt.timezone(dt.timedelta(hours=2))  # from 29 March 2026


def winter(month: int, day: int, hour: int = 12, minute: int = 0) -> dt.datetime:
    """A local instant in 2026 before the switch to summer time."""
    return dt.datetime(2026, month, day, hour, minute, tzinfo=BRUSSELS_WINTER)


def summer(month: int, day: int, hour: int = 12, minute: int = 0) -> dt.datetime:
    """A local instant in 2026 after the switch to summer time."""
    return dt.datetime(2026, month, day, hour, minute, tzinfo=BRUSSELS_SUMMER)


def key(name: str) -> str:
    """A pseudonym (diner or participant key)."""
    return f"pseudonym-{name}"


@dataclass
class Scenario:
    """Events in publication order; an event id repeated means a redelivered duplicate."""

    published: list[tuple[EventData, UUID]] = field(default_factory=list)

    def add(self, event: EventData, event_id: UUID | None = None) -> UUID:
        """Publish an event (again, if `event_id` was used before)."""
        event_id = event_id or uuid4()
        self.published.append((event, event_id))
        return event_id

    @property
    def distinct_ids(self) -> set[UUID]:
        """The ids of the distinct events published."""
        return {event_id for _, event_id in self.published}


def march_2026() -> Scenario:
    """The whole scripted scenario."""
    s = Scenario()
    meals(s)
    desk_and_corner(s)
    courses(s)
    volunteers(s)
    haccp(s)
    return s


def meals(s: Scenario) -> None:
    """Services S1 (SM 31/3, cap 10, closed), S2 (MS 30/3, cap 20 changed to 8, closed),
    S3 (SM 16/3, cap 5, cancelled), S4 (SM 1/4, cap 10, closed); registrations R1..R8."""
    s1, s2, s3, s4 = uuid4(), uuid4(), uuid4(), uuid4()
    dishes = [{"name": "Stoofvlees met frietjes", "allergens": ["celery"]}]
    prices = {"standard": 650, "reduced": 350, "child": 300}

    def planned(
        sid: UUID, centre: str, kitchen: str, day: dt.date, starts: dt.datetime, cap: int
    ) -> ServicePlannedV1:
        return ServicePlannedV1.model_validate(
            {
                "service_id": sid,
                "centre_id": centre,
                "kitchen_id": kitchen,
                "date": day,
                "starts_at": starts,
                "capacity": cap,
                "prices": prices,
                "dishes": dishes,
            }
        )

    # The capacity change of S2 arrives before S2 is planned (out of order): capacity 8 holds.
    s.add(
        ServiceChangedV1(
            service_id=s2,
            centre_id=MS,
            date=dt.date(2026, 3, 30),
            changed_at=winter(3, 20),
            capacity=8,
        )
    )
    s.add(planned(s1, SM, SM_KITCHEN, dt.date(2026, 3, 31), summer(3, 31, 18), 10))
    s.add(planned(s2, MS, MS_KITCHEN, dt.date(2026, 3, 30), summer(3, 30, 12), 20))
    s.add(planned(s3, SM, SM_KITCHEN, dt.date(2026, 3, 16), winter(3, 16, 12), 5))
    s.add(planned(s4, SM, SM_KITCHEN, dt.date(2026, 4, 1), summer(4, 1, 12), 10))
    s.add(
        ServiceCancelledV1(service_id=s3, centre_id=SM, date=dt.date(2026, 3, 16), reason="Ziekte")
    )

    def served(
        sid: UUID,
        centre: str,
        day: dt.date,
        tariff: str,
        count: int,
        diner: str | None,
        takeaway: bool = False,
        rid: UUID | None = None,
    ) -> MealServedV1:
        return MealServedV1.model_validate(
            {
                "registration_id": rid or uuid4(),
                "service_id": sid,
                "centre_id": centre,
                "date": day,
                "tariff": tariff,
                "count": count,
                "takeaway": takeaway,
                "diner_key": key(diner) if diner else None,
            }
        )

    march31, march30 = dt.date(2026, 3, 31), dt.date(2026, 3, 30)
    r2, r5 = uuid4(), uuid4()
    # R5's correction to 0 arrives before R5 itself.
    s.add(
        MealRegistrationCorrectedV1(
            registration_id=r5,
            service_id=s2,
            centre_id=MS,
            date=march30,
            count=0,
            corrected_at=summer(3, 30, 15),
            reason="Dubbel",
        )
    )
    r1 = served(s1, SM, march31, "standard", 2, "d1")  # the 18:00 service of 31 March
    r1_id = s.add(r1)
    s.add(r1, r1_id)  # redelivered: the same event under the same id
    s.add(served(s1, SM, march31, "reduced", 3, "d2", rid=r2))
    s.add(served(s1, SM, march31, "reduced", 1, "d3", takeaway=True))
    r4 = served(s2, MS, march30, "standard", 4, "d1")
    s.add(r4)
    s.add(r4)  # published twice under two event ids: the registration id makes it count once
    s.add(served(s2, MS, march30, "child", 2, None, rid=r5))
    s.add(served(s4, SM, dt.date(2026, 4, 1), "standard", 1, "d4"))
    # Two corrections of R2 in the wrong order: the later one (count 2) wins.
    s.add(
        MealRegistrationCorrectedV1(
            registration_id=r2,
            service_id=s1,
            centre_id=SM,
            date=march31,
            count=2,
            corrected_at=summer(4, 1, 10),
            reason="Telfout",
        )
    )
    s.add(
        MealRegistrationCorrectedV1(
            registration_id=r2,
            service_id=s1,
            centre_id=SM,
            date=march31,
            count=1,
            corrected_at=summer(4, 1, 9),
            reason="Telfout",
        )
    )
    for sid, centre, day in ((s1, SM, march31), (s2, MS, march30), (s4, SM, dt.date(2026, 4, 1))):
        s.add(
            ServiceClosedV1(
                service_id=sid,
                centre_id=centre,
                date=day,
                served_total=0,
                reserved_total=0,
                no_shows=0,
            )
        )
    # Late: d1's first meal ever was in February at Mannenstraat.
    s.add(served(uuid4(), MS, dt.date(2026, 2, 10), "standard", 1, "d1"))


def desk_and_corner(s: Scenario) -> None:
    """Day totals, one replaced by a later total, one published twice."""
    day = dt.date(2026, 3, 5)
    s.add(DeskContactsRecordedV1(centre_id=SM, date=day, category="housing", count=4))
    s.add(DeskContactsRecordedV1(centre_id=SM, date=day, category="housing", count=6))
    money = s.add(DeskContactsRecordedV1(centre_id=SM, date=day, category="money", count=2))
    s.add(DeskContactsRecordedV1(centre_id=SM, date=day, category="money", count=2), money)
    s.add(DeskContactsRecordedV1(centre_id=MS, date=dt.date(2026, 3, 31), category="work", count=3))
    s.add(
        DeskContactsRecordedV1(centre_id=SM, date=dt.date(2026, 4, 1), category="housing", count=5)
    )
    s.add(ComputerCornerVisitsRecordedV1(centre_id=SM, date=dt.date(2026, 3, 2), visits=7))
    s.add(ComputerCornerVisitsRecordedV1(centre_id=SM, date=dt.date(2026, 3, 2), visits=9))
    s.add(ComputerCornerVisitsRecordedV1(centre_id=MS, date=dt.date(2026, 3, 2), visits=3))
    s.add(ComputerCornerVisitsRecordedV1(centre_id=SM, date=dt.date(2026, 4, 1), visits=10))


def courses(s: Scenario) -> None:
    """Activities A1..A6 (A6 published after its attendances), sessions, attendances,
    enrolments (two on either side of midnight 31 March / 1 April), youth referrals."""
    a1, a2, a3, a4, a5, a6 = (uuid4() for _ in range(6))

    def activity(aid: UUID, centre: str, kind: str, partner: str | None) -> ActivityPublishedV1:
        return ActivityPublishedV1.model_validate(
            {
                "activity_id": aid,
                "centre_id": centre,
                "kind": kind,
                "title": kind,
                "partner": partner,
                "target_groups": ["everyone"],
                "mode": "drop_in" if kind == "conversation_group" else "enrolment",
                "published_at": winter(1, 5),
            }
        )

    s.add(activity(a1, SM, "conversation_group", "diversiteitsdienst"))
    s.add(activity(a2, SM, "computer_course", "open-school"))
    s.add(activity(a3, MS, "computer_course", "link-in-de-kabel"))
    s.add(activity(a4, WD, "homework_support", None))
    s.add(activity(a5, KW, "toddler", None))
    # Sessions of A1 at SM: 10/3 held, 17/3 cancelled, 24/3 scheduled with no outcome.
    ss1, ss2, ss3 = uuid4(), uuid4(), uuid4()
    for sid, start in (
        (ss1, winter(3, 10, 14)),
        (ss2, winter(3, 17, 14)),
        (ss3, winter(3, 24, 14)),
    ):
        s.add(
            SessionScheduledV1(
                session_id=sid,
                activity_id=a1,
                centre_id=SM,
                starts_at=start,
                ends_at=start + dt.timedelta(hours=2),
            )
        )
    s.add(
        SessionHeldV1(
            session_id=ss1, activity_id=a1, centre_id=SM, starts_at=winter(3, 10, 14), attendees=6
        )
    )
    s.add(
        SessionCancelledV1(
            session_id=ss2,
            activity_id=a1,
            centre_id=SM,
            starts_at=winter(3, 17, 14),
            reason="Vakantie",
        )
    )

    def attended(
        aid: UUID,
        centre: str,
        day: dt.date,
        who: str | None,
        target: str | None,
        age: str = "26-64",
        count: int = 1,
        present: bool = True,
        att: UUID | None = None,
    ) -> AttendanceRecordedV1:
        return AttendanceRecordedV1.model_validate(
            {
                "attendance_id": att or uuid4(),
                "session_id": uuid4(),
                "activity_id": aid,
                "centre_id": centre,
                "date": day,
                "participant_key": key(who) if who else None,
                "count": count,
                "age_band": age,
                "target_group": target,
                "present": present,
            }
        )

    march10, march11, march12 = dt.date(2026, 3, 10), dt.date(2026, 3, 11), dt.date(2026, 3, 12)
    s.add(attended(a1, SM, march10, "p1", "newcomers"))
    s.add(attended(a1, SM, march10, "p2", "newcomers"))
    s.add(attended(a1, SM, march10, None, None, count=4))  # four anonymous drop-ins
    s.add(attended(a6, MS, march12, "p1", "newcomers"))
    at5 = uuid4()
    s.add(attended(a6, MS, march12, "p3", "isolated", att=at5))
    s.add(attended(a6, MS, march12, "p3", "isolated", present=False, att=at5))  # re-recorded
    s.add(attended(a4, WD, march11, "p4", "children", age="6-11"))
    s.add(attended(a5, KW, march11, "p5", "families", age="0-2"))
    s.add(attended(a5, KW, march11, "p4", "children", age="6-11"))
    s.add(activity(a6, MS, "language_lesson", "diversiteitsdienst"))  # after its attendances

    def enrolment(
        aid: UUID,
        centre: str,
        who: str,
        status: str,
        at: dt.datetime,
        target: str | None,
        age: str = "26-64",
        eid: UUID | None = None,
    ) -> EnrolmentChangedV1:
        return EnrolmentChangedV1.model_validate(
            {
                "enrolment_id": eid or uuid4(),
                "activity_id": aid,
                "centre_id": centre,
                "participant_key": key(who),
                "status": status,
                "changed_at": at,
                "age_band": age,
                "target_group": target,
            }
        )

    e1 = uuid4()
    s.add(enrolment(a2, SM, "p6", "enrolled", winter(3, 2, 10), "low_income", "65+", eid=e1))
    s.add(enrolment(a2, SM, "p6", "completed", summer(3, 30, 10), "low_income", "65+", eid=e1))
    s.add(enrolment(a2, SM, "p7", "enrolled", winter(3, 3, 10), "low_income"))
    s.add(enrolment(a2, SM, "p8", "waitlisted", winter(3, 3, 11), "low_income"))
    s.add(enrolment(a3, MS, "p6", "enrolled", winter(3, 5, 10), "low_income", "65+"))
    # 23:30 local on 31 March is March; 00:30 local on 1 April (22:30 UTC on 31 March) is April.
    s.add(enrolment(a3, MS, "p9", "enrolled", summer(3, 31, 23, 30), "seniors", "65+"))
    s.add(enrolment(a3, MS, "p9b", "enrolled", summer(4, 1, 0, 30), "seniors", "65+"))
    s.add(enrolment(a4, WD, "p10", "enrolled", winter(3, 20, 16), "youth", "12-17"))
    s.add(enrolment(a4, WD, "p11", "enrolled", winter(3, 20, 16), None, "18-25"))

    yr1, yr2, yr4 = uuid4(), uuid4(), uuid4()
    # The outcome of YR1 arrives before the referral.
    s.add(
        YouthReferralOutcomeRecordedV1(
            referral_id=yr1, centre_id=SM, date=dt.date(2026, 3, 20), outcome="joined"
        )
    )
    for rid, centre, day, who in (
        (yr1, SM, 3, "p20"),
        (yr2, SM, 4, "p21"),
        (uuid4(), SM, 5, "p22"),
        (yr4, MS, 6, "p20"),
    ):
        s.add(
            YouthReferralRecordedV1(
                referral_id=rid,
                centre_id=centre,
                date=dt.date(2026, 3, day),
                association="Chiro",
                participant_key=key(who),
                age_band="12-17",
            )
        )
    s.add(
        YouthReferralOutcomeRecordedV1(
            referral_id=yr2, centre_id=SM, date=dt.date(2026, 3, 25), outcome="not_joined"
        )
    )
    s.add(
        YouthReferralOutcomeRecordedV1(
            referral_id=yr4, centre_id=MS, date=dt.date(2026, 3, 25), outcome="joined"
        )
    )


def volunteers(s: Scenario) -> None:
    """Volunteers v1..v5: statuses (v2's activation before its application, v4's first activation
    published after its second), shifts SH1..SH5 with corrections, milestones, appreciations."""
    v1, v2, v3, v4, v5 = (uuid4() for _ in range(5))

    def status(vid: UUID, new: str, at: dt.datetime, centre: str) -> VolunteerStatusChangedV1:
        # Reporting reads the new status and its time; the previous one is not needed here.
        return VolunteerStatusChangedV1.model_validate(
            {
                "volunteer_id": vid,
                "status": new,
                "previous_status": None,
                "centre_ids": [centre],
                "changed_at": at,
            }
        )

    s.add(status(v1, "applied", winter(1, 10), SM))
    s.add(status(v1, "intake", winter(1, 20), SM))
    s.add(status(v1, "onboarding", winter(2, 1), SM))
    s.add(status(v1, "active", winter(3, 5), SM))  # 54 days after applying
    s.add(status(v2, "active", summer(5, 1), MS))  # 106 days after applying; published first
    s.add(status(v2, "applied", winter(1, 15), MS))
    s.add(status(v3, "applied", winter(3, 2), SM))
    s.add(status(v3, "active", winter(3, 20), SM))
    s.add(status(v4, "active", winter(3, 10), MS))
    s.add(status(v4, "paused", winter(12, 1).replace(year=2025), MS))
    s.add(status(v4, "active", summer(6, 1).replace(year=2025), MS))  # the first one, late
    s.add(status(v5, "applied", summer(3, 31, 23, 30), MS))

    sh2, sh3 = uuid4(), uuid4()
    s.add(
        ShiftCompletedV1(
            shift_id=uuid4(),
            volunteer_id=v1,
            centre_id=SM,
            role="kitchen",
            date=dt.date(2026, 3, 5),
            hours=3.0,
        )
    )
    # SH2's correction (2.5 h -> 2 h) arrives before its completion.
    s.add(
        HoursCorrectedV1(
            shift_id=sh2,
            volunteer_id=v3,
            centre_id=SM,
            role="computer_corner",
            date=dt.date(2026, 3, 20),
            hours=2.0,
            corrected_at=winter(3, 21),
        )
    )
    s.add(
        ShiftCompletedV1(
            shift_id=sh2,
            volunteer_id=v3,
            centre_id=SM,
            role="computer_corner",
            date=dt.date(2026, 3, 20),
            hours=2.5,
        )
    )
    s.add(
        ShiftCompletedV1(
            shift_id=sh3,
            volunteer_id=v4,
            centre_id=MS,
            role="kitchen",
            date=dt.date(2026, 3, 10),
            hours=4.0,
        )
    )
    s.add(
        HoursCorrectedV1(
            shift_id=sh3,
            volunteer_id=v4,
            centre_id=MS,
            role="kitchen",
            date=dt.date(2026, 3, 10),
            hours=0.0,
            corrected_at=winter(3, 11),
        )
    )
    s.add(
        ShiftCompletedV1(
            shift_id=uuid4(),
            volunteer_id=v1,
            centre_id=MS,
            role="welcome_desk",
            date=dt.date(2026, 3, 31),
            hours=1.5,
        )
    )
    s.add(
        ShiftCompletedV1(
            shift_id=uuid4(),
            volunteer_id=v2,
            centre_id=SM,
            role="kitchen",
            date=dt.date(2026, 4, 1),
            hours=2.0,
        )
    )
    s.add(
        MilestoneReachedV1(
            volunteer_id=v1, centre_id=SM, milestone="hours_50", reached_at=winter(3, 15)
        )
    )
    s.add(
        MilestoneReachedV1(
            volunteer_id=v4, centre_id=MS, milestone="years_1", reached_at=winter(3, 1)
        )
    )
    s.add(
        AppreciationRecordedV1(
            appreciation_id=uuid4(),
            centre_id=SM,
            kind="Etentje",
            date=dt.date(2026, 3, 8),
            volunteer_count=12,
        )
    )
    s.add(
        AppreciationRecordedV1(
            appreciation_id=uuid4(),
            centre_id=None,
            kind="Receptie",
            date=dt.date(2026, 3, 21),
            volunteer_count=40,
        )
    )


def haccp(s: Scenario) -> None:
    """Deviations D1..D3 (D3 at 00:30 local on 1 April, its action published first) and the
    refurbishment milestones (a later status published before an earlier one)."""
    d1, d2, d3 = uuid4(), uuid4(), uuid4()
    limits = {"type": "range", "min": None, "max": 7, "unit": "°C"}

    def deviation(
        rid: UUID, centre: str, kitchen: str, kind: str, at: dt.datetime
    ) -> HaccpDeviationDetectedV1:
        return HaccpDeviationDetectedV1.model_validate(
            {
                "record_id": rid,
                "check_id": uuid4(),
                "kitchen_id": kitchen,
                "centre_id": centre,
                "kind": kind,
                "value": 9.5,
                "limits": limits,
                "recorded_at": at,
            }
        )

    def action(
        rid: UUID, centre: str, kitchen: str, at: dt.datetime
    ) -> HaccpCorrectiveActionRecordedV1:
        return HaccpCorrectiveActionRecordedV1(
            record_id=rid,
            check_id=uuid4(),
            kitchen_id=kitchen,
            centre_id=centre,
            action="Koelcel hersteld",
            recorded_at=at,
            staff_id="cook-1",
        )

    s.add(deviation(d1, SM, SM_KITCHEN, "fridge", winter(3, 10, 8)))
    s.add(action(d1, SM, SM_KITCHEN, winter(3, 10, 10)))  # within 24 h
    s.add(deviation(d2, MS, MS_KITCHEN, "freezer", winter(3, 11, 8)))
    s.add(action(d2, MS, MS_KITCHEN, winter(3, 13, 8)))  # after 48 h
    s.add(action(d3, MS, MS_KITCHEN, summer(4, 1, 6)))  # before its deviation arrives
    s.add(deviation(d3, MS, MS_KITCHEN, "fridge", summer(4, 1, 0, 30)))

    def milestone(
        kitchen: str, centre: str, name: str, status: str, day: dt.date
    ) -> KitchenRefurbishmentUpdatedV1:
        return KitchenRefurbishmentUpdatedV1.model_validate(
            {
                "kitchen_id": kitchen,
                "centre_id": centre,
                "milestone": name,
                "status": status,
                "date": day,
            }
        )

    s.add(milestone(MS_KITCHEN, MS, "koelcel", "planned", dt.date(2026, 1, 10)))
    s.add(milestone(MS_KITCHEN, MS, "koelcel", "done", dt.date(2026, 3, 15)))
    s.add(milestone(MS_KITCHEN, MS, "koelcel", "in_progress", dt.date(2026, 2, 1)))
    s.add(milestone(MS_KITCHEN, MS, "afzuiging", "planned", dt.date(2026, 1, 10)))
    s.add(milestone(SM_KITCHEN, SM, "vloer", "done", dt.date(2026, 2, 20)))
    s.add(milestone(SM_KITCHEN, SM, "vloer", "planned", dt.date(2026, 1, 5)))
