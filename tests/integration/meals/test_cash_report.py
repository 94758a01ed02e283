"""The cash report: meals and revenue per tariff, after corrections, per service and per day."""

import csv
import io

from tests.integration.meals.conftest import (
    ANALYST,
    COOK,
    COORDINATOR,
    OTHER_COOK,
    YESTERDAY,
    MealsApi,
)
from tests.support.tokens import bearer


def rows(text: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(text)))


async def test_the_service_report_counts_meals_and_revenue_per_tariff_and_price(
    meals: MealsApi,
) -> None:
    service = await meals.plan(capacity=50)
    sid = service["service_id"]
    await meals.registered(sid, count=3)
    await meals.registered(sid, count=2, takeaway=True)
    await meals.registered(sid, tariff="reduced", count=4)
    mistaken = await meals.registered(sid, tariff="child", count=2)
    await meals.client.post(
        f"/registrations/{mistaken['registration_id']}/corrections",
        json={"count": 1, "reason": "Eén kind"},
        headers=COOK,
    )
    # A price raised during the service does not reprice what was already sold.
    await meals.client.patch(
        f"/services/{sid}",
        json={"prices": {"standard": 700, "reduced": 350, "child": 300}},
        headers=COORDINATOR,
    )
    await meals.registered(sid, count=1)

    response = await meals.client.get(f"/services/{sid}/cash-report.csv", headers=COOK)
    assert response.status_code == 200, response.text
    assert response.headers["content-type"] == "text/csv; charset=utf-8"
    assert "attachment" in response.headers["content-disposition"]
    report = rows(response.text)
    summary = [
        (r["tariff"], r["unit_price_cents"], r["meals_on_site"], r["meals_takeaway"], r["meals"],
         r["revenue_cents"], r["revenue_eur"])
        for r in report
    ]  # fmt: skip
    assert summary == [
        ("standard", "650", "3", "2", "5", "3250", "32.50"),
        ("standard", "700", "1", "0", "1", "700", "7.00"),
        ("reduced", "350", "4", "0", "4", "1400", "14.00"),
        ("child", "300", "1", "0", "1", "300", "3.00"),
        ("total", "", "9", "2", "11", "5650", "56.50"),
    ]
    assert report[0]["date"] == YESTERDAY.isoformat()
    assert report[0]["start_time"] == "12:00"
    assert report[0]["service_status"] == "planned"


async def test_the_day_report_covers_every_service_of_the_day_in_scope(meals: MealsApi) -> None:
    lunch = await meals.plan()
    dinner = await meals.plan(start_time="18:00")
    other_day = await meals.plan(date="2026-01-05")
    mannenstraat = await meals.plan(
        headers=bearer("centre_coordinator", ["mannenstraat"]),
        centre_id="mannenstraat",
        kitchen_id="mannenstraat-keuken",
    )
    await meals.registered(lunch["service_id"], count=2)
    await meals.registered(dinner["service_id"], tariff="reduced")
    await meals.registered(other_day["service_id"], count=7)
    await meals.register(
        mannenstraat["service_id"],
        headers=bearer("kitchen_staff", ["mannenstraat"]),
        count=5,
    )

    day = {"date": YESTERDAY.isoformat()}
    own = rows((await meals.client.get("/cash-report.csv", params=day, headers=COOK)).text)
    assert [(r["start_time"], r["tariff"], r["meals"]) for r in own] == [
        ("12:00", "standard", "2"),
        ("18:00", "reduced", "1"),
        ("", "total", "3"),
    ]
    city = rows((await meals.client.get("/cash-report.csv", params=day, headers=ANALYST)).text)
    assert city[-1]["meals"] == "8"
    one = rows(
        (
            await meals.client.get(
                "/cash-report.csv", params={**day, "centre_id": "mannenstraat"}, headers=ANALYST
            )
        ).text
    )
    assert [(r["centre_id"], r["meals"]) for r in one] == [("mannenstraat", "5"), ("", "5")]
    forbidden = await meals.client.get(
        "/cash-report.csv", params={**day, "centre_id": "sint-maartensdal"}, headers=OTHER_COOK
    )
    assert forbidden.status_code == 403
    no_date = await meals.client.get("/cash-report.csv", headers=COOK)
    assert no_date.status_code == 422
    assert no_date.json()["errors"][0]["field"] == "query.date"
    empty = rows(
        (
            await meals.client.get("/cash-report.csv", params={"date": "2020-01-01"}, headers=COOK)
        ).text
    )
    assert [(r["tariff"], r["meals"], r["revenue_cents"]) for r in empty] == [("total", "0", "0")]
