"""Volunteer groups: recruited and guided as one, each member with their own event."""

from typing import Any

from tests.integration.volunteers.conftest import CENTRE, OTHER_COORDINATOR, Volunteers

GROUP = {"name": "Klas 6B Sint-Jozefscollege", "kind": "school_class", "centre_ids": [CENTRE]}


async def group_of(service: Volunteers, size: int) -> tuple[str, list[str]]:
    group_id: str = (await service.ok("POST", "/groups", 201, json=GROUP))["group_id"]
    members = [(await service.volunteer(group_ids=[group_id]))["volunteer_id"] for _ in range(size)]
    return group_id, members


async def move_group(service: Volunteers, group_id: str, status: str, **kwargs: Any) -> Any:
    return await service.client.post(
        f"/groups/{group_id}/status", json={"status": status}, headers=service.headers, **kwargs
    )


async def test_moving_a_group_moves_each_member_with_its_own_event(service: Volunteers) -> None:
    group_id, members = await group_of(service, 3)
    group = await service.ok("GET", f"/groups/{group_id}")
    assert group["status"] == "applied"
    assert group["member_ids"] == members

    for status in ("intake", "onboarding", "active"):
        response = await move_group(service, group_id, status)
        assert response.status_code == 200, response.text
        assert sorted(response.json()["moved"]) == sorted(members)
        assert response.json()["group"]["status"] == status

    events = await service.events("volunteers.volunteer_status_changed.v1")
    moves = [(e["volunteer_id"], e["previous_status"], e["status"]) for e in events]
    for member in members:
        assert [m[1:] for m in moves if m[0] == member] == [
            (None, "applied"),
            ("applied", "intake"),
            ("intake", "onboarding"),
            ("onboarding", "active"),
        ]
    assert all(e["group_ids"] == [group_id] for e in events)
    history = await service.ok("GET", f"/volunteers/{members[0]}/status-history")
    assert [h["group_id"] for h in history] == [None, group_id, group_id, group_id]
    listed = await service.ok("GET", "/volunteers", params={"group_id": group_id})
    assert {v["status"] for v in listed["items"]} == {"active"} and listed["total"] == 3


async def test_members_already_there_stay_and_one_who_cannot_move_stops_everyone(
    service: Volunteers,
) -> None:
    group_id, members = await group_of(service, 3)
    await service.move(members[0], "intake")
    moved = await move_group(service, group_id, "intake")
    assert moved.json()["unchanged"] == [members[0]]
    assert sorted(moved.json()["moved"]) == sorted(members[1:])

    await service.move(members[1], "left")
    outbox = await service.count("SELECT count(*) FROM outbox")
    refused = await move_group(service, group_id, "onboarding")
    assert refused.status_code == 409
    assert refused.json()["type"].endswith("/group-member-cannot-move")
    assert members[1] in refused.json()["detail"]
    assert await service.count("SELECT count(*) FROM outbox") == outbox, "nobody moved"
    statuses = [(await service.ok("GET", f"/volunteers/{member}"))["status"] for member in members]
    assert statuses == ["intake", "left", "intake"]
    assert (await service.ok("GET", f"/groups/{group_id}"))["status"] == "intake"


async def test_a_group_follows_the_catalogue_transitions_itself(service: Volunteers) -> None:
    group_id, _ = await group_of(service, 1)
    refused = await move_group(service, group_id, "active")
    assert refused.status_code == 409
    assert refused.json()["errors"][0]["field"] == "body.status"


async def test_members_join_and_leave_and_scope_is_respected(service: Volunteers) -> None:
    group_id, members = await group_of(service, 1)
    newcomer = (await service.volunteer())["volunteer_id"]
    joined = await service.ok(
        "POST", f"/groups/{group_id}/members", 201, json={"volunteer_id": newcomer}
    )
    assert joined["member_ids"] == [*members, newcomer]
    left = await service.ok("DELETE", f"/groups/{group_id}/members/{members[0]}")
    assert left["member_ids"] == [newcomer]
    missing = await service.client.post(
        f"/groups/{group_id}/members",
        json={"volunteer_id": "00000000-0000-4000-8000-000000000000"},
        headers=service.headers,
    )
    assert missing.status_code == 404
    assert missing.json()["errors"][0]["field"] == "body.volunteer_id"
    foreign = await service.client.get(f"/groups/{group_id}", headers=OTHER_COORDINATOR)
    assert foreign.status_code == 403
    listed = await service.client.get("/groups", headers=OTHER_COORDINATOR)
    assert listed.json()["total"] == 0
