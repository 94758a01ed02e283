"""Pseudonyms: stable, unlinkable to the identifier, and surviving a secret rotation."""

import asyncio

from pydantic import SecretStr

from buurtwerk_shared.pseudonyms import Pseudonymizer
from tests.integration.conftest import Backbone

OLD, NEW = SecretStr("old-secret-0123456789abcdef"), SecretStr("new-secret-0123456789abcdef")


async def test_the_same_card_gets_the_same_key_and_the_card_is_not_stored(
    backbone: Backbone,
) -> None:
    pseudonyms = Pseudonymizer([OLD])
    async with backbone.pool.acquire() as conn:
        first = await pseudonyms.key_for(conn, "diner_card", "4711-0042")
        again = await pseudonyms.key_for(conn, "diner_card", " 4711-0042 ")
        other = await pseudonyms.key_for(conn, "diner_card", "4711-0043")
        participant = await pseudonyms.key_for(conn, "participant", "4711-0042")
        stored = await conn.fetch("SELECT lookup, key FROM pseudonyms")
    assert first == again
    assert len({first, other, participant}) == 3
    assert not any(b"4711" in row["lookup"] or "4711" in row["key"] for row in stored)


async def test_rotating_the_secret_keeps_every_key(backbone: Backbone) -> None:
    async with backbone.pool.acquire() as conn:
        before = await Pseudonymizer([OLD]).key_for(conn, "diner_card", "card-1")
        rotated = Pseudonymizer([NEW, OLD])
        assert await rotated.key_for(conn, "diner_card", "card-1") == before
        # Filed under the new secret too: the old one can go once everyone was seen again.
        assert await Pseudonymizer([NEW]).key_for(conn, "diner_card", "card-1") == before


async def test_concurrent_first_sightings_agree_on_one_key(backbone: Backbone) -> None:
    pseudonyms = Pseudonymizer([NEW])

    async def sighting() -> str:
        async with backbone.pool.acquire() as conn, conn.transaction():
            return await pseudonyms.key_for(conn, "diner_card", "card-race")

    keys = await asyncio.gather(*(sighting() for _ in range(8)))
    assert len(set(keys)) == 1


async def test_forgetting_a_pseudonym_deletes_it_under_every_secret(backbone: Backbone) -> None:
    async with backbone.pool.acquire() as conn:
        key = await Pseudonymizer([OLD]).key_for(conn, "participant", "p-1")
        other = await Pseudonymizer([OLD]).key_for(conn, "participant", "p-2")
        rotated = Pseudonymizer([NEW, OLD])
        assert await rotated.key_for(conn, "participant", "p-1") == key  # now filed twice
        assert await rotated.existing_key(conn, "participant", "p-1") == key
        assert await rotated.existing_key(conn, "participant", "p-unseen") is None

        assert await rotated.forget(conn, "participant", "p-1") is True
        assert await rotated.forget(conn, "participant", "p-1") is False
        assert await conn.fetchval("SELECT count(*) FROM pseudonyms WHERE key = $1", key) == 0
        assert await rotated.existing_key(conn, "participant", "p-1") is None
        assert await rotated.existing_key(conn, "participant", "p-2") == other
        assert await conn.fetchval("SELECT count(*) FROM pseudonyms") == 1
        assert await rotated.key_for(conn, "participant", "p-1") != key, "a new sighting, a new key"
