"""Flat-rate expense allowances, refused above the legal caps per day and per calendar year, with
a yearly statement per volunteer.

The caps are data (`allowance_caps`, one row per calendar year, indexed yearly by law). The law's
caps apply to what a volunteer receives from all organisations together; this service can only
hold the allowances the city pays.
"""

from uuid import UUID, uuid4

from buurtwerk_shared.db.pool import Connection
from buurtwerk_shared.web.auth import Principal
from buurtwerk_shared.web.problems import conflict, unprocessable
from buurtwerk_shared.web.writes import WriteContext
from volunteers.api.schemas.allowances import (
    AllowanceCapsView,
    AllowanceStatement,
    AllowanceView,
    NewAllowance,
    SetAllowanceCaps,
    StatementLine,
)
from volunteers.domain.access import ensure_not_erased, volunteer_for_update
from volunteers.domain.clock import local_date, now
from volunteers.domain.rules import AllowanceCaps, allowance_refusal
from volunteers.domain.volunteers import visible_volunteer

_TITLE = {
    "nl": "Jaaroverzicht forfaitaire kostenvergoeding vrijwilliger",
    "en": "Yearly statement of the volunteer's flat-rate expense allowance",
}
_NOTE = {
    "nl": "De wettelijke maxima per dag en per jaar gelden voor alle organisaties samen.",
    "en": "The legal caps per day and per year apply to all organisations together.",
}


async def caps_for(conn: Connection, year: int) -> AllowanceCaps | None:
    """The caps of a calendar year, if known."""
    row = await conn.fetchrow(
        "SELECT year, per_day_cents, per_year_cents FROM allowance_caps WHERE year = $1", year
    )
    return None if row is None else AllowanceCaps(**dict(row))


async def record_allowance(
    ctx: WriteContext, volunteer_id: UUID, request: NewAllowance
) -> AllowanceView:
    """Record an allowance for a day, unless it takes the volunteer above a legal cap."""
    volunteer = await volunteer_for_update(ctx.conn, ctx.principal, volunteer_id)
    ensure_not_erased(volunteer)
    if request.date > local_date(now()):
        raise unprocessable("lies in the future", field="body.date")
    year = request.date.year
    caps = await caps_for(ctx.conn, year)
    if caps is None:
        raise unprocessable(
            f"the legal caps for {year} are not known yet; an administrator records them "
            f"with PUT /allowance-caps/{year}",
            field="body.date",
        )
    day_total, year_total = await _totals(ctx.conn, volunteer_id, request.date.year, request)
    refusal = allowance_refusal(caps, day_total, year_total, request.amount_cents)
    if refusal is not None:
        raise conflict(refusal, field="body.amount_cents", code="allowance-cap-exceeded")
    allowance_id = uuid4()
    await ctx.conn.execute(
        """
        INSERT INTO allowances (allowance_id, volunteer_id, date, amount_cents, recorded_by)
        VALUES ($1, $2, $3, $4, $5)
        """,
        allowance_id,
        volunteer_id,
        request.date,
        request.amount_cents,
        ctx.principal.sub,
    )
    await ctx.audit(
        "allowance.record",
        "volunteer",
        volunteer_id,
        {"allowance_id": allowance_id, "date": request.date, "amount_cents": request.amount_cents},
    )
    return AllowanceView(
        allowance_id=allowance_id,
        volunteer_id=volunteer_id,
        date=request.date,
        amount_cents=request.amount_cents,
    )


async def _totals(
    conn: Connection, volunteer_id: UUID, year: int, request: NewAllowance
) -> tuple[int, int]:
    row = await conn.fetchrow(
        """
        SELECT coalesce(sum(amount_cents) FILTER (WHERE date = $3), 0) AS day_total,
               coalesce(sum(amount_cents), 0) AS year_total
        FROM allowances
        WHERE volunteer_id = $1 AND date >= make_date($2, 1, 1) AND date < make_date($2 + 1, 1, 1)
        """,
        volunteer_id,
        year,
        request.date,
    )
    assert row is not None
    return int(row["day_total"]), int(row["year_total"])


async def statement(
    conn: Connection, principal: Principal, volunteer_id: UUID, year: int
) -> AllowanceStatement:
    """A volunteer's allowances of one calendar year, per day, against the year's caps."""
    volunteer = await visible_volunteer(conn, principal, volunteer_id)
    rows = await conn.fetch(
        """
        SELECT date, sum(amount_cents)::int AS amount_cents FROM allowances
        WHERE volunteer_id = $1 AND date >= make_date($2, 1, 1) AND date < make_date($2 + 1, 1, 1)
        GROUP BY date ORDER BY date
        """,
        volunteer_id,
        year,
    )
    caps = await caps_for(conn, year)
    total = sum(row["amount_cents"] for row in rows)
    return AllowanceStatement(
        volunteer_id=volunteer_id,
        given_name=volunteer.given_name,
        family_name=volunteer.family_name,
        year=year,
        caps=None if caps is None else AllowanceCapsView(**caps.__dict__),
        days=len(rows),
        total_cents=total,
        remaining_cents=None if caps is None else max(caps.per_year_cents - total, 0),
        lines=[StatementLine.model_validate(dict(row)) for row in rows],
        title=_TITLE,
        note=_NOTE,
    )


async def list_caps(conn: Connection) -> list[AllowanceCapsView]:
    """The caps of every year known, latest first."""
    rows = await conn.fetch(
        "SELECT year, per_day_cents, per_year_cents FROM allowance_caps ORDER BY year DESC"
    )
    return [AllowanceCapsView.model_validate(dict(row)) for row in rows]


async def set_caps(ctx: WriteContext, year: int, request: SetAllowanceCaps) -> AllowanceCapsView:
    """Record (or correct) the legal caps of a calendar year."""
    await ctx.conn.execute(
        """
        INSERT INTO allowance_caps (year, per_day_cents, per_year_cents, updated_by)
        VALUES ($1, $2, $3, $4)
        ON CONFLICT (year) DO UPDATE
        SET per_day_cents = EXCLUDED.per_day_cents, per_year_cents = EXCLUDED.per_year_cents,
            updated_at = now(), updated_by = EXCLUDED.updated_by
        """,
        year,
        request.per_day_cents,
        request.per_year_cents,
        ctx.principal.sub,
    )
    await ctx.audit("allowance_caps.set", "allowance_caps", year, request.model_dump())
    return AllowanceCapsView(year=year, **request.model_dump())
