"""Demo manual values: the two indicators no event measures, entered by an analyst."""

from deploy.local.demo.api import ServiceApi
from deploy.local.demo.days import DemoCalendar
from reporting.api.manual_values import ManualValue, ManualValueIn

# (indicator, value, source note); a value holds from its year until a later one is entered.
MANUAL_VALUES: tuple[tuple[str, float | str, str], ...] = (
    (
        "team.staff_fte",
        14.6,
        "Demo: personeelsplan dienst buurtwerk, bezetting op 1 januari / "
        "demo: staffing plan of the neighbourhood-work service on 1 January",
    ),
    (
        "kettekeet.status",
        "Samenwerkingsovereenkomst met de vzw in voorbereiding / "
        "agreement with the non-profit being drafted",
        "Demo: verslag stuurgroep De Kettekeet / demo: minutes of the De Kettekeet steering group",
    ),
)


async def load_reporting(api: ServiceApi, calendar: DemoCalendar) -> None:
    """Enter the manual values for the year the demo's weeks begin in."""
    year = str(calendar.first.year)
    for indicator_id, value, note in MANUAL_VALUES:
        await api.write(
            "analyst",
            "POST",
            "/manual-values",
            f"demo:reporting:{indicator_id}:{year}",
            ManualValue,
            ManualValueIn(indicator_id=indicator_id, period=year, value=value, source_note=note),
        )
