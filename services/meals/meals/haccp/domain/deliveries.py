"""Goods receipt and traceability: deliveries with supplier, product, lot or best-before and the
arrival temperature; which lots went into which meal service; the recall query (one step back,
one step forward)."""

import datetime as dt
from uuid import UUID, uuid4

import asyncpg

from buurtwerk_shared.contracts.events.haccp import RangeLimits, TargetLimits
from buurtwerk_shared.db.pool import Connection
from buurtwerk_shared.haccp_schedule import local_date
from buurtwerk_shared.web.auth import Principal, ensure_centre
from buurtwerk_shared.web.problems import not_found, unprocessable
from buurtwerk_shared.web.writes import WriteContext
from meals.haccp.api.schemas import (
    DeliveryView,
    LinkLots,
    Recall,
    RecalledService,
    RecordCheck,
    RecordDelivery,
    ServiceLots,
)
from meals.haccp.domain.checks import current_version, version_at
from meals.haccp.domain.common import entry_time, kitchen_in_scope, utc_now
from meals.haccp.domain.defaults import DELIVERY_KINDS
from meals.haccp.domain.records import judge_reading, store_record

_DELIVERIES = """
SELECT d.*, r.value AS temperature, r.outcome
FROM haccp_deliveries d LEFT JOIN haccp_records r USING (record_id)
"""


def _view(row: asyncpg.Record) -> DeliveryView:
    return DeliveryView.model_validate(dict(row))


async def record_delivery(
    ctx: WriteContext, kitchen_id: str, request: RecordDelivery
) -> DeliveryView:
    """Record a delivery; a chilled or frozen one is judged by a goods-receipt check's limits."""
    kitchen = kitchen_in_scope(ctx.principal, kitchen_id)
    if request.lot is None and request.best_before is None:
        raise unprocessable("give the lot number or the best-before date", field="body.lot")
    received_at = entry_time(request.received_at, "body.received_at", utc_now())
    record_id = None
    if request.temperature is not None or request.check_id is not None:
        if request.check_id is None:
            raise unprocessable("name the goods-receipt check that judges it", "body.check_id")
        if request.temperature is None:
            raise unprocessable("a goods-receipt check needs the temperature", "body.temperature")
        current = await current_version(ctx.conn, request.check_id)
        if current.kitchen_id != kitchen.id or current.kind not in DELIVERY_KINDS:
            raise unprocessable("not a goods-receipt check of this kitchen", "body.check_id")
        version = await version_at(ctx.conn, request.check_id, received_at)
        if not version.active:
            raise unprocessable("this check was not in force at that time", "body.check_id")
        assert isinstance(version.limits, RangeLimits | TargetLimits)
        judged = await judge_reading(
            ctx.conn,
            version,
            RecordCheck(value=request.temperature, thermometer_id=request.thermometer_id),
        )
        record_id = await store_record(ctx, version, judged, received_at, None)
    elif request.thermometer_id is not None:
        raise unprocessable("a thermometer goes with a temperature", "body.thermometer_id")
    delivery_id = uuid4()
    await ctx.conn.execute(
        """
        INSERT INTO haccp_deliveries
            (delivery_id, kitchen_id, centre_id, supplier, product, lot, best_before, record_id,
             received_at, received_by)
        VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)
        """,
        delivery_id,
        kitchen.id,
        kitchen.centre,
        request.supplier,
        request.product,
        request.lot,
        request.best_before,
        record_id,
        received_at,
        ctx.principal.sub,
    )
    await ctx.audit(
        "haccp_delivery.record",
        "haccp_delivery",
        delivery_id,
        {"supplier": request.supplier, "lot": request.lot, "record_id": record_id},
    )
    return await delivery_view(ctx.conn, delivery_id)


async def delivery_view(conn: Connection, delivery_id: UUID) -> DeliveryView:
    """One delivery."""
    row = await conn.fetchrow(_DELIVERIES + " WHERE d.delivery_id = $1", delivery_id)
    if row is None:
        raise not_found(f"delivery {delivery_id}", field="path.delivery_id")
    return _view(row)


