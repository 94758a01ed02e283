"""The demo's meal services: a service to try the kitchen tablet on, whatever day it is loaded."""

import datetime as dt

from deploy.local.demo.days import DemoCalendar
from deploy.local.demo.meals import KITCHENS, plan_meals

SATURDAY = dt.date(2026, 12, 5)
WEDNESDAY = dt.date(2026, 12, 9)


def test_on_a_weekend_today_still_has_an_open_lunch_in_every_kitchen() -> None:
    today = [plan for plan in plan_meals(DemoCalendar(SATURDAY)) if plan.date == SATURDAY]
    assert {plan.kitchen for plan in today} == set(KITCHENS)
    assert all(not plan.close and plan.cancel_reason is None for plan in today)
    assert all(plan.registrations == () for plan in today)


def test_on_a_weekday_only_the_open_days_have_a_lunch() -> None:
    calendar = DemoCalendar(WEDNESDAY)
    plans = plan_meals(calendar)
    assert {plan.date for plan in plans} == set(calendar.open_days())
    assert all(plan.date.isoweekday() <= 5 for plan in plans)
