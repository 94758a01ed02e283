"""A kitchen's equipment: fridges, freezers, hot-holding units, thermometers (with their offset)."""

from typing import Any
from uuid import UUID, uuid4

import asyncpg

from buurtwerk_shared.db.pool import Connection
from buurtwerk_shared.web.auth import Principal, ensure_centre
from buurtwerk_shared.web.problems import not_found, unprocessable
from buurtwerk_shared.web.writes import WriteContext
from meals.haccp.api.schemas import AddEquipment, EquipmentView, UpdateEquipment
from meals.haccp.domain.common import kitchen_in_scope


def _view(row: asyncpg.Record) -> EquipmentView:
    return EquipmentView.model_validate(dict(row))


_COLUMNS = "equipment_id, kitchen_id, centre_id, kind, label, calibration_offset, active"


async def add_equipment(ctx: WriteContext, kitchen_id: str, request: AddEquipment) -> EquipmentView:
    """Add a piece of equipment to a kitchen."""
    kitchen = kitchen_in_scope(ctx.principal, kitchen_id)
    if request.calibration_offset and request.kind != "thermometer":
        raise unprocessable(
            "only a thermometer has a calibration offset", "body.calibration_offset"
        )
    row = await ctx.conn.fetchrow(
        f"""
        INSERT INTO haccp_equipment (equipment_id, kitchen_id, centre_id, kind, label,
                                     calibration_offset)
        VALUES ($1, $2, $3, $4, $5, $6)
        RETURNING {_COLUMNS}
        """,
        uuid4(),
        kitchen.id,
        kitchen.centre,
        request.kind,
        request.label,
        request.calibration_offset,
    )
    assert row is not None
    await ctx.audit(
        "haccp_equipment.add", "haccp_equipment", row["equipment_id"], request.model_dump()
    )
    return _view(row)


async def update_equipment(
    ctx: WriteContext, equipment_id: UUID, request: UpdateEquipment
) -> EquipmentView:
    """Rename, recalibrate or retire a piece of equipment."""
    row = await ctx.conn.fetchrow(
        f"SELECT {_COLUMNS} FROM haccp_equipment WHERE equipment_id = $1 FOR UPDATE", equipment_id
    )
    if row is None:
        raise not_found(f"equipment {equipment_id}", field="path.equipment_id")
    ensure_centre(ctx.principal, row["centre_id"])
    changes: dict[str, Any] = request.model_dump(exclude_none=True)
    if "calibration_offset" in changes and row["kind"] != "thermometer":
        raise unprocessable(
            "only a thermometer has a calibration offset", "body.calibration_offset"
        )
    merged = {**dict(row), **changes}
    updated = await ctx.conn.fetchrow(
        f"""
        UPDATE haccp_equipment SET label = $2, calibration_offset = $3, active = $4
        WHERE equipment_id = $1 RETURNING {_COLUMNS}
        """,
        equipment_id,
        merged["label"],
        merged["calibration_offset"],
        merged["active"],
    )
    assert updated is not None
    await ctx.audit("haccp_equipment.update", "haccp_equipment", equipment_id, changes)
    return _view(updated)


async def list_equipment(
    conn: Connection, principal: Principal, kitchen_id: str
) -> list[EquipmentView]:
    """A kitchen's equipment, by label."""
    kitchen = kitchen_in_scope(principal, kitchen_id)
    rows = await conn.fetch(
        f"SELECT {_COLUMNS} FROM haccp_equipment WHERE kitchen_id = $1 ORDER BY label", kitchen.id
    )
    return [_view(row) for row in rows]


async def thermometer_offset(
    conn: Connection, thermometer_id: UUID | None, kitchen_id: str, field: str
) -> float:
    """The calibration offset of the thermometer used (0 when none is named)."""
    if thermometer_id is None:
        return 0.0
    row = await conn.fetchrow(
        "SELECT kind, active, calibration_offset FROM haccp_equipment "
        "WHERE equipment_id = $1 AND kitchen_id = $2",
        thermometer_id,
        kitchen_id,
    )
    if row is None or row["kind"] != "thermometer":
        raise unprocessable("no such thermometer in this kitchen", field=field)
    if not row["active"]:
        raise unprocessable("this thermometer is no longer in use", field=field)
    offset: float = row["calibration_offset"]
    return offset