async def kitchen_deliveries(
    conn: Connection, kitchen_id: str, since: dt.datetime, until: dt.datetime
) -> list[DeliveryView]:
    """A kitchen's deliveries received in [since, until), oldest first."""
    rows = await conn.fetch(
        _DELIVERIES
        + " WHERE d.kitchen_id = $1 AND d.received_at >= $2 AND d.received_at < $3"
        + " ORDER BY d.received_at, d.delivery_id",
        kitchen_id,
        since,
        until,
    )
    return [_view(row) for row in rows]


async def list_deliveries(
    conn: Connection, principal: Principal, kitchen_id: str, since: dt.datetime, until: dt.datetime
) -> list[DeliveryView]:
    """A kitchen's deliveries in a time range."""
    kitchen = kitchen_in_scope(principal, kitchen_id)
    return await kitchen_deliveries(conn, kitchen.id, since, until)


async def _service(conn: Connection, principal: Principal, service_id: UUID) -> asyncpg.Record:
    service = await conn.fetchrow(
        "SELECT service_id, kitchen_id, centre_id, date FROM meal_services WHERE service_id = $1",
        service_id,
    )
    if service is None:
        raise not_found(f"meal service {service_id}", field="path.service_id")
    ensure_centre(principal, service["centre_id"])
    return service


async def link_lots(ctx: WriteContext, service_id: UUID, request: LinkLots) -> ServiceLots:
    """Record that delivered lots went into a meal service (linking twice changes nothing)."""
    service = await _service(ctx.conn, ctx.principal, service_id)
    rows = await ctx.conn.fetch(
        "SELECT delivery_id, kitchen_id, received_at FROM haccp_deliveries "
        "WHERE delivery_id = ANY($1::uuid[])",
        request.delivery_ids,
    )
    found = {row["delivery_id"]: row for row in rows}
    for i, delivery_id in enumerate(request.delivery_ids):
        row = found.get(delivery_id)
        field = f"body.delivery_ids.{i}"
        if row is None or row["kitchen_id"] != service["kitchen_id"]:
            raise unprocessable("no such delivery in the service's kitchen", field=field)
        if local_date(row["received_at"]) > service["date"]:
            raise unprocessable("was delivered after the meal service", field=field)
    await ctx.conn.executemany(
        """
        INSERT INTO haccp_lot_usage (service_id, delivery_id, linked_by) VALUES ($1, $2, $3)
        ON CONFLICT DO NOTHING
        """,
        [(service_id, d, ctx.principal.sub) for d in request.delivery_ids],
    )
    await ctx.audit(
        "haccp_lots.link", "meal_service", service_id, {"delivery_ids": request.delivery_ids}
    )
    return await service_lots(ctx.conn, ctx.principal, service_id)


async def service_lots(conn: Connection, principal: Principal, service_id: UUID) -> ServiceLots:
    """The lots that went into a meal service."""
    await _service(conn, principal, service_id)
    rows = await conn.fetch(
        _DELIVERIES
        + " JOIN haccp_lot_usage u USING (delivery_id) WHERE u.service_id = $1"
        + " ORDER BY d.received_at",
        service_id,
    )
    return ServiceLots(service_id=service_id, deliveries=[_view(row) for row in rows])


async def recall(conn: Connection, principal: Principal, supplier: str, lot: str) -> Recall:
    """Given a supplier and lot (case-insensitive): its deliveries and the meal services that
    used it, within the caller's centres."""
    deliveries = [
        _view(row)
        for row in await conn.fetch(
            _DELIVERIES
            + " WHERE lower(d.supplier) = lower($1) AND lower(d.lot) = lower($2)"
            + " ORDER BY d.received_at",
            supplier.strip(),
            lot.strip(),
        )
        if principal.sees_centre(row["centre_id"])
    ]
    services = [
        RecalledService.model_validate(dict(row))
        for row in await conn.fetch(
            """
            SELECT s.service_id, s.kitchen_id, s.centre_id, s.date, s.starts_at, s.status,
                   u.delivery_id
            FROM haccp_lot_usage u JOIN meal_services s USING (service_id)
            WHERE u.delivery_id = ANY($1::uuid[])
            ORDER BY s.date, s.starts_at
            """,
            [d.delivery_id for d in deliveries],
        )
    ]
    return Recall(supplier=supplier, lot=lot, deliveries=deliveries, services=services)
