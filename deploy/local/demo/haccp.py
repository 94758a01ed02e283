"""Demo HACCP kitchen logs: equipment, checks, the last day's records, deliveries, refurbishment.

The meals service takes a reading at most 24 hours after it was taken, so the demo's log covers
the day before the moment of loading: the fridge, freezer, cooking, hot-holding and cleaning
checks that fell due then, the morning deliveries, two fridge readings out of limits every day
(one in the morning, one in the afternoon, in alternating kitchens) and a few undercooked dishes,
each put right by a corrective action twenty minutes later (those more recent are still open).
Each record answers a scheduled occurrence or a fixed time of day, so loading again within the day
adds nothing, and a later load adds only what fell due since.
"""

import datetime as dt
import random
from collections.abc import Sequence
from dataclasses import dataclass
from uuid import UUID

from buurtwerk_shared.contracts.events.haccp import (
    ChecklistLimits,
    HaccpCheckKind,
    HaccpLevel,
    Limits,
    OnEventSchedule,
    PerServiceSchedule,
    RangeLimits,
    Schedule,
    TimesOfDaySchedule,
)
from buurtwerk_shared.haccp_schedule import MealServiceSlot, due_times, local_date, local_instant
from buurtwerk_shared.web.auth import Role
from deploy.local.demo.api import ServiceApi, together
from deploy.local.demo.days import BRUSSELS, DemoCalendar
from deploy.local.demo.figures import Figures
from deploy.local.demo.meals import KITCHENS, LUNCH, Kitchen, ServicePlan
from meals.haccp.api.schemas import (
    AddEquipment,
    CheckView,
    DefineCheck,
    DeliveryView,
    EquipmentKind,
    EquipmentView,
    RecordCheck,
    RecordCorrectiveAction,
    RecordDelivery,
    RecordView,
    RefurbishmentStatus,
    RefurbishmentView,
    UpdateRefurbishment,
)

COORDINATOR: Role = "centre_coordinator"
COOK: Role = "kitchen_staff"
# The log the demo writes: from this long before the moment of loading, to a little before it.
LOOK_BACK = dt.timedelta(hours=22)
SETTLE = dt.timedelta(minutes=5)
ACTION_AFTER = dt.timedelta(minutes=20)
EVERY_DAY = [1, 2, 3, 4, 5, 6, 7]

EQUIPMENT: tuple[tuple[EquipmentKind, str], ...] = (
    ("fridge", "Koelkast 1 (groenten en zuivel)"),
    ("fridge", "Koelkast 2 (vlees en vis)"),
    ("freezer", "Diepvriezer"),
    ("hot_holding", "Warmhoudkast"),
    ("thermometer", "Kernthermometer"),
)
CLEANING_ITEMS = ["Werkbanken", "Snijplanken", "Vloer", "Handgrepen koelkasten", "Afvalbakken"]


@dataclass(frozen=True)
class Check:
    """A check every demo kitchen keeps, with the readings it usually gives."""

    slug: str
    kind: HaccpCheckKind
    label: str
    schedule: Schedule
    usual: tuple[float, float] | None
    limits: Limits | None = None
    level: HaccpLevel = "required"
    equipment: str | None = None


