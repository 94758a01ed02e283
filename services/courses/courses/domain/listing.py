"""Filtered, paginated listings: a WHERE clause built from optional filters, and one page."""

from collections.abc import Callable, Sequence
from typing import Any, TypeVar

import asyncpg

from buurtwerk_shared.db.pool import Connection
from buurtwerk_shared.web.auth import ALL_CENTRES, Principal, ensure_centre
from buurtwerk_shared.web.pagination import Page, PageParams

Item = TypeVar("Item")


class Filters:
    """Conditions joined with AND; each takes its value as the next positional parameter."""

    def __init__(self) -> None:
        self.conditions: list[str] = []
        self.args: list[Any] = []

    def add(self, condition: str, value: Any) -> None:
        """Add `condition`, whose `{}` stands for `value` (skipped when `value` is None)."""
        if value is None:
            return
        self.args.append(value)
        self.conditions.append(condition.format(f"${len(self.args)}"))

    def centre_scope(self, principal: Principal, column: str, centre_id: str | None) -> None:
        """Restrict to the requested centre (403 outside the caller's scope), else to the scope."""
        if centre_id is not None:
            ensure_centre(principal, centre_id)
            self.add(f"{column} = {{}}", centre_id)
        elif ALL_CENTRES not in principal.centres:
            self.add(f"{column} = ANY({{}})", list(principal.centres))

    def where(self) -> str:
        """The WHERE clause (empty without conditions)."""
        return f"WHERE {' AND '.join(self.conditions)}" if self.conditions else ""


async def fetch_page(
    conn: Connection,
    *,
    select: str,
    from_: str,
    filters: Filters,
    order_by: str,
    page: PageParams,
    build: Callable[[asyncpg.Record], Item],
) -> Page[Item]:
    """One page of `SELECT select FROM from_ WHERE filters ORDER BY order_by`, with the total."""
    where = filters.where()
    total = await conn.fetchval(f"SELECT count(*) FROM {from_} {where}", *filters.args)
    n = len(filters.args)
    rows: Sequence[asyncpg.Record] = await conn.fetch(
        f"SELECT {select} FROM {from_} {where} ORDER BY {order_by} LIMIT ${n + 1} OFFSET ${n + 2}",
        *filters.args,
        page.limit,
        page.offset,
    )
    return Page[Item](
        items=[build(row) for row in rows], total=total, limit=page.limit, offset=page.offset
    )
