"""The one CSV writer every export uses: spreadsheet formulas neutralised, every cell quoted.

A spreadsheet runs a cell that starts with `=`, `+`, `-` or `@` (and, in some, a tab, a carriage
return or a line feed before one of them) as a formula: a supplier, a lot or a manual value typed
as `=HYPERLINK(...)` would run on the coordinator's or the inspector's machine when they open the
export. Following OWASP's guidance on CSV injection, such a cell is prefixed with a single quote,
so that the spreadsheet shows it as text, and every cell is wrapped in double quotes (inner ones
doubled), so that a separator inside a value (`,` or the `;` that a Belgian spreadsheet splits on)
cannot start a new cell that begins with a formula. The full-width forms of the four characters
are treated alike, as some spreadsheets fold them to the ASCII ones.

A number the service itself wrote (an `int`, a `float`, a `Decimal`, or text that is nothing but
a plain number such as a freezer's `-18,5`) is left as it is: it cannot hold a formula, and the
inspector's spreadsheet must still read it as a number.
"""

import csv
import io
import re
from collections.abc import Iterable, Sequence
from decimal import Decimal

from fastapi.responses import Response

# Characters that make a spreadsheet read a cell as a formula (OWASP), with their full-width forms.
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r", "\n", "＝", "＋", "－", "＠")
# A plain number, optionally negative, with a decimal point or comma: never a formula.
_PLAIN_NUMBER = re.compile(r"-?\d+(?:[.,]\d+)?")

Cell = str | int | float | Decimal | bool | None


def neutralise(value: str) -> str:
    """The text of one cell as a spreadsheet must show it: as text, never as a formula."""
    if value.startswith(FORMULA_TRIGGERS) and not _PLAIN_NUMBER.fullmatch(value):
        return "'" + value
    return value


def _cell(value: Cell) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float | Decimal):
        return str(value)
    return neutralise(value)


def csv_text(header: Sequence[str], rows: Iterable[Sequence[Cell]]) -> str:
    """A CSV document (RFC 4180: CRLF line ends, every cell quoted) of a header and rows."""
    out = io.StringIO()
    writer = csv.writer(out, quoting=csv.QUOTE_ALL, lineterminator="\r\n")
    writer.writerow([neutralise(name) for name in header])
    writer.writerows([_cell(value) for value in row] for row in rows)
    return out.getvalue()


def csv_response(text: str, filename: str) -> Response:
    """A CSV document as a download (`text/csv`, saved under `filename`)."""
    return Response(
        text,
        media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
    )
