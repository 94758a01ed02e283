"""Volunteers' data: consent, languages, skills, centres, Buren voor Wijken; the listing; the
centre scope; bad input; personal data never in events or audit rows."""

import json

from tests.integration.volunteers.conftest import (
    CENTRE,
    CITY_COORDINATOR,
    OTHER_CENTRE,
    OTHER_COORDINATOR,
    Volunteers,
)
from tests.support.tokens import bearer


async def test_a_volunteer_keeps_data_consent_and_membership(service: Volunteers) -> None:
    created = await service.volunteer(
        given_name="Fatima",
        family_name="El Amrani",
        languages=["nl", "ar", "nl"],
        skills=[" Koken ", "tolken"],
        buren_voor_wijken_member_since="2025-09-01",
        consents=[
            {"purpose": "reminders_sms", "given": True, "given_at": "2026-03-02T10:15:00+01:00"},
            {"purpose": "photos", "given": False, "given_at": "2026-03-02T10:15:00+01:00"},
        ],
    )
    assert created["languages"] == ["nl", "ar"]
    assert created["skills"] == ["koken", "tolken"]
    assert created["buren_voor_wijken_member_since"] == "2025-09-01"
    consents = {c["purpose"]: (c["given"], c["given_at"]) for c in created["consents"]}
    assert consents == {
        "reminders_sms": (True, "2026-03-02T09:15:00Z"),
        "photos": (False, "2026-03-02T09:15:00Z"),
    }
    volunteer_id = created["volunteer_id"]
    changed = await service.ok(
        "POST",
        f"/volunteers/{volunteer_id}/consents",
        json={"purpose": "photos", "given": True},
    )
    assert {c["purpose"]: c["given"] for c in changed["consents"]} == {
        "reminders_sms": True,
        "photos": True,
    }
    patched = await service.ok(
        "PATCH",
        f"/volunteers/{volunteer_id}",
        json={"phone": None, "buren_voor_wijken_member_since": None, "skills": ["tuinieren"]},
    )
    assert (patched["phone"], patched["buren_voor_wijken_member_since"]) == (None, None)
    assert (patched["skills"], patched["given_name"]) == (["tuinieren"], "Fatima")


async def test_the_listing_filters_and_pages(service: Volunteers) -> None:
    service.headers = CITY_COORDINATOR
    a = await service.volunteer(family_name="Aerts", languages=["nl", "fr"], skills=["koken"],
                                buren_voor_wijken_member_since="2024-01-01")  # fmt: skip
    b = await service.volunteer(family_name="Bosmans", languages=["ar"], skills=["tuinieren"])
    c = await service.volunteer(family_name="Claes", centre_ids=[OTHER_CENTRE], skills=["koken"])
    await service.move(b["volunteer_id"], "intake")

    async def ids(name: str | None = None, **params: object) -> list[str]:
        if name is None:
            page = await service.ok("GET", "/volunteers", params=params)
        else:
            page = await service.ok(
                "POST", "/volunteers/search", params=params, json={"name": name}
            )
        return [v["volunteer_id"] for v in page["items"]]

    assert await ids() == [a["volunteer_id"], b["volunteer_id"], c["volunteer_id"]]
    assert await ids(skill="Koken") == [a["volunteer_id"], c["volunteer_id"]]
    assert await ids(language="ar") == [b["volunteer_id"]]
    assert await ids(status="intake") == [b["volunteer_id"]]
    assert await ids(centre_id=OTHER_CENTRE) == [c["volunteer_id"]]
    assert await ids(buren_voor_wijken_member="true") == [a["volunteer_id"]]
    assert await ids(name="bosm") == [b["volunteer_id"]]
    assert await ids(name="100%") == []
    short = await service.client.post(
        "/volunteers/search", json={"name": "o"}, headers=CITY_COORDINATOR
    )
    assert (short.status_code, short.json()["errors"][0]["field"]) == (422, "body.name")
    assert await ids(name="bosm", status="applied") == []
    by_url = await service.client.get(
        "/volunteers", params={"name": "bosm"}, headers=CITY_COORDINATOR
    )
    assert len(by_url.json()["items"]) == 3, "a name in the URL filters nothing"
    page = await service.ok("GET", "/volunteers", params={"limit": 2, "offset": 1})
    assert (page["total"], page["limit"], page["offset"]) == (3, 2, 1)
    assert [v["volunteer_id"] for v in page["items"]] == [b["volunteer_id"], c["volunteer_id"]]
    scoped = await service.ok("GET", "/volunteers", headers=OTHER_COORDINATOR)
    assert [v["volunteer_id"] for v in scoped["items"]] == [c["volunteer_id"]]


async def test_the_centre_scope_is_respected(service: Volunteers) -> None:
    volunteer_id = (await service.volunteer())["volunteer_id"]
    assert (
        await service.client.get(f"/volunteers/{volunteer_id}", headers=OTHER_COORDINATOR)
    ).status_code == 404
    outside = await service.client.post(
        "/volunteers",
        json={"given_name": "X", "family_name": "Y", "centre_ids": [OTHER_CENTRE]},
        headers=service.headers,
    )
    assert outside.status_code == 403
    moved_out = await service.client.patch(
        f"/volunteers/{volunteer_id}",
        json={"centre_ids": [CENTRE, OTHER_CENTRE]},
        headers=service.headers,
    )
    assert moved_out.status_code == 403
    assert (await service.ok("GET", f"/volunteers/{volunteer_id}"))["centre_ids"] == [CENTRE]


