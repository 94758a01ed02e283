"""Expense allowances: refused above the legal caps per day and per year; a yearly statement."""

import asyncio
import datetime as dt

from tests.integration.volunteers.conftest import ADMIN, Volunteers

# 2024: € 41.48 a day, € 1,659.29 a year.
DAY_CAP, YEAR_CAP = 4148, 165929


async def allowance(service: Volunteers, volunteer_id: str, day: dt.date, cents: int) -> int:
    response = await service.client.post(
        f"/volunteers/{volunteer_id}/allowances",
        json={"date": day.isoformat(), "amount_cents": cents},
        headers=service.headers,
    )
    assert response.status_code in (201, 409), response.text
    return response.status_code


async def test_the_day_cap_is_refused_above_and_accepted_at(service: Volunteers) -> None:
    volunteer_id = (await service.volunteer())["volunteer_id"]
    day = dt.date(2024, 5, 14)
    assert await allowance(service, volunteer_id, day, 2000) == 201
    assert await allowance(service, volunteer_id, day, DAY_CAP - 2000 + 1) == 409
    refused = await service.client.post(
        f"/volunteers/{volunteer_id}/allowances",
        json={"date": "2024-05-14", "amount_cents": 2149},
        headers=service.headers,
    )
    assert refused.json()["type"].endswith("/allowance-cap-exceeded")
    assert refused.json()["errors"][0]["field"] == "body.amount_cents"
    assert "€ 41,48" in refused.json()["detail"] and "€ 21,48" in refused.json()["detail"]
    assert await allowance(service, volunteer_id, day, DAY_CAP - 2000) == 201
    assert await allowance(service, volunteer_id, day + dt.timedelta(days=1), DAY_CAP) == 201


async def test_the_year_cap_is_refused_above_and_the_statement_adds_up(
    service: Volunteers,
) -> None:
    volunteer_id = (await service.volunteer())["volunteer_id"]
    first = dt.date(2024, 1, 1)
    for n in range(40):  # 40 full days: € 1,659.20
        assert await allowance(service, volunteer_id, first + dt.timedelta(days=n), DAY_CAP) == 201
    assert await allowance(service, volunteer_id, dt.date(2024, 12, 30), 10) == 409
    assert await allowance(service, volunteer_id, dt.date(2024, 12, 30), 9) == 201
    assert await allowance(service, volunteer_id, dt.date(2025, 1, 2), DAY_CAP) == 201, "new year"

    statement = await service.ok(
        "GET", f"/volunteers/{volunteer_id}/allowances/statement", params={"year": 2024}
    )
    assert statement["caps"] == {"year": 2024, "per_day_cents": DAY_CAP, "per_year_cents": YEAR_CAP}
    assert (statement["days"], statement["total_cents"], statement["remaining_cents"]) == (
        41,
        YEAR_CAP,
        0,
    )
    assert statement["lines"][-1] == {"date": "2024-12-30", "amount_cents": 9}
    assert statement["given_name"].startswith("Voornaam")
    assert set(statement["title"]) == {"nl", "en"}


async def test_concurrent_allowances_never_pass_the_day_cap(service: Volunteers) -> None:
    volunteer_id = (await service.volunteer())["volunteer_id"]
    day = dt.date(2024, 3, 1)
    statuses = await asyncio.gather(
        *(allowance(service, volunteer_id, day, 2000) for _ in range(5))
    )
    assert sorted(statuses) == [201, 201, 409, 409, 409]


async def test_caps_are_data_per_calendar_year(service: Volunteers) -> None:
    volunteer_id = (await service.volunteer())["volunteer_id"]
    caps = await service.ok("GET", "/allowance-caps")
    assert {c["year"]: c["per_day_cents"] for c in caps} == {2025: 4231, 2024: 4148, 2023: 4067}
    unknown = await service.client.post(
        f"/volunteers/{volunteer_id}/allowances",
        json={"date": "2026-02-02", "amount_cents": 1000},
        headers=service.headers,
    )
    assert unknown.status_code == 422
    assert unknown.json()["errors"][0]["field"] == "body.date"
    assert "2026" in unknown.json()["detail"]
    by_coordinator = await service.client.put(
        "/allowance-caps/2026",
        json={"per_day_cents": 4300, "per_year_cents": 172000},
        headers=service.headers,
    )
    assert by_coordinator.status_code == 403
    await service.ok(
        "PUT", "/allowance-caps/2026", json={"per_day_cents": 4300, "per_year_cents": 172000},
        headers=ADMIN,
    )  # fmt: skip
    assert await allowance(service, volunteer_id, dt.date(2026, 2, 2), 4300) == 201
    assert await allowance(service, volunteer_id, dt.date(2026, 2, 2), 1) == 409


async def test_bad_allowances_are_problems_naming_the_field(service: Volunteers) -> None:
    volunteer_id = (await service.volunteer())["volunteer_id"]
    for body, field in (
        ({"date": "2024-05-14", "amount_cents": 0}, "body.amount_cents"),
        ({"date": "2024-05-14", "amount_cents": 12.5}, "body.amount_cents"),
        ({"date": "14/05/2024", "amount_cents": 100}, "body.date"),
        ({"date": str(dt.date.today() + dt.timedelta(days=3)), "amount_cents": 100}, "body.date"),
    ):
        refused = await service.client.post(
            f"/volunteers/{volunteer_id}/allowances", json=body, headers=service.headers
        )
        assert refused.status_code == 422, body
        assert refused.json()["errors"][0]["field"] == field, body
