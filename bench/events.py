"""Realistic mixed event streams, built with the contract models, and a fast publisher for them.

`CityDays` simulates the centres' weekdays, one after the other: each centre plans a meal service,
registers the meals served (a tap per tariff, often with a diner card), corrects a few and closes
the service; holds a session of one of its activities with its attendances and enrolment changes;
counts its welcome-desk contacts and computer-corner visits, refers a young person now and then;
its volunteers complete shifts, move through the pipeline, reach milestones; its kitchen records
the odd HACCP deviation with its corrective action. Manual values and refurbishment milestones
are rare. Every event type the reporting projections consume appears; the proportions that come
out are about (per cent of all events):

    meals.meal_served 41, courses.attendance_recorded 19, volunteers.shift_completed 9,
    courses.enrolment_changed 6, meals.service_planned 3, meals.service_closed 3,
    courses.session_scheduled 3, courses.session_held 3, courses.desk_contacts_recorded 3,
    meals.meal_registration_corrected 2, volunteers.volunteer_status_changed 1.5,
    courses.computer_corner_visits_recorded 1, meals.haccp_deviation_detected 1,
    meals.haccp_corrective_action_recorded 1, and below 1 each: youth referrals and their
    outcomes, hours corrections, session cancellations, service changes and cancellations,
    milestones, appreciations, activities published, refurbishment, manual values.

`publish` sends events with pipelined publisher confirms (a window of messages in flight).
"""

import asyncio
import datetime as dt
import random
from collections.abc import Iterable, Iterator, Sequence
from itertools import islice
from typing import get_args
from uuid import UUID, uuid4
from zoneinfo import ZoneInfo

from aio_pika.abc import AbstractExchange

from buurtwerk_shared.contracts.envelope import Envelope
from buurtwerk_shared.contracts.events import EventData
from buurtwerk_shared.contracts.events.courses import (
    ActivityKind,
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
    Dish,
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
from buurtwerk_shared.contracts.events.reporting import ManualValueRecordedV1
from buurtwerk_shared.contracts.events.volunteers import (
    ALLOWED_TRANSITIONS,
    AppreciationRecordedV1,
    HoursCorrectedV1,
    MilestoneReachedV1,
    ShiftCompletedV1,
    VolunteerStatus,
    VolunteerStatusChangedV1,
)
from buurtwerk_shared.messaging.consumer import ReceivedEvent
from buurtwerk_shared.messaging.outbox import envelope_for
from buurtwerk_shared.messaging.relay import PUBLISH_TIMEOUT_SECONDS, event_message
from buurtwerk_shared.reference import reference_data
from tests.support.broker import TEST_BROKER_USER

BRUSSELS = ZoneInfo("Europe/Brussels")
# About how many events one centre's weekday produces (see the module docstring).
EVENTS_PER_CENTRE_DAY = 33
TARIFFS = (("standard", 45), ("reduced", 35), ("child", 10), ("volunteer", 10))
ACTIVITY_KINDS = tuple(k for k in get_args(ActivityKind) if k != "other")
ENROLMENT_STATUSES = ("enrolled", "enrolled", "waitlisted", "promoted", "cancelled", "completed")
SHIFT_ROLES = ("kitchen", "computer_corner", "homework_support", "conversation_group")


def _at(day: dt.date, hour: int, minute: int = 0) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour, minute), BRUSSELS)


def _key(prefix: str, number: int) -> str:
    return f"{prefix}{number:08d}"


class _Centre:
    """What one simulated centre remembers from day to day."""

    def __init__(self, centre_id: str, kitchen_id: str | None, rng: random.Random) -> None:
        self.id = centre_id
        self.kitchen_id = kitchen_id
        self.activities = [(uuid4(), kind) for kind in ACTIVITY_KINDS]
        self.volunteers: dict[UUID, VolunteerStatus] = {uuid4(): "active" for _ in range(30)}
        self.open_referrals: list[UUID] = []
        self.diner_offset = rng.randrange(10**6)