CHECKS = (
    Check(
        "fridge-1",
        "fridge",
        "Koelkast 1: temperatuur",
        TimesOfDaySchedule(times=["08:00", "15:00"], weekdays=EVERY_DAY),
        (2.5, 5.5),
        equipment="Koelkast 1 (groenten en zuivel)",
    ),
    Check(
        "fridge-2",
        "fridge",
        "Koelkast 2 (vlees en vis): temperatuur",
        TimesOfDaySchedule(times=["08:00", "15:00"], weekdays=EVERY_DAY),
        (1.5, 3.8),
        limits=RangeLimits(max=4),
        equipment="Koelkast 2 (vlees en vis)",
    ),
    Check(
        "freezer",
        "freezer",
        "Diepvriezer: temperatuur",
        TimesOfDaySchedule(times=["08:00"], weekdays=EVERY_DAY),
        (-22.0, -19.0),
        equipment="Diepvriezer",
    ),
    Check(
        "cooking",
        "cooking",
        "Kerntemperatuur bij het garen",
        PerServiceSchedule(offset_minutes=-30),
        (76.0, 91.0),
    ),
    Check(
        "hot-holding",
        "hot_holding",
        "Warmhouden tijdens de maaltijd",
        PerServiceSchedule(offset_minutes=30),
        (62.0, 71.0),
        equipment="Warmhoudkast",
    ),
    Check(
        "cleaning",
        "cleaning",
        "Schoonmaak keuken na de maaltijd",
        TimesOfDaySchedule(times=["14:30"], weekdays=[1, 2, 3, 4, 5], only_on_service_days=True),
        None,
        limits=ChecklistLimits(items=CLEANING_ITEMS),
        level="recommended",
    ),
    Check(
        "goods-receipt",
        "goods_receipt",
        "Ontvangst gekoelde goederen",
        OnEventSchedule(),
        None,
    ),
)
GOODS_RECEIPT = CHECKS[-1]
# (supplier, product, local time of arrival on weekdays, usual temperature if chilled)
DELIVERIES: tuple[tuple[str, str, dt.time, tuple[float, float] | None], ...] = (
    ("Groenten Vandewalle", "Groenten en fruit", dt.time(7, 45), None),
    ("Slagerij Peeters", "Gehakt en kippenfilet", dt.time(9, 15), (2.0, 5.5)),
)
# (milestone, status, days after the demo's first day)
REFURBISHMENT: dict[str, tuple[tuple[str, RefurbishmentStatus, int], ...]] = {
    "sint-maartensdal-keuken": (
        ("Nieuwe koelcel", "done", -60),
        ("Afzuigkap vervangen", "in_progress", 3),
        ("Nieuwe vaatwasmachine", "planned", 60),
    ),
    "mannenstraat-keuken": (
        ("Vloer keuken vernieuwd", "done", -120),
        ("Handwasbak met voetbediening", "done", -20),
        ("Koelcel uitbreiden", "planned", 90),
    ),
}


@dataclass(frozen=True)
class Reading:
    """A record of a check at one of its occurrences, and what was done if it deviated."""

    check: Check
    due_at: dt.datetime
    taken_at: dt.datetime
    value: float | None
    deviates: bool
    action: str | None


def _stamp(instant: dt.datetime) -> str:
    """An instant as part of an idempotency key (which takes no `+`): UTC, to the minute."""
    return f"{instant.astimezone(dt.UTC):%Y%m%dT%H%MZ}"


def _rng(*parts: object) -> random.Random:
    return random.Random(":".join(["demo-haccp", *map(str, parts)]))


def _designated_deviation(kitchen: Kitchen, check: Check, due_at: dt.datetime) -> str | None:
    """Every day one fridge reading at 08:00 and one at 15:00 is out of limits, in alternating
    kitchens: any day's log shows at least one. Returns what was done about it."""
    local = due_at.astimezone(BRUSSELS)
    odd_day = local.toordinal() % 2 == 1
    first_kitchen = kitchen is KITCHENS[0]
    if check.slug == "fridge-2" and local.hour == 8 and odd_day != first_kitchen:
        return "Deur stond op een kier: vlees naar koelkast 1 / door ajar: meat moved to fridge 1"
    if check.slug == "fridge-1" and local.hour == 15 and odd_day == first_kitchen:
        return "Thermostaat bijgesteld, zuivel nagekeken / thermostat set lower, dairy checked"
    return None


