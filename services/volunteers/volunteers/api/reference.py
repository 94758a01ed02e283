"""HTTP routes for the shift roles and the qualifications they need."""

from fastapi import APIRouter
from fastapi.responses import JSONResponse

from buurtwerk_shared.contracts.events.volunteers import ShiftRole
from buurtwerk_shared.web.auth import CityWideAdmin
from buurtwerk_shared.web.writes import WritesDep
from volunteers.api.deps import Db, PlanReader
from volunteers.api.schemas.reference import QualificationTypeView, RoleRequirements, RoleView
from volunteers.domain.reference import qualification_types, roles, set_requirements

router = APIRouter(tags=["roles and qualifications"])


@router.get("/roles", response_model=list[RoleView], summary="Shift roles")
async def list_roles(_principal: PlanReader, db: Db) -> list[RoleView]:
    """Every shift role, in Dutch and English, with the qualifications it needs."""
    return await roles(db)


@router.put("/roles/{role}/requirements", response_model=RoleView, summary="Set what a role needs")
async def require(
    role: ShiftRole, body: RoleRequirements, principal: CityWideAdmin, writes: WritesDep
) -> JSONResponse:
    """Replace the qualifications a role needs (an administrator of every centre)."""
    return await writes.run(
        principal, lambda ctx: set_requirements(ctx, role, body), status_code=200
    )


@router.get("/qualifications", response_model=list[QualificationTypeView], summary="Qualifications")
async def list_qualifications(_principal: PlanReader, db: Db) -> list[QualificationTypeView]:
    """Every qualification the service knows, in Dutch and English."""
    return await qualification_types(db)
