"""HTTP routes for indicator values: one value, a time series, the tree with its latest values."""

from typing import Annotated

import asyncpg
from fastapi import APIRouter, Depends, Query, Request
from pydantic import BaseModel

from buurtwerk_shared.contracts.events.reporting import IndicatorValue
from buurtwerk_shared.contracts.types import CentreId
from buurtwerk_shared.web.fields import CalendarDate
from buurtwerk_shared.web.paths import SlugPath
from buurtwerk_shared.web.problems import Problem, not_found, unprocessable
from reporting.api.access import Reader, check_centre, visible_centres
from reporting.catalogue.plan import Indicator, Node
from reporting.indicators.periods import (
    Granularity,
    Period,
    parse_period,
    period_of,
    periods_between,
    today,
)
from reporting.indicators.result import IndicatorResult
from reporting.indicators.table import CITY
from reporting.indicators.values import NotComputed, result
from reporting.runtime import Runtime, runtime

router = APIRouter(tags=["indicators"])

RuntimeDep = Annotated[Runtime, Depends(runtime)]
PeriodQuery = Annotated[
    str, Query(max_length=8, examples=["2026-03"], description="2026-W09, 2026-03, 2026-Q1 or 2026")
]

MAX_SERIES_PERIODS = 120


def known_indicator(rt: Runtime, indicator_id: str) -> Indicator:
    """The indicator, or 404."""
    indicator = rt.plan.indicator(indicator_id)
    if indicator is None:
        raise not_found(f"indicator '{indicator_id}'", field="path.indicator_id")
    return indicator


def not_computed(indicator: Indicator) -> Problem:
    """404 for a catalogue indicator this service does not compute yet."""
    return Problem(
        404,
        "Not computed",
        f"indicator '{indicator.id}' is in the catalogue but not computed by this service yet",
        field="path.indicator_id",
        code="not-computed",
    )


def period_from(label: str, field: str = "query.period") -> Period:
    """A period label, or 422 naming the field."""
    try:
        return parse_period(label)
    except ValueError as exc:
        raise unprocessable(str(exc), field=field) from exc


@router.get(
    "/indicators/{indicator_id}", response_model=IndicatorResult, summary="One indicator value"
)
async def indicator_value(
    request: Request,
    indicator_id: SlugPath,
    principal: Reader,
    rt: RuntimeDep,
    period: PeriodQuery,
    centre_id: Annotated[CentreId | None, Query(description="Left out: the whole city")] = None,
) -> IndicatorResult:
    """The value of an indicator for a centre (or the whole city when `centre_id` is left out),
    suppressed as it is published."""
    indicator = known_indicator(rt, indicator_id)
    check_centre(principal, centre_id)
    parsed = period_from(period)
    pool: asyncpg.Pool = request.app.state.pool
    async with pool.acquire() as conn:
        try:
            return await rt.indicators.value(conn, indicator, centre_id, parsed)
        except NotComputed as exc:
            raise not_computed(indicator) from exc


class Series(BaseModel):
    """One line of a chart: a centre's (or the city's) values over the periods."""

    centre_id: str | None
    values: list[IndicatorValue]
    suppressed: list[bool]


class TimeSeries(BaseModel):
    """An indicator over consecutive periods, for the city and each centre the caller sees."""

    indicator_id: str
    unit: str
    granularity: Granularity
    periods: list[str]
    series: list[Series]


