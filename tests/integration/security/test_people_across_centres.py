"""A coordinator learns nothing about a person known only in another centre: every lookup that
names a person (a path, a body, a uniqueness check, a search) answers exactly as for a person
nobody knows. Part of the authorisation matrix: the lookups are found from the matrix's routes,
so a new route that names a person is tested here without being listed.

The flow for someone who is known elsewhere (README, "People in two centres"): the coordinator
registers them in their own centre as a new record; uniqueness is checked among the people the
coordinator can see.
"""

import json
import re
import uuid
from collections.abc import Callable
from typing import Any

import httpx
import pytest

from buurtwerk_shared.web.auth import Role
from tests.integration.security.conftest import SERVICES, Running
from tests.integration.security.matrix import OTHER, OWN, Rule, World
from tests.integration.security.shared_routes import made
from tests.support.tokens import bearer

# The ids of the world that stand for a person, per service: each is replaced in turn by a
# person known in another centre and by an id nobody knows.
PERSON_IDS = {
    "volunteers": (
        "volunteer_id", "applicant_id", "member_id", "erasable_volunteer_id",
    ),
    "courses": (
        "participant_id", "newcomer_id", "minor_id", "withdrawing_minor_id",
        "erasable_participant_id", "young_adult_id",
    ),
}  # fmt: skip
Route = tuple[str, str]
Sent = tuple[str, Any, Any]
MARKER = "00000000-0000-4000-8000-00000000cafe"
UUID_TEXT = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")


def _caller(rule: Rule) -> dict[str, str]:
    """A token of the own centre for a role the route admits (a coordinator where it may)."""
    roles: list[Role] = sorted(r for r in rule.roles if r != "admin")
    preferred = [r for r in roles if r.endswith("coordinator")] or roles
    return bearer(preferred[0], [OWN], sub=f"across-{preferred[0]}")


def _request(
    route: Route, rule: Rule, world: World, people: tuple[str, ...], person: str
) -> Sent | None:
    """The route's request (url, body, query) with every person id of the world (`people`) set
    to `person`; None if the route names no person."""
    ids = {**world.ids, **dict.fromkeys(people, MARKER)}
    marked = World(ids=ids)
    url = route[1]
    for name in re.findall(r"{(\w+)}", url):
        url = url.replace(f"{{{name}}}", marked.ids[rule.path.get(name, name)])
    body = rule.body(marked) if rule.body else None
    params = rule.query(marked) if rule.query else None
    sent = json.dumps([url, body, params])
    if MARKER not in sent:
        return None
    url, body, params = json.loads(sent.replace(MARKER, person))
    return url, body, params


def _neutral(response: httpx.Response, person: str) -> tuple[int, str]:
    """The answer with the person's id (and any other id) made anonymous."""
    text = response.text.replace(person, "<person>")
    return response.status_code, UUID_TEXT.sub("<id>", text)


async def _same_answer(
    client: httpx.AsyncClient,
    method: str,
    request: Callable[[str], Sent],
    elsewhere: str,
    headers: dict[str, str],
) -> str | None:
    unknown = str(uuid.uuid4())
    answers = []
    for person in (elsewhere, unknown):
        url, body, params = request(person)
        response = await client.request(method, url, json=body, params=params, headers=headers)
        assert response.status_code < 500, response.text
        answers.append(_neutral(response, person))
    if answers[0] != answers[1]:
        return (
            f"{method} {request(elsewhere)[0]}: known elsewhere {answers[0]}, unknown {answers[1]}"
        )
    if 200 <= answers[0][0] < 300 and method != "GET":
        return f"{method} {request(elsewhere)[0]}: a person of another centre was accepted"
    return None


async def _elsewhere_volunteer(client: httpx.AsyncClient) -> dict[str, Any]:
    volunteer: dict[str, Any] = await made(
        client,
        "POST",
        "/volunteers",
        {"given_name": "Elders", "family_name": "Gekend", "email": "elders@gekend.example.org",
         "centre_ids": [OTHER]},
    )  # fmt: skip
    return volunteer


async def _elsewhere_participant(client: httpx.AsyncClient) -> dict[str, Any]:
    participant: dict[str, Any] = await made(
        client,
        "POST",
        "/participants",
        {"centre_id": OTHER, "given_name": "Elders", "family_name": "Gekend",
         "birth_date": "2012-05-04", "email": "elders@gekend.example.org",
         "guardian_consent": {"guardian_name": "Ouder Gekend", "relationship": "parent",
                              "given_on": "2024-09-01"}},
    )  # fmt: skip
    return participant


