"""The shared CSV writer: formulas come out as text, numbers as numbers, separators stay inside."""

import csv
import io
from decimal import Decimal

import pytest

from buurtwerk_shared.web.csv_files import csv_text, neutralise


@pytest.mark.parametrize(
    "value",
    [
        "=1+1",
        "+32 470 12 34 56",
        "-2+3+cmd|' /C calc'!A0",
        "@SUM(A1:A9)",
        "\t=1+1",
        "\r=1+1",
        "\n=1+1",
        "＝1+1",
        "＋1",
        "－1",
        "＠SUM(A1)",
        "-",
        "-1e3",
        "-1,5,6",
    ],
)
def test_a_cell_a_spreadsheet_would_run_is_shown_as_text(value: str) -> None:
    assert neutralise(value) == "'" + value


@pytest.mark.parametrize(
    "value", ["Soep", "", "'=already quoted", "12", "-18", "-18,5", "-0.25", "a=b", "Dams -5%"]
)
def test_other_cells_are_left_as_they_are(value: str) -> None:
    assert neutralise(value) == value


def test_every_cell_is_quoted_so_a_separator_cannot_start_a_formula_cell() -> None:
    text = csv_text(
        ("naam", "=header"),
        [("a;=1+1", 'say "hi",=2'), (-5, Decimal("2.50")), (None, True), ("x\r\n=3", 1.5)],
    )
    assert text.splitlines()[0] == '"naam","\'=header"'
    assert text.endswith("\r\n")
    rows = list(csv.reader(io.StringIO(text)))
    assert rows == [
        ["naam", "'=header"],
        ["a;=1+1", 'say "hi",=2'],
        ["-5", "2.50"],
        ["", "true"],
        ["x\r\n=3", "1.5"],
    ]
    # Read with the Belgian list separator, as a spreadsheet in nl-BE does: no cell starts a
    # formula, as the quotes keep the `;` inside its cell.
    for row in csv.reader(io.StringIO(text), delimiter=";"):
        assert not [cell for cell in row if cell.startswith(("=", "+", "@"))], row