@router.get(
    "/indicators/{indicator_id}/series", response_model=TimeSeries, summary="An indicator over time"
)
async def indicator_series(
    request: Request,
    indicator_id: SlugPath,
    principal: Reader,
    rt: RuntimeDep,
    granularity: Granularity = "month",
    first: Annotated[
        CalendarDate | None, Query(alias="from", description="First local date; default a year ago")
    ] = None,
    last: Annotated[
        CalendarDate | None, Query(alias="to", description="Last local date; default today")
    ] = None,
    centre_id: Annotated[
        CentreId | None, Query(description="Only this centre (and the city)")
    ] = None,
) -> TimeSeries:
    """The city's and the visible centres' values for every period between two dates."""
    indicator = known_indicator(rt, indicator_id)
    check_centre(principal, centre_id)
    last = last or today()
    first = first or last.replace(year=last.year - 1)
    if first > last:
        raise unprocessable("'from' must not be after 'to'", field="query.from")
    periods = periods_between(first, last, granularity)
    if len(periods) > MAX_SERIES_PERIODS:
        raise unprocessable(f"at most {MAX_SERIES_PERIODS} periods per series", field="query.from")
    centres = [centre_id] if centre_id else visible_centres(principal, rt.indicators.centres)
    keys = [CITY, *centres]
    values: dict[str, list[IndicatorValue]] = {key: [] for key in keys}
    suppressed: dict[str, list[bool]] = {key: [] for key in keys}
    pool: asyncpg.Pool = request.app.state.pool
    async with pool.acquire() as conn:
        for period in periods:
            try:
                table = await rt.indicators.table(conn, indicator, period)
            except NotComputed as exc:
                raise not_computed(indicator) from exc
            for key in keys:
                cell = table.get(key)
                values[key].append(cell.value if cell else None)
                suppressed[key].append(cell.suppressed if cell else False)
    return TimeSeries(
        indicator_id=indicator.id,
        unit=indicator.unit,
        granularity=granularity,
        periods=[p.label for p in periods],
        series=[
            Series(centre_id=key or None, values=values[key], suppressed=suppressed[key])
            for key in keys
        ],
    )


class IndicatorNode(BaseModel):
    """An indicator in the tree, with its values for the period asked."""

    id: str
    nl: str
    en: str
    definition_nl: str
    definition_en: str
    unit: str
    persons: bool
    source: str
    computed: bool
    breakdown_labels: dict[str, dict[str, str]]
    values: list[IndicatorResult]


class TreeNode(BaseModel):
    """A goal, action plan or action point with its indicators and the nodes under it."""

    id: str
    level: str
    nl: str
    en: str
    indicators: list[IndicatorNode]
    children: list["TreeNode"]


class Tree(BaseModel):
    """The policy tree with every indicator's values for one period."""

    plan_id: str
    nl: str
    en: str
    period: str
    centres: list[str]
    nodes: list[TreeNode]


@router.get("/tree", response_model=Tree, summary="The policy tree with the latest values")
async def tree(
    request: Request,
    principal: Reader,
    rt: RuntimeDep,
    period: Annotated[
        str | None, Query(max_length=8, description="Default: the current month")
    ] = None,
) -> Tree:
    """Goal, action plans and action points with each indicator's values (city and the caller's
    centres) for a period, by default the current month."""
    parsed = period_from(period) if period else period_of(today(), "month")
    centres = visible_centres(principal, rt.indicators.centres)
    pool: asyncpg.Pool = request.app.state.pool
    async with pool.acquire() as conn:

        async def indicator_node(indicator: Indicator) -> IndicatorNode:
            values: list[IndicatorResult] = []
            computed = rt.indicators.computed(indicator)
            if computed:
                table = await rt.indicators.table(conn, indicator, parsed)
                for key in (CITY, *centres):
                    if key in table:
                        values.append(result(indicator, key or None, parsed.label, table[key]))
            return IndicatorNode(
                id=indicator.id,
                nl=indicator.nl,
                en=indicator.en,
                definition_nl=indicator.definition_nl,
                definition_en=indicator.definition_en,
                unit=indicator.unit,
                persons=indicator.persons,
                source=indicator.source,
                computed=computed,
                breakdown_labels={b.key: {"nl": b.nl, "en": b.en} for b in indicator.breakdown},
                values=values,
            )

        async def node(n: Node) -> TreeNode:
            return TreeNode(
                id=n.id,
                level=n.level,
                nl=n.nl,
                en=n.en,
                indicators=[await indicator_node(i) for i in rt.plan.indicators_of(n.id)],
                children=[await node(child) for child in rt.plan.children(n.id)],
            )

        roots = [await node(root) for root in rt.plan.children(None)]
    return Tree(
        plan_id=rt.plan.plan.id,
        nl=rt.plan.plan.nl,
        en=rt.plan.plan.en,
        period=parsed.label,
        centres=centres,
        nodes=roots,
    )
