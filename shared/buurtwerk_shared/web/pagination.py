"""Paginated listings: `?limit=&offset=` in, `{items, total, limit, offset}` out."""

from collections.abc import Sequence
from typing import Annotated, Generic, TypeVar

from fastapi import Depends, Query
from pydantic import BaseModel

MAX_PAGE_SIZE = 200

Item = TypeVar("Item")


class PageParams(BaseModel):
    """Which slice of a listing the caller asked for."""

    limit: int
    offset: int


async def _page_params(
    limit: Annotated[int, Query(ge=1, le=MAX_PAGE_SIZE, description="Items per page.")] = 50,
    offset: Annotated[int, Query(ge=0, le=1_000_000, description="Items to skip.")] = 0,
) -> PageParams:
    return PageParams(limit=limit, offset=offset)


PageQuery = Annotated[PageParams, Depends(_page_params)]


class Page(BaseModel, Generic[Item]):
    """One page of a listing, with the total number of matching items."""

    items: list[Item]
    total: int
    limit: int
    offset: int


def page_of(items: Sequence[Item], page: PageParams) -> Page[Item]:
    """The asked slice of a list already in memory (a short one: reference data, one kitchen's)."""
    return Page(
        items=list(items[page.offset : page.offset + page.limit]),
        total=len(items),
        limit=page.limit,
        offset=page.offset,
    )
