"""The diner card at the boundary, and the cash report's CSV."""

import csv
import datetime as dt
import io
from uuid import UUID

import pytest
from pydantic import BaseModel, SecretStr, ValidationError

from buurtwerk_shared.clock import BRUSSELS
from meals.domain.cash_report import CashLine, render_csv
from meals.schemas.diner_card import normalise_card
from meals.schemas.registrations import RegisterMeals
from meals.schemas.reservations import MakeReservation


@pytest.mark.parametrize(
    ("typed", "card"),
    [("4711 0042 1234", "471100421234"), ("ab-12.cd/34", "AB12CD34"), (" 1234 ", "1234")],
)
def test_a_card_number_is_normalised(typed: str, card: str) -> None:
    assert normalise_card(SecretStr(typed)).get_secret_value() == card


@pytest.mark.parametrize("typed", ["12", "4711 0042 é", "<script>", "1" * 33, "x" * 65])
@pytest.mark.parametrize(
    ("model", "body"), [(RegisterMeals, {"tariff": "standard"}), (MakeReservation, {})]
)
def test_a_bad_card_number_is_refused_without_repeating_it(
    model: type[BaseModel], body: dict[str, str], typed: str
) -> None:
    with pytest.raises(ValidationError) as refused:
        model.model_validate({**body, "diner_card": typed})
    [error] = refused.value.errors(include_input=False)
    assert error["loc"] == ("diner_card",)
    assert typed not in error["msg"]
    assert typed not in str(refused.value)


def test_a_card_number_never_shows_in_a_repr_or_a_dump() -> None:
    till = RegisterMeals.model_validate({"tariff": "standard", "diner_card": "4711 0042 1234"})
    assert "4711" not in repr(till) and "4711" not in str(till)
    assert "4711" not in till.model_dump_json()


SERVICE = UUID("0b7f6f5e-8f0a-4c55-9b4e-3c1f2a9d7e61")
NOON = dt.datetime(2026, 3, 12, 12, 0, tzinfo=BRUSSELS).astimezone(dt.UTC)


def line(tariff: str, price: int, on_site: int, takeaway: int = 0) -> CashLine:
    return CashLine(
        date=dt.date(2026, 3, 12),
        centre_id="mannenstraat",
        service_id=SERVICE,
        starts_at=NOON,
        service_status="closed",
        tariff=tariff,
        unit_price=price,
        on_site=on_site,
        takeaway=takeaway,
    )


def test_the_cash_report_csv() -> None:
    text = render_csv([line("standard", 650, 20, 2), line("volunteer", 0, 3), line("child", 5, 1)])
    assert text.startswith('"date","centre_id","service_id","start_time","service_status",')
    rows = list(csv.DictReader(io.StringIO(text)))
    assert [(r["tariff"], r["meals"], r["revenue_cents"], r["revenue_eur"]) for r in rows] == [
        ("standard", "22", "14300", "143.00"),
        ("volunteer", "3", "0", "0.00"),
        ("child", "1", "5", "0.05"),
        ("total", "26", "14305", "143.05"),
    ]
    assert rows[0]["start_time"] == "12:00"
    assert rows[-1]["meals_on_site"] == "24" and rows[-1]["meals_takeaway"] == "2"
