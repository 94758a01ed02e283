"""HTTP routes for volunteer groups, recruited and guided as one."""

from uuid import UUID

from fastapi import APIRouter
from fastapi.responses import JSONResponse

from buurtwerk_shared.contracts.events.volunteers import VolunteerStatus
from buurtwerk_shared.web.pagination import Page, PageQuery
from buurtwerk_shared.web.writes import WritesDep
from volunteers.api.deps import Coordinator, Db
from volunteers.api.schemas.groups import GroupMove, GroupView, NewGroup, NewMember
from volunteers.api.schemas.volunteers import StatusChange
from volunteers.domain.groups import (
    add_member,
    create_group,
    list_groups,
    remove_member,
    visible_group,
)
from volunteers.domain.pipeline import move_group

router = APIRouter(prefix="/groups", tags=["volunteer groups"])


@router.post("", status_code=201, response_model=GroupView, summary="Recruit a group")
async def create(body: NewGroup, principal: Coordinator, writes: WritesDep) -> JSONResponse:
    """Register a volunteer group (status `applied`); its members are registered with
    `POST /volunteers` naming the group, or added with `POST /groups/{group_id}/members`."""
    return await writes.run(principal, lambda ctx: create_group(ctx, body))


@router.get("", response_model=Page[GroupView], summary="Find groups")
async def find(
    principal: Coordinator, db: Db, page: PageQuery, status: VolunteerStatus | None = None
) -> Page[GroupView]:
    """The groups of your centres, newest first."""
    return await list_groups(db, principal, page, status)


@router.get("/{group_id}", response_model=GroupView, summary="One group")
async def read(group_id: UUID, principal: Coordinator, db: Db) -> GroupView:
    """A group and its members' ids."""
    return await visible_group(db, principal, group_id)


@router.post(
    "/{group_id}/members", status_code=201, response_model=GroupView, summary="Add a member"
)
async def join(
    group_id: UUID, body: NewMember, principal: Coordinator, writes: WritesDep
) -> JSONResponse:
    """An existing volunteer joins the group."""
    return await writes.run(principal, lambda ctx: add_member(ctx, group_id, body))


@router.delete(
    "/{group_id}/members/{volunteer_id}", response_model=GroupView, summary="Remove a member"
)
async def leave(
    group_id: UUID, volunteer_id: UUID, principal: Coordinator, writes: WritesDep
) -> JSONResponse:
    """A volunteer leaves the group; their own status does not change."""
    return await writes.run(
        principal, lambda ctx: remove_member(ctx, group_id, volunteer_id), status_code=200
    )


@router.post("/{group_id}/status", response_model=GroupMove, summary="Move the whole group")
async def move(
    group_id: UUID, body: StatusChange, principal: Coordinator, writes: WritesDep
) -> JSONResponse:
    """Move the group and every member along the pipeline, each member with their own
    `volunteers.volunteer_status_changed.v1`. Members already at the status stay as they are;
    if any member cannot make the move, nobody moves (409 naming them)."""
    return await writes.run(principal, lambda ctx: move_group(ctx, group_id, body), status_code=200)
