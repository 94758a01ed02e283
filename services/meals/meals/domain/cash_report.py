"""The cash report: meals and revenue per tariff, per service, for the till and for finance.

Meals are counted after corrections and charged at the price that held when they were
registered, so a price changed during the service does not rewrite earlier sales.
"""

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from uuid import UUID

from buurtwerk_shared.clock import BRUSSELS
from buurtwerk_shared.db.pool import Connection
from buurtwerk_shared.reference import reference_data
from buurtwerk_shared.web.csv_files import Cell, csv_text

COLUMNS = (
    "date",
    "centre_id",
    "service_id",
    "start_time",
    "service_status",
    "tariff",
    "unit_price_cents",
    "meals_on_site",
    "meals_takeaway",
    "meals",
    "revenue_cents",
    "revenue_eur",
)
TOTAL = "total"


@dataclass(frozen=True)
class CashLine:
    """Meals sold at one tariff and price in one service."""

    date: dt.date
    centre_id: str
    service_id: UUID
    starts_at: dt.datetime
    service_status: str
    tariff: str
    unit_price: int
    on_site: int
    takeaway: int

    @property
    def meals(self) -> int:
        """Meals on site and take-away."""
        return self.on_site + self.takeaway

    @property
    def revenue(self) -> int:
        """Revenue in euro cents."""
        return self.meals * self.unit_price


_LINES = """
SELECT s.date, s.centre_id, s.service_id, s.starts_at, s.status, r.tariff, r.unit_price,
       sum(r.current_count) FILTER (WHERE NOT r.takeaway) AS on_site,
       sum(r.current_count) FILTER (WHERE r.takeaway) AS takeaway
FROM meal_services s JOIN meal_registrations r USING (service_id)
WHERE {where}
GROUP BY s.date, s.centre_id, s.service_id, s.starts_at, s.status, r.tariff, r.unit_price
HAVING sum(r.current_count) > 0
"""


def _ordered(lines: Iterable[CashLine]) -> list[CashLine]:
    tariffs = reference_data().codes("tariffs")
    return sorted(
        lines,
        key=lambda line: (
            line.starts_at,
            str(line.service_id),
            tariffs.index(line.tariff),
            line.unit_price,
        ),
    )


async def _lines(conn: Connection, where: str, *args: object) -> list[CashLine]:
    rows = await conn.fetch(_LINES.format(where=where), *args)
    return _ordered(
        CashLine(
            date=row["date"],
            centre_id=row["centre_id"],
            service_id=row["service_id"],
            starts_at=row["starts_at"],
            service_status=row["status"],
            tariff=row["tariff"],
            unit_price=row["unit_price"],
            on_site=row["on_site"] or 0,
            takeaway=row["takeaway"] or 0,
        )
        for row in rows
    )


async def service_lines(conn: Connection, service_id: UUID) -> list[CashLine]:
    """The lines of one service."""
    return await _lines(conn, "s.service_id = $1", service_id)


async def day_lines(
    conn: Connection, date: dt.date, centre_ids: Sequence[str] | None
) -> list[CashLine]:
    """The lines of every service on one day, in the given centres (None: every centre)."""
    if centre_ids is None:
        return await _lines(conn, "s.date = $1", date)
    return await _lines(
        conn, "s.date = $1 AND s.centre_id = ANY($2::text[])", date, list(centre_ids)
    )


def _euro(cents: int) -> str:
    return f"{cents // 100}.{cents % 100:02d}"


def render_csv(lines: Sequence[CashLine]) -> str:
    """The report as CSV: a header, one row per line, and a total row."""
    rows: list[tuple[Cell, ...]] = [
        (
            line.date.isoformat(),
            line.centre_id,
            str(line.service_id),
            line.starts_at.astimezone(BRUSSELS).strftime("%H:%M"),
            line.service_status,
            line.tariff,
            line.unit_price,
            line.on_site,
            line.takeaway,
            line.meals,
            line.revenue,
            _euro(line.revenue),
        )
        for line in lines
    ]
    on_site = sum(line.on_site for line in lines)
    takeaway = sum(line.takeaway for line in lines)
    revenue = sum(line.revenue for line in lines)
    rows.append(
        (
            "",
            "",
            "",
            "",
            "",
            TOTAL,
            "",
            on_site,
            takeaway,
            on_site + takeaway,
            revenue,
            _euro(revenue),
        )
    )
    return csv_text(COLUMNS, rows)