def _reading(kitchen: Kitchen, check: Check, due_at: dt.datetime) -> Reading:
    rng = _rng(kitchen.kitchen_id, check.slug, due_at.isoformat())
    taken_at = due_at + dt.timedelta(minutes=rng.randint(2, 12))
    if check.usual is None:
        return Reading(check, due_at, taken_at, None, False, None)
    value = round(rng.uniform(*check.usual), 1)
    action = _designated_deviation(kitchen, check, due_at)
    if action is not None:
        value = round(rng.uniform(7.5, 9.0), 1)
    elif check.kind == "cooking" and rng.random() < 0.15:
        value = round(rng.uniform(58.0, 64.0), 1)
        action = "Verder gegaard tot boven 75 °C / cooked on to above 75 °C"
    return Reading(check, due_at, taken_at, value, action is not None, action)


def plan_readings(
    kitchen: Kitchen, meal_plans: Sequence[ServicePlan], at: dt.datetime
) -> list[Reading]:
    """The readings of the kitchen's scheduled checks that fell due in the day before `at`."""
    services = [
        MealServiceSlot(plan.date, local_instant(plan.date, LUNCH))
        for plan in meal_plans
        if plan.kitchen is kitchen and plan.cancel_reason is None
    ]
    readings = []
    for check in CHECKS:
        for due_at in due_times(check.schedule, at - LOOK_BACK, at - SETTLE, services):
            reading = _reading(kitchen, check, due_at)
            if reading.taken_at <= at:
                readings.append(reading)
    return readings


def plan_deliveries(at: dt.datetime) -> list[tuple[dt.datetime, int]]:
    """The deliveries of the day before `at`: (when, which of `DELIVERIES`), weekdays only."""
    arrivals = []
    for days_back in (1, 0):
        day = local_date(at) - dt.timedelta(days=days_back)
        if day.isoweekday() > 5:
            continue
        for index, (_, _, clock, _) in enumerate(DELIVERIES):
            when = local_instant(day, clock)
            if at - LOOK_BACK < when <= at - SETTLE:
                arrivals.append((when, index))
    return arrivals


def haccp_figures(meal_plans: Sequence[ServicePlan], at: dt.datetime) -> Figures:
    """Deviations per month (`haccp.deviations`)."""
    figures = Figures()
    for kitchen in KITCHENS:
        for reading in plan_readings(kitchen, meal_plans, at):
            if reading.deviates:
                figures.add("haccp.deviations", local_date(reading.taken_at), 1)
    return figures


async def _equipment(api: ServiceApi, kitchen: Kitchen) -> dict[str, UUID]:
    path = f"/haccp/kitchens/{kitchen.kitchen_id}/equipment"
    have = {e.label: e.equipment_id for e in await api.read_all(COOK, path, EquipmentView)}
    for n, (kind, label) in enumerate(EQUIPMENT, start=1):
        if label in have:
            api.found()
            continue
        added = await api.write(
            COORDINATOR,
            "POST",
            path,
            f"demo:haccp:{kitchen.kitchen_id}:equipment:{n}",
            EquipmentView,
            AddEquipment(kind=kind, label=label),
        )
        have[label] = added.equipment_id
    return have


async def _checks(
    api: ServiceApi, kitchen: Kitchen, equipment: dict[str, UUID]
) -> dict[str, CheckView]:
    path = f"/haccp/kitchens/{kitchen.kitchen_id}/checks"
    have = {c.label: c for c in await api.read_all(COOK, path, CheckView)}
    checks = {}
    for check in CHECKS:
        if check.label in have:
            api.found()
            checks[check.slug] = have[check.label]
            continue
        checks[check.slug] = await api.write(
            COORDINATOR,
            "POST",
            path,
            f"demo:haccp:{kitchen.kitchen_id}:check:{check.slug}",
            CheckView,
            DefineCheck(
                kind=check.kind,
                label=check.label,
                schedule=check.schedule,
                limits=check.limits,
                level=check.level,
                equipment_id=equipment[check.equipment] if check.equipment else None,
            ),
        )
    return checks


