"""The shift roles and qualifications, labelled in Dutch and English, and which qualifications
each role needs."""

from buurtwerk_shared.contracts.events.volunteers import ShiftRole
from buurtwerk_shared.db.pool import Connection
from buurtwerk_shared.web.problems import unprocessable
from buurtwerk_shared.web.writes import WriteContext
from volunteers.api.schemas.reference import QualificationTypeView, RoleRequirements, RoleView

ROLE_LABELS: dict[str, tuple[str, str]] = {
    "kitchen": ("Keuken", "Kitchen"),
    "computer_corner": ("Computerhoek", "Computer corner"),
    "homework_support": ("Huiswerkbegeleiding", "Homework support"),
    "conversation_group": ("Conversatiegroep", "Conversation group"),
    "welcome_desk": ("Onthaal", "Welcome desk"),
    "other": ("Andere", "Other"),
}


async def qualification_types(conn: Connection) -> list[QualificationTypeView]:
    """Every qualification the service knows."""
    rows = await conn.fetch("SELECT * FROM qualification_types ORDER BY qualification")
    return [QualificationTypeView.model_validate(dict(row)) for row in rows]


async def roles(conn: Connection) -> list[RoleView]:
    """Every shift role with the qualifications it needs."""
    rows = await conn.fetch(
        "SELECT role, array_agg(qualification ORDER BY qualification) AS required "
        "FROM role_requirements GROUP BY role"
    )
    required = {row["role"]: row["required"] for row in rows}
    return [
        RoleView(role=role, nl=nl, en=en, required_qualifications=required.get(role, []))
        for role, (nl, en) in ROLE_LABELS.items()
    ]


async def set_requirements(
    ctx: WriteContext, role: ShiftRole, request: RoleRequirements
) -> RoleView:
    """Replace the qualifications a role needs; assignments made earlier stay."""
    known = {q.qualification for q in await qualification_types(ctx.conn)}
    for index, qualification in enumerate(request.qualifications):
        if qualification not in known:
            raise unprocessable(
                f"unknown qualification '{qualification}'", field=f"body.qualifications.{index}"
            )
    await ctx.conn.execute("DELETE FROM role_requirements WHERE role = $1", role)
    await ctx.conn.executemany(
        "INSERT INTO role_requirements (role, qualification) VALUES ($1, $2) "
        "ON CONFLICT DO NOTHING",
        [(role, qualification) for qualification in request.qualifications],
    )
    await ctx.audit("role.requirements", "role", role, {"qualifications": request.qualifications})
    nl, en = ROLE_LABELS[role]
    return RoleView(
        role=role, nl=nl, en=en, required_qualifications=sorted(set(request.qualifications))
    )