class CityDays:
    """A deterministic simulation of the city's weekdays; iterate for its events."""

    def __init__(
        self,
        first_day: dt.date,
        last_day: dt.date | None = None,
        centres: Sequence[str] | None = None,
        seed: int = 1,
    ):
        reference = reference_data()
        self._rng = random.Random(seed)
        kitchens = {k.centre: k.id for k in reference.kitchens}
        ids = centres or reference.codes("centres")
        self._centres = [_Centre(c, kitchens.get(c), self._rng) for c in ids]
        self._partners = reference.codes("partners")
        self._age_bands = reference.codes("age_bands")
        self._target_groups = reference.codes("target_groups")
        self._desk_categories = reference.codes("desk_categories")
        self._first_day = first_day
        self._last_day = last_day

    def __iter__(self) -> Iterator[EventData]:
        yield from self._activities(self._first_day)
        day = self._first_day
        while self._last_day is None or day <= self._last_day:
            if day.weekday() < 5:
                for centre in self._centres:
                    yield from self._day(centre, day)
                if self._rng.random() < 0.02:
                    yield self._manual_value(day)
            day += dt.timedelta(days=1)

    def _activities(self, day: dt.date) -> Iterator[EventData]:
        for centre in self._centres:
            for activity_id, kind in centre.activities:
                yield ActivityPublishedV1(
                    activity_id=activity_id,
                    centre_id=centre.id,
                    kind=kind,
                    title=f"{kind} {centre.id}",
                    partner=self._rng.choice(self._partners),
                    target_groups=[self._rng.choice(self._target_groups)],
                    capacity=20,
                    mode="enrolment" if kind == "computer_course" else "drop_in",
                    published_at=_at(day, 9),
                )

    def _day(self, centre: _Centre, day: dt.date) -> Iterator[EventData]:
        # A centre without a kitchen serves no meals and keeps no kitchen log: reporting refuses
        # such events (`centre_without_kitchen`).
        if centre.kitchen_id is not None:
            yield from self._meals(centre, day, centre.kitchen_id)
        yield from self._session(centre, day)
        yield from self._tallies(centre, day)
        yield from self._volunteers(centre, day)
        if centre.kitchen_id is not None:
            yield from self._kitchen(centre, day, centre.kitchen_id)

    def _meals(self, centre: _Centre, day: dt.date, kitchen_id: str) -> Iterator[EventData]:
        rng = self._rng
        service_id = uuid4()
        yield ServicePlannedV1(
            service_id=service_id,
            centre_id=centre.id,
            kitchen_id=kitchen_id,
            date=day,
            starts_at=_at(day, 12),
            capacity=80,
            prices={"standard": 650, "reduced": 350, "child": 300, "volunteer": 0},
            dishes=[Dish(name="Stoofvlees met frietjes", allergens=["gluten", "mustard"])],
        )
        if rng.random() < 0.01:
            yield ServiceCancelledV1(
                service_id=service_id, centre_id=centre.id, date=day, reason="Keuken defect"
            )
            return
        if rng.random() < 0.03:
            yield ServiceChangedV1(
                service_id=service_id,
                centre_id=centre.id,
                date=day,
                changed_at=_at(day, 10),
                capacity=90,
            )
        served_total = 0
        for _ in range(14):
            registration_id = uuid4()
            count = rng.choice((1, 1, 1, 2, 3))
            diner = rng.random() < 0.6
            yield MealServedV1(
                registration_id=registration_id,
                service_id=service_id,
                centre_id=centre.id,
                date=day,
                tariff=rng.choices([t for t, _ in TARIFFS], [w for _, w in TARIFFS])[0],
                count=count,
                takeaway=rng.random() < 0.15,
                diner_key=_key("d", centre.diner_offset + rng.randrange(400)) if diner else None,
            )
            served_total += count
            if rng.random() < 0.05:
                yield MealRegistrationCorrectedV1(
                    registration_id=registration_id,
                    service_id=service_id,
                    centre_id=centre.id,
                    date=day,
                    count=count - 1,
                    corrected_at=_at(day, 13),
                    reason="Verkeerd aangetikt",
                )
        yield ServiceClosedV1(
            service_id=service_id,
            centre_id=centre.id,
            date=day,
            served_total=served_total,
            reserved_total=0,
            no_shows=0,
        )

    def _session(self, centre: _Centre, day: dt.date) -> Iterator[EventData]:
        rng = self._rng
        activity_id, _kind = rng.choice(centre.activities)
        session_id = uuid4()
        starts_at = _at(day, 14)
        yield SessionScheduledV1(
            session_id=session_id,
            activity_id=activity_id,
            centre_id=centre.id,
            starts_at=starts_at,
            ends_at=starts_at + dt.timedelta(hours=2),
        )
        if rng.random() < 0.07:
            yield SessionCancelledV1(
                session_id=session_id,
                activity_id=activity_id,
                centre_id=centre.id,
                starts_at=starts_at,
                reason="Lesgever ziek",
            )
            return
        attendees = 7
        yield SessionHeldV1(
            session_id=session_id,
            activity_id=activity_id,
            centre_id=centre.id,
            starts_at=starts_at,
            attendees=attendees,
        )
        for _ in range(attendees):
            known = rng.random() < 0.8
            yield AttendanceRecordedV1(
                attendance_id=uuid4(),
                session_id=session_id,
                activity_id=activity_id,
                centre_id=centre.id,
                date=day,
                participant_key=_key("p", rng.randrange(5000)) if known else None,
                count=1 if known else rng.randint(1, 4),
                age_band=rng.choice(self._age_bands),
                target_group=rng.choice(self._target_groups),
            )
        for _ in range(2):
            yield EnrolmentChangedV1(
                enrolment_id=uuid4(),
                activity_id=activity_id,
                centre_id=centre.id,
                participant_key=_key("p", rng.randrange(5000)),
                status=rng.choice(ENROLMENT_STATUSES),
                changed_at=_at(day, 16),
                age_band=rng.choice(self._age_bands),
                target_group=rng.choice(self._target_groups),
            )

    def _tallies(self, centre: _Centre, day: dt.date) -> Iterator[EventData]:
        rng = self._rng
        yield DeskContactsRecordedV1(
            centre_id=centre.id,
            date=day,
            category=rng.choice(self._desk_categories),
            count=rng.randint(3, 20),
        )
        if rng.random() < 0.3:
            yield ComputerCornerVisitsRecordedV1(
                centre_id=centre.id, date=day, visits=rng.randint(5, 40)
            )
        if rng.random() < 0.15:
            referral_id = uuid4()
            centre.open_referrals.append(referral_id)
            yield YouthReferralRecordedV1(
                referral_id=referral_id,
                centre_id=centre.id,
                date=day,
                association="Chiro Sint-Maartensdal",
                participant_key=_key("y", rng.randrange(2000)),
                age_band="12-17",
            )
        if centre.open_referrals and rng.random() < 0.15:
            yield YouthReferralOutcomeRecordedV1(
                referral_id=centre.open_referrals.pop(0),
                centre_id=centre.id,
                date=day,
                outcome=rng.choice(("joined", "not_joined")),
            )

    def _volunteers(self, centre: _Centre, day: dt.date) -> Iterator[EventData]:
        rng = self._rng
        volunteers = list(centre.volunteers)
        shifts = []
        for volunteer_id in rng.sample(volunteers, 3):
            shift = ShiftCompletedV1(
                shift_id=uuid4(),
                volunteer_id=volunteer_id,
                centre_id=centre.id,
                role=rng.choice(SHIFT_ROLES),
                date=day,
                hours=rng.choice((2.0, 3.0, 3.5, 4.0)),
            )
            shifts.append(shift)
            yield shift
        if rng.random() < 0.2:
            shift = shifts[0]
            yield HoursCorrectedV1(
                shift_id=shift.shift_id,
                volunteer_id=shift.volunteer_id,
                centre_id=centre.id,
                role=shift.role,
                date=day,
                hours=shift.hours + 0.5,
                corrected_at=_at(day, 18),
            )
        if rng.random() < 0.5:
            volunteer_id = rng.choice(volunteers)
            previous = centre.volunteers[volunteer_id]
            status = rng.choice(sorted(ALLOWED_TRANSITIONS[previous]))
            centre.volunteers[volunteer_id] = status
            yield VolunteerStatusChangedV1(
                volunteer_id=volunteer_id,
                status=status,
                previous_status=previous,
                centre_ids=[centre.id],
                changed_at=_at(day, 11),
            )
        if rng.random() < 0.05:
            yield MilestoneReachedV1(
                volunteer_id=rng.choice(volunteers),
                centre_id=centre.id,
                milestone=f"hours_{rng.choice((50, 100, 250))}",
                reached_at=_at(day, 18),
            )
        if rng.random() < 0.02:
            yield AppreciationRecordedV1(
                appreciation_id=uuid4(),
                centre_id=centre.id,
                kind="Vrijwilligersfeest",
                date=day,
                volunteer_count=len(volunteers),
            )

    def _kitchen(self, centre: _Centre, day: dt.date, kitchen_id: str) -> Iterator[EventData]:
        rng = self._rng
        if rng.random() < 0.3:
            record_id = uuid4()
            check_id = uuid4()
            recorded_at = _at(day, 10, rng.randrange(60))
            yield HaccpDeviationDetectedV1(
                record_id=record_id,
                check_id=check_id,
                kitchen_id=kitchen_id,
                centre_id=centre.id,
                kind="fridge",
                value=9.5,
                recorded_at=recorded_at,
            )
            if rng.random() < 0.9:
                yield HaccpCorrectiveActionRecordedV1(
                    record_id=record_id,
                    check_id=check_id,
                    kitchen_id=kitchen_id,
                    centre_id=centre.id,
                    action="Koelkast bijgesteld, waren verplaatst",
                    recorded_at=recorded_at + dt.timedelta(minutes=20),
                    staff_id="bench-cook",
                )
        if rng.random() < 0.002:
            yield KitchenRefurbishmentUpdatedV1(
                kitchen_id=kitchen_id,
                centre_id=centre.id,
                milestone="Nieuwe koelcel",
                status=rng.choice(("planned", "in_progress", "done")),
                date=day,
            )

    def _manual_value(self, day: dt.date) -> EventData:
        return ManualValueRecordedV1(
            indicator_id="team.staff_fte",
            centre_id=None,
            period=str(day.year),
            value=round(self._rng.uniform(10, 14), 1),
            source_note="Personeelsdienst",
            recorded_at=_at(day, 9),
            staff_id="bench-analyst",
        )