async def _record(
    api: ServiceApi,
    kitchen: Kitchen,
    check: CheckView,
    reading: Reading,
    at: dt.datetime,
    thermometer: UUID,
) -> None:
    key = f"demo:haccp:{kitchen.kitchen_id}:{reading.check.slug}:{_stamp(reading.due_at)}"
    if reading.check.kind == "cleaning":
        body = RecordCheck(
            items=dict.fromkeys(CLEANING_ITEMS, True),
            due_at=reading.due_at,
            taken_at=reading.taken_at,
        )
    else:
        # Core temperatures are taken with the probe thermometer, fridges read on their display.
        probe = reading.check.kind in ("cooking", "hot_holding")
        body = RecordCheck(
            value=reading.value,
            thermometer_id=thermometer if probe else None,
            due_at=reading.due_at,
            taken_at=reading.taken_at,
        )
    record = await api.write(
        COOK, "POST", f"/haccp/checks/{check.check_id}/records", key, RecordView, body
    )
    acted_at = reading.taken_at + ACTION_AFTER
    if reading.action is not None and acted_at <= at:
        await api.write(
            COOK,
            "POST",
            f"/haccp/records/{record.record_id}/corrective-actions",
            f"{key}:action",
            RecordView,
            RecordCorrectiveAction(action=reading.action, taken_at=acted_at),
        )


async def _deliver(
    api: ServiceApi, kitchen: Kitchen, receipt: CheckView, when: dt.datetime, index: int
) -> None:
    supplier, product, _, usual = DELIVERIES[index]
    local = when.astimezone(BRUSSELS)
    rng = _rng(kitchen.kitchen_id, "delivery", when.isoformat())
    temperature = round(rng.uniform(*usual), 1) if usual else None
    await api.write(
        COOK,
        "POST",
        f"/haccp/kitchens/{kitchen.kitchen_id}/deliveries",
        f"demo:haccp:{kitchen.kitchen_id}:delivery:{index}:{_stamp(when)}",
        DeliveryView,
        RecordDelivery(
            supplier=supplier,
            product=product,
            lot=f"L{local:%y%m%d}-{index + 1}",
            best_before=local.date() + dt.timedelta(days=4 if usual else 7),
            check_id=receipt.check_id if usual else None,
            temperature=temperature,
            received_at=when,
        ),
    )


async def _refurbishment(api: ServiceApi, calendar: DemoCalendar, kitchen: Kitchen) -> None:
    path = f"/haccp/kitchens/{kitchen.kitchen_id}/refurbishment"
    known = {m.milestone for m in await api.read_all(COOK, path, RefurbishmentView)}
    for n, (milestone, status, days) in enumerate(REFURBISHMENT[kitchen.kitchen_id], start=1):
        if milestone in known:
            api.found()
            continue
        await api.write(
            COORDINATOR,
            "POST",
            path,
            f"demo:haccp:{kitchen.kitchen_id}:refurbishment:{n}",
            RefurbishmentView,
            UpdateRefurbishment(
                milestone=milestone,
                status=status,
                date=calendar.first + dt.timedelta(days=days),
            ),
        )


async def _kitchen(
    api: ServiceApi,
    calendar: DemoCalendar,
    kitchen: Kitchen,
    meal_plans: Sequence[ServicePlan],
    at: dt.datetime,
) -> None:
    equipment = await _equipment(api, kitchen)
    checks = await _checks(api, kitchen, equipment)
    thermometer = equipment["Kernthermometer"]
    await together(
        _record(api, kitchen, checks[reading.check.slug], reading, at, thermometer)
        for reading in plan_readings(kitchen, meal_plans, at)
    )
    receipt = checks[GOODS_RECEIPT.slug]
    await together(_deliver(api, kitchen, receipt, when, i) for when, i in plan_deliveries(at))
    await _refurbishment(api, calendar, kitchen)


async def load_haccp(
    api: ServiceApi, calendar: DemoCalendar, meal_plans: Sequence[ServicePlan], at: dt.datetime
) -> None:
    """Set up both kitchens' logs and write the day before `at` into them (after the meal
    services are planned: the checks done per service need them)."""
    await together(_kitchen(api, calendar, kitchen, meal_plans, at) for kitchen in KITCHENS)
