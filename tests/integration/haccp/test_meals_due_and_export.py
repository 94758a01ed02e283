"""The "due now" list for the tablet, and the inspector export (CSV and printable Dutch page)."""

import csv
import datetime as dt
import io

from buurtwerk_shared.clock import BRUSSELS
from tests.integration.haccp.conftest import COOK, COORDINATOR, KITCHEN, Meals


def local(day: dt.date, hour: int, minute: int = 0) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour, minute), tzinfo=BRUSSELS)


async def test_the_due_list_shows_each_occurrence_with_its_status(meals: Meals) -> None:
    yesterday = dt.datetime.now(BRUSSELS).date() - dt.timedelta(days=1)
    fridge = await meals.define(
        {"kind": "fridge", "label": "Koelkast 1",
         "schedule": {"type": "times_of_day", "times": ["08:00", "15:00"]}}
    )  # fmt: skip
    in_use = await meals.define(
        {"kind": "cleaning", "label": "Handwasbak", "limits": None, "level": "recommended",
         "schedule": {"type": "times_of_day", "times": ["10:00"], "only_on_service_days": True}}
    )  # fmt: skip
    hot = await meals.define(
        {"kind": "hot_holding", "label": "Bain-marie", "grace_minutes": 15,
         "schedule": {"type": "per_service", "offset_minutes": -30}}
    )  # fmt: skip
    await meals.define(
        {"kind": "freezer", "label": "Diepvries (uit)", "level": "off",
         "schedule": {"type": "times_of_day", "times": ["08:00"]}}
    )  # fmt: skip
    await meals.plan_service(yesterday, "12:00")
    cancelled = await meals.plan_service(yesterday - dt.timedelta(days=1), "12:00")
    await meals.call(
        "POST",
        f"/services/{cancelled}/cancel",
        {"reason": "Keuken in onderhoud"},
        headers=COORDINATOR,
        expect=200,
    )
    url = f"/haccp/kitchens/{KITCHEN}/due"

    async def due(at: dt.datetime) -> list[tuple[str, str, str]]:
        body = await meals.call("GET", url, params={"at": at.isoformat()}, expect=200)
        return [
            (c["label"], dt.datetime.fromisoformat(c["due_at"]).astimezone(BRUSSELS)
             .strftime("%H:%M"), c["status"])
            for c in body["checks"]
        ]  # fmt: skip

    assert await due(local(yesterday, 8, 10)) == [
        ("Koelkast 1", "08:00", "due"),
        ("Handwasbak", "10:00", "upcoming"),
    ]
    await meals.record(
        fridge["check_id"], {"value": 3.1, "due_at": local(yesterday, 8).isoformat()}
    )
    assert await due(local(yesterday, 11, 40)) == [
        ("Handwasbak", "10:00", "overdue"),
        ("Bain-marie", "11:30", "due"),
        ("Koelkast 1", "08:00", "done"),
    ]
    # The day before had its service cancelled: the "only on days in use" check is not due.
    day_before = yesterday - dt.timedelta(days=1)
    assert await due(local(day_before, 16)) == [
        ("Koelkast 1", "08:00", "overdue"),
        ("Koelkast 1", "15:00", "overdue"),
    ]
    body = await meals.call("GET", url, params={"at": local(yesterday, 11, 40).isoformat()},
                            expect=200)  # fmt: skip
    inputs = {c["label"]: c["input"] for c in body["checks"]}
    assert inputs == {"Koelkast 1": "value", "Handwasbak": "done", "Bain-marie": "value"}
    assert hot["check_id"] in {c["check_id"] for c in body["checks"]}
    assert in_use["check_id"] in {c["check_id"] for c in body["checks"]}


async def test_the_inspector_export_has_limits_deviations_and_actions(meals: Meals) -> None:
    today = dt.datetime.now(BRUSSELS).date()
    fridge = await meals.define(
        {"kind": "fridge", "label": "Koelkast 1",
         "schedule": {"type": "times_of_day", "times": ["08:00", "15:00"]}}
    )  # fmt: skip
    await meals.record(fridge["check_id"], {"value": 3.4})
    handled = await meals.record(fridge["check_id"], {"value": 9.5})
    await meals.record(fridge["check_id"], {"value": 12})
    await meals.call(
        "POST", f"/haccp/records/{handled['record_id']}/corrective-actions",
        {"action": "Deur <b>hersteld</b>, producten weggegooid"},
    )  # fmt: skip
    goods = await meals.define(
        {"kind": "goods_receipt", "label": "Ontvangst vlees", "schedule": {"type": "on_event"}}
    )
    await meals.call(
        "POST", f"/haccp/kitchens/{KITCHEN}/deliveries",
        {"supplier": "Slagerij Vandenberghe", "product": "Gehakt", "lot": "G-77",
         "check_id": goods["check_id"], "temperature": 2.5},
    )  # fmt: skip
    await meals.call(
        "POST", f"/haccp/kitchens/{KITCHEN}/refurbishment",
        {"milestone": "Nieuwe dampkap", "status": "in_progress", "date": today.isoformat()},
        headers=COORDINATOR, expect=200,
    )  # fmt: skip
    params = {"from": (today - dt.timedelta(days=1)).isoformat(), "to": today.isoformat()}
    url = f"/haccp/kitchens/{KITCHEN}/export"

    response = await meals.client.get(f"{url}.csv", params=params, headers=COORDINATOR)
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(response.text)))
    assert [(r["controle (check)"], r["resultaat (outcome)"]) for r in rows] == [
        ("Koelkast 1", "in orde"),
        ("Koelkast 1", "AFWIJKING"),
        ("Koelkast 1", "AFWIJKING"),
        ("Ontvangst vlees", "in orde"),
    ]
    assert rows[0]["kritische grenzen (critical limits)"] == "≤ 7 °C"
    assert rows[1]["corrigerende acties (corrective actions)"].endswith(
        "staff-91c2: Deur <b>hersteld</b>, producten weggegooid"
    )
    assert rows[2]["corrigerende acties (corrective actions)"].startswith("OPEN")
    assert (rows[3]["leverancier (supplier)"], rows[3]["lot"]) == ("Slagerij Vandenberghe", "G-77")
    assert {r["medewerker (staff id)"] for r in rows} == {"staff-91c2"}

    page = await meals.client.get(f"{url}.html", params=params, headers=COORDINATOR)
    assert page.status_code == 200
    html = page.text
    for text in (
        "HACCP-registraties",
        "Controles en kritische grenzen",
        "Afwijkingen en corrigerende acties",
        "OPEN: nog geen corrigerende actie",
        "Deur &lt;b&gt;hersteld&lt;/b&gt;",
        "≤ 7 °C",
        "dagelijks om 08:00, 15:00",
        "Slagerij Vandenberghe",
        "Nieuwe dampkap",
        "in uitvoering",
    ):
        assert text in html, text
    assert "<b>hersteld" not in html

    await meals.call("GET", f"{url}.csv", params=params, headers=COOK, expect=403)
    backwards = {"from": params["to"], "to": params["from"]}
    problem = await meals.call("GET", f"{url}.csv", params=backwards, headers=COORDINATOR,
                               expect=422)  # fmt: skip
    assert problem["errors"][0]["field"] == "query.to"