@pytest.mark.parametrize("running", list(PERSON_IDS), indirect=True)
async def test_every_lookup_of_a_person_answers_as_for_nobody(
    request: pytest.FixtureRequest, running: Running
) -> None:
    name = request.node.callspec.params["running"]
    service = SERVICES[name]
    world = await service.world(running.client)
    people = PERSON_IDS[name]
    if name == "volunteers":
        elsewhere = (await _elsewhere_volunteer(running.client))["volunteer_id"]
        probe = f"/volunteers/{elsewhere}"
    else:
        elsewhere = (await _elsewhere_participant(running.client))["participant_id"]
        probe = f"/participants/{elsewhere}"
    admin = bearer("admin", ["all"], sub="across-admin")
    assert (await running.client.get(probe, headers=admin)).status_code == 200

    failures: list[str] = []
    tested = []
    for route, rule in service.routes.items():
        if _request(route, rule, world, people, elsewhere) is None:
            continue
        tested.append(route)

        def send(person: str, route: Route = route, rule: Rule = rule) -> Sent:
            sent = _request(route, rule, world, people, person)
            assert sent is not None
            return sent

        failure = await _same_answer(running.client, route[0], send, elsewhere, _caller(rule))
        if failure:
            failures.append(failure)
    assert not failures, "\n".join(failures)
    assert len(tested) >= 8, tested  # the people routes were found


@pytest.mark.parametrize("running", ["volunteers"], indirect=True)
async def test_an_e_mail_address_known_elsewhere_registers_a_new_volunteer(
    running: Running,
) -> None:
    client = running.client
    await _elsewhere_volunteer(client)
    coordinator = bearer("volunteer_coordinator", [OWN], sub="across-coordinator")

    async def register(email: str) -> httpx.Response:
        body = {"given_name": "Nieuw", "family_name": "Hier", "email": email, "centre_ids": [OWN]}
        return await client.post("/volunteers", json=body, headers=coordinator)

    known = await register("Elders@Gekend.example.org")
    fresh = await register("nieuw@hier.example.org")
    assert (known.status_code, fresh.status_code) == (201, 201), known.text
    assert known.json().keys() == fresh.json().keys()
    assert known.json()["centre_ids"] == [OWN]
    twice = await register("elders@gekend.example.org")
    assert twice.status_code == 409, "a person registered twice in the own centre is caught"
    assert twice.json()["errors"][0]["field"] == "body.email"
    assert known.json()["volunteer_id"] in twice.text

    other = fresh.json()["volunteer_id"]
    changed = await client.patch(
        f"/volunteers/{other}", json={"email": "ELDERS@gekend.example.org"}, headers=coordinator
    )
    assert changed.status_code == 409, "now known in the own centre"
    city = bearer("admin", ["all"], sub="across-admin")
    listed = await client.post("/volunteers/search", json={"name": "Gekend"}, headers=coordinator)
    assert listed.json()["total"] == 0
    assert (await client.post("/volunteers/search", json={"name": "Gekend"}, headers=city)).json()[
        "total"
    ] == 1


@pytest.mark.parametrize("running", ["courses"], indirect=True)
async def test_a_participant_known_elsewhere_is_registered_anew(running: Running) -> None:
    client = running.client
    elsewhere = await _elsewhere_participant(client)
    coordinator = bearer("course_coordinator", [OWN], sub="across-coordinator")

    async def register(given_name: str) -> httpx.Response:
        body = {"centre_id": OWN, "given_name": given_name, "family_name": "gekend",
                "birth_date": "2012-05-04",
                "guardian_consent": {"guardian_name": "Ouder", "relationship": "parent",
                                     "given_on": "2024-09-01"}}  # fmt: skip
        return await client.post("/participants", json=body, headers=coordinator)

    known = await register("ELDERS")
    fresh = await register("Niemand")
    assert (known.status_code, fresh.status_code) == (201, 201), known.text
    assert elsewhere["participant_id"] not in known.text
    assert known.json().keys() == fresh.json().keys()
    twice = await register("elders")
    assert twice.status_code == 409, "a person registered twice in the own centre is caught"
    assert known.json()["participant_id"] in twice.text
    for name in ("Elders Gekend", "Niemand Anders"):
        found = await client.post("/participants/search", json={"name": name}, headers=coordinator)
        assert found.status_code == 200
        assert elsewhere["participant_id"] not in found.text