def first_day_for(events: int, centres: int, last_day: dt.date) -> dt.date:
    """The first day of a simulation that yields about `events` events up to `last_day`."""
    weekdays = events / (EVENTS_PER_CENTRE_DAY * centres)
    return last_day - dt.timedelta(days=round(weekdays * 7 / 5))


def city_events(events: int, last_day: dt.date | None = None, seed: int = 1) -> list[EventData]:
    """`events` events of the whole city (every reference centre), ending about `last_day`."""
    last = last_day or dt.date.today()
    centres = reference_data().codes("centres")
    return list(islice(CityDays(first_day_for(events, len(centres), last), seed=seed), events))


def received(events: Sequence[EventData]) -> list[ReceivedEvent]:
    """The events as a consumer receives them (with a fresh envelope each)."""
    return [ReceivedEvent(envelope=envelope_for(e), data=e) for e in events]


# What a publisher sends for an event: its routing key, its envelope and its JSON data.
Payload = tuple[str, Envelope, str]


def payloads(events: Sequence[EventData]) -> list[Payload]:
    """The events as a publishing service has them, with a fresh envelope each."""
    return [(e.event_type, envelope_for(e), e.to_json()) for e in events]


async def publish(exchange: AbstractExchange, batch: Sequence[Payload], window: int = 1000) -> None:
    """Publish with pipelined confirms: up to `window` messages await their confirm at once.

    Each message is built here, as the relay builds it (`relay.event_message`).
    """
    for start in range(0, len(batch), window):
        await asyncio.gather(
            *(
                exchange.publish(
                    event_message(envelope, data, TEST_BROKER_USER),
                    routing_key=key,
                    timeout=PUBLISH_TIMEOUT_SECONDS,
                )
                for key, envelope, data in batch[start : start + window]
            )
        )


async def publish_events(
    exchange: AbstractExchange, events: Iterable[EventData], chunk: int = 20_000
) -> int:
    """Publish a stream of events in chunks (to keep memory flat); how many were sent."""
    sent = 0
    iterator = iter(events)
    while batch := list(islice(iterator, chunk)):
        await publish(exchange, payloads(batch))
        sent += len(batch)
    return sent
