"""Load the demo into running services, through their HTTP APIs only."""

import asyncio
import datetime as dt
from dataclasses import dataclass, field
from typing import Any

import httpx

from buurtwerk_shared.config import ServiceSettings
from courses.settings import CoursesSettings
from deploy.local.demo.api import ServiceApi, Tally, together
from deploy.local.demo.courses import courses_figures, load_courses
from deploy.local.demo.days import BRUSSELS, DemoCalendar
from deploy.local.demo.figures import Figures
from deploy.local.demo.haccp import haccp_figures, load_haccp
from deploy.local.demo.meals import ServicePlan, load_meals, meals_figures, plan_meals
from deploy.local.demo.reporting import load_reporting
from deploy.local.demo.volunteers import load_volunteers, volunteer_figures
from meals.settings import MealsSettings
from reporting.settings import ReportingSettings
from volunteers.settings import VolunteersSettings

SERVICES: dict[str, type[ServiceSettings]] = {
    "meals": MealsSettings,
    "volunteers": VolunteersSettings,
    "courses": CoursesSettings,
    "reporting": ReportingSettings,
}
# Requests in flight at once: enough to keep four services busy on a small machine.
CONCURRENCY = 8
READY_SECONDS = 3.0


def service_urls() -> dict[str, str]:
    """Where the services listen, from the same variables `make run` honours."""
    urls = {}
    for name, settings_class in SERVICES.items():
        settings = settings_class()
        # A service listening on every interface is reached on the loopback one.
        host = "127.0.0.1" if settings.http_host in ("0.0.0.0", "::", "") else settings.http_host
        urls[name] = f"http://{host}:{settings.http_port}"
    return urls


async def not_ready(urls: dict[str, str]) -> list[str]:
    """The services whose `/health/ready` does not answer 200, each with what it said."""
    problems = []
    async with httpx.AsyncClient(timeout=READY_SECONDS) as http:
        for name, url in urls.items():
            try:
                response = await http.get(f"{url}/health/ready")
            except httpx.HTTPError as exc:
                problems.append(f"{name} at {url}: {type(exc).__name__} {exc}".rstrip())
                continue
            if response.status_code != 200:
                problems.append(f"{name} at {url}: /health/ready answered {response.status_code}")
    return problems


@dataclass
class Report:
    """What a run loaded, and the totals the demo data adds up to."""

    at: dt.datetime
    calendar: DemoCalendar
    tallies: dict[str, Tally] = field(default_factory=dict)
    figures: Figures = field(default_factory=Figures)

    def total(self) -> Tally:
        """The tallies of all services together."""
        total = Tally()
        for tally in self.tallies.values():
            total.add(tally)
        return total

    def as_dict(self) -> dict[str, Any]:
        """The report as JSON-ready data."""
        return {
            "at": self.at.isoformat(),
            "today": self.calendar.today.isoformat(),
            "first": self.calendar.first.isoformat(),
            "last": self.calendar.last.isoformat(),
            "services": {name: vars(tally) for name, tally in self.tallies.items()},
            "figures": self.figures.as_dict(),
        }


async def _meals_and_kitchens(
    api: ServiceApi, calendar: DemoCalendar, plans: list[ServicePlan], at: dt.datetime
) -> None:
    await load_meals(api, plans)
    await load_haccp(api, calendar, plans, at)


async def load(urls: dict[str, str], at: dt.datetime) -> Report:
    """Load the demo for the weeks around `at`, and the HACCP log of the day before it (the
    services' four parts side by side)."""
    calendar = DemoCalendar(at.astimezone(BRUSSELS).date())
    meal_plans = plan_meals(calendar)
    async with httpx.AsyncClient(timeout=60) as http:
        gate = asyncio.Semaphore(CONCURRENCY)
        apis = {name: ServiceApi(name, url, http, gate) for name, url in urls.items()}
        await together(
            [
                _meals_and_kitchens(apis["meals"], calendar, meal_plans, at),
                load_volunteers(apis["volunteers"], calendar),
                load_courses(apis["courses"], calendar),
                load_reporting(apis["reporting"], calendar),
            ]
        )
    report = Report(at, calendar, {name: api.tally for name, api in apis.items()})
    for figures in (
        meals_figures(meal_plans),
        haccp_figures(meal_plans, at),
        volunteer_figures(calendar),
        courses_figures(calendar),
    ):
        report.figures.merge(figures)
    return report
