"""The tree, the time series and the council's CSV report, for analysts and coordinators."""

import csv
import io
import json
from typing import Any

from buurtwerk_shared.web.csv_files import FORMULA_TRIGGERS
from tests.integration.reporting.conftest import ANALYST
from tests.integration.reporting.scenario import MS, SM, march_2026
from tests.support.tokens import bearer

COORDINATOR = bearer("centre_coordinator", [SM], sub="coord-sm")


async def test_tree_series_and_csv(reporting: Any) -> None:
    scenario = march_2026()
    async with reporting(suppression_threshold=3) as r:
        await r.publish(scenario.published)
        await r.projected(scenario.distinct_ids)

        tree = (
            await r.client.get("/tree", params={"period": "2026-03"}, headers=COORDINATOR)
        ).json()
        assert tree["centres"] == [SM]
        meals_node = tree["nodes"][0]["children"][1]["children"][2]
        assert meals_node["id"] == "AP1.2.c"
        served = meals_node["indicators"][0]
        assert served["id"] == "meals.served" and served["nl"] == "Geserveerde maaltijden"
        assert [(v["centre_id"], v["value"]) for v in served["values"]] == [(None, 9), (SM, 5)]

        series = await r.client.get(
            "/indicators/meals.served/series",
            params={"granularity": "month", "from": "2026-01-01", "to": "2026-04-30"},
            headers=ANALYST,
        )
        assert series.status_code == 200, series.text
        body = series.json()
        assert body["periods"] == ["2026-01", "2026-02", "2026-03", "2026-04"]
        lines = {line["centre_id"]: line["values"] for line in body["series"]}
        assert (
            lines[None] == [0, 1, 9, 1] and lines[SM] == [0, 0, 5, 1] and lines[MS] == [0, 1, 4, 0]
        )
        diners = await r.client.get(
            "/indicators/meals.unique_diners/series",
            params={
                "granularity": "quarter",
                "from": "2026-01-01",
                "to": "2026-06-30",
                "centre_id": MS,
            },
            headers=ANALYST,
        )
        assert diners.json()["series"] == [
            # Q1: d1 d2 d3 in the city, d1 alone at MS; Q2: d4 alone (at SM).
            {"centre_id": None, "values": [3, None], "suppressed": [False, True]},
            {"centre_id": MS, "values": [None, 0], "suppressed": [True, False]},
        ]
        too_long = await r.client.get(
            "/indicators/meals.served/series",
            params={"granularity": "week", "from": "2020-01-01", "to": "2026-01-01"},
            headers=ANALYST,
        )
        assert too_long.status_code == 422
        too_big = await r.client.get(
            "/report.csv",
            params={"granularity": "week", "from": "2000-01-01", "to": "2026-12-31"},
            headers=ANALYST,
        )
        assert too_big.status_code == 422, "refused at once, not computed cell by cell"
        assert too_big.json()["errors"][0]["field"] == "query.from"

        report = await r.client.get(
            "/report.csv",
            params={"granularity": "quarter", "from": "2026-01-01", "to": "2026-03-31"},
            headers=ANALYST,
        )
        assert report.status_code == 200 and report.headers["content-type"].startswith("text/csv")
        rows = list(csv.DictReader(io.StringIO(report.text)))
        assert len(rows) == 24 * 6, "every indicator, the city and five centres"
        city = next(
            row for row in rows if row["indicator_id"] == "meals.served" and not row["centre_id"]
        )
        assert (city["action_point"], city["period"], city["value"]) == (
            "AP1.2.c",
            "2026-Q1",
            "10",
        )
        assert json.loads(city["breakdown"])["tariff:reduced"] == 3
        withheld = next(
            r_
            for r_ in rows
            if r_["indicator_id"] == "meals.unique_diners" and r_["centre_id"] == MS
        )
        assert (withheld["value"], withheld["suppressed"]) == ("", "true")
        mine = list(
            csv.DictReader(
                io.StringIO(
                    (
                        await r.client.get(
                            "/report.csv",
                            params={
                                "granularity": "year",
                                "from": "2026-01-01",
                                "to": "2026-12-31",
                            },
                            headers=COORDINATOR,
                        )
                    ).text
                )
            )
        )
        assert {row["centre_id"] for row in mine} == {"", SM}


async def test_a_typed_manual_value_reaches_the_report_as_text(reporting: Any) -> None:
    hostile = '=HYPERLINK("http://evil.example/","klik")'
    async with reporting() as r:
        for centre_id, value in ((None, hostile), (MS, "+32 cmd|' /C calc'!A0")):
            body = {"indicator_id": "kettekeet.status", "period": "2026", "value": value,
                    "source_note": "@verslag", "centre_id": centre_id}  # fmt: skip
            recorded = await r.client.post("/manual-values", json=body, headers=ANALYST)
            assert recorded.status_code == 201, recorded.text
        report = await r.client.get(
            "/report.csv",
            params={"granularity": "year", "from": "2026-01-01", "to": "2026-12-31"},
            headers=ANALYST,
        )
        assert report.status_code == 200, report.text
    rows = list(csv.reader(io.StringIO(report.text)))
    cells = [cell for row in rows for cell in row]
    assert [c for c in cells if c.startswith(FORMULA_TRIGGERS)] == []
    status = {r["centre_id"]: r["value"] for r in csv.DictReader(io.StringIO(report.text))
              if r["indicator_id"] == "kettekeet.status"}  # fmt: skip
    assert status[""] == "'" + hostile
    assert status[MS] == "'+32 cmd|' /C calc'!A0"