async def test_other_roles_are_refused(service: Volunteers) -> None:
    for role in ("kitchen_staff", "centre_coordinator", "course_coordinator", "analyst"):
        headers = bearer(role, ["all"])
        assert (await service.client.get("/volunteers", headers=headers)).status_code == 403
    assert (await service.client.get("/volunteers")).status_code == 401


async def test_bad_input_is_a_problem_naming_each_field(service: Volunteers) -> None:
    refused = await service.client.post(
        "/volunteers",
        json={"given_name": "", "family_name": "Peeters", "email": "not-an-address",
              "phone": "call me", "languages": ["Nederlands"], "centre_ids": ["atlantis"],
              "consents": [{"purpose": "marketing", "given": True}]},
        headers=service.headers,
    )  # fmt: skip
    assert refused.status_code == 422
    assert refused.headers["content-type"] == "application/problem+json"
    fields = {e["field"] for e in refused.json()["errors"]}
    assert fields == {
        "body.given_name",
        "body.email",
        "body.phone",
        "body.languages.0",
        "body.centre_ids.0",
        "body.consents.0.purpose",
    }
    assert "not-an-address" not in refused.text, "the problem names the field, not the value"
    assert await service.count("SELECT count(*) FROM volunteers") == 0
    cleared = await service.client.patch(
        f"/volunteers/{(await service.volunteer())['volunteer_id']}",
        json={"family_name": None},
        headers=service.headers,
    )
    assert cleared.status_code == 422
    unknown = await service.client.get(
        "/volunteers/3f0c5a8e-57e5-4a5e-8a0b-6f8f9c1c2d3e", headers=service.headers
    )
    assert unknown.status_code == 404


async def test_duplicates_and_retries_are_registered_once(service: Volunteers) -> None:
    body = {"given_name": "An", "family_name": "Peeters", "email": "an@example.org",
            "centre_ids": [CENTRE]}  # fmt: skip
    headers = {**service.headers, "Idempotency-Key": "form-17"}
    first = await service.client.post("/volunteers", json=body, headers=headers)
    again = await service.client.post("/volunteers", json=body, headers=headers)
    assert (first.status_code, again.status_code) == (201, 201)
    assert first.json() == again.json()
    duplicate = await service.client.post(
        "/volunteers", json={**body, "email": "AN@example.org"}, headers=service.headers
    )
    assert duplicate.status_code == 409
    assert duplicate.json()["errors"][0]["field"] == "body.email"
    assert await service.count("SELECT count(*) FROM volunteers") == 1


async def test_personal_data_never_leaves_in_events_or_audit_rows(service: Volunteers) -> None:
    created = await service.volunteer(
        given_name="Godelieve", family_name="Vanhoutteghem", email="godelieve@example.org",
        phone="+32 470 55 44 33", address="Naamsestraat 1", skills=["breien"],
    )  # fmt: skip
    volunteer_id = created["volunteer_id"]
    await service.move(volunteer_id, "intake")
    await service.ok("PATCH", f"/volunteers/{volunteer_id}", json={"address": "Tiensestraat 2"})
    await service.settle()
    published = b" ".join(m.body for m in service.received)
    audit = await service.db.fetchval("SELECT string_agg(details::text, ' ') FROM audit_log")
    for secret in ("Godelieve", "Vanhoutteghem", "godelieve@", "55 44 33", "Naamsestraat",
                   "Tiensestraat", "breien"):  # fmt: skip
        assert secret.encode() not in published, secret
        assert secret not in audit, secret
    fields = json.loads(
        await service.db.fetchval("SELECT details FROM audit_log WHERE action = 'volunteer.update'")
    )
    assert fields == {"fields": ["address"]}


async def test_every_request_body_in_the_openapi_document_has_an_example(
    service: Volunteers,
) -> None:
    document = (await service.client.get("/openapi.json")).json()
    schemas = document["components"]["schemas"]
    bodies = []
    for path, operations in document["paths"].items():
        for method, operation in operations.items():
            body = operation.get("requestBody")
            if body is not None:
                ref = body["content"]["application/json"]["schema"]["$ref"].split("/")[-1]
                bodies.append((method.upper(), path, ref))
    assert len(bodies) >= 19
    missing = [entry for entry in bodies if not schemas[entry[2]].get("examples")]
    assert missing == []
    listing = document["paths"]["/volunteers"]["get"]
    assert {p["name"] for p in listing["parameters"]} >= {"limit", "offset", "status", "skill"}


async def test_an_e_mail_address_belongs_to_one_volunteer(service: Volunteers) -> None:
    await service.volunteer(email="taken@example.org")
    other = (await service.volunteer())["volunteer_id"]
    refused = await service.client.patch(
        f"/volunteers/{other}", json={"email": "Taken@example.org"}, headers=service.headers
    )
    assert refused.status_code == 409
    assert refused.json()["errors"][0]["field"] == "body.email"
    kept = await service.ok("PATCH", f"/volunteers/{other}", json={"email": "own@example.org"})
    assert kept["email"] == "own@example.org"
