"""Self-service by link, with a real SMTP server (the development mail catcher) receiving the
mail, an injected clock and the real volunteers service: reminders, "I can't come", invitations
to fill the gap, the first volunteer to click getting the place, refused links, a mail server
that is down, a hard bounce."""

import asyncio
import datetime as dt
import html
import re
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass
from typing import Any

import aio_pika
import asyncpg
import httpx
import pytest

from buurtwerk_shared.config import MailSettings
from buurtwerk_shared.tools.mail_catcher import CaughtMail, MailCatcher
from tests.integration.volunteers.conftest import Volunteers, local
from tests.support.apps import free_port, in_process, platform_settings
from tests.support.broker import BrokerNamespace, collect, wait_for
from tests.support.databases import DatabaseFactory
from volunteers.selfservice.gaps import invite_for_gaps
from volunteers.selfservice.reminders import send_reminders
from volunteers.service import definition
from volunteers.settings import VolunteersSettings

LINK = re.compile(r"http://test/l/([A-Za-z0-9_-]{43})")


class Clock:
    """The service's time, moved by the test."""

    def __init__(self, at: dt.datetime) -> None:
        self.at = at

    def __call__(self) -> dt.datetime:
        return self.at


@dataclass
class SelfService:
    """The service, its mail server and its clock."""

    service: Volunteers
    smtp: MailCatcher
    clock: Clock

    def mails_to(self, address: str) -> list[CaughtMail]:
        return [m for m in self.smtp.mails if address in m.recipients]

    async def mail_to(self, address: str, count: int = 1) -> CaughtMail:
        """The `count`-th mail to an address, once it arrived."""
        await wait_for(lambda: len(self.mails_to(address)) >= count)
        return self.mails_to(address)[count - 1]

    async def figures(self) -> dict[str, int]:
        """Mail sent, attempts that failed and were retried, hard bounces."""
        row = await self.service.db.fetchrow(
            """
            SELECT count(*) FILTER (WHERE sent_at IS NOT NULL) AS sent,
                   coalesce(sum(attempts - 1) FILTER (WHERE sent_at IS NOT NULL), 0)
                   + count(*) FILTER (WHERE sent_at IS NULL AND failed_at IS NULL
                                      AND attempts > 0) AS retried,
                   (SELECT count(*) FROM mail_bounces) AS bounced
            FROM mail_outbox
            """
        )
        assert row is not None
        return {key: int(row[key]) for key in ("sent", "retried", "bounced")}


def links_in(mail: CaughtMail) -> list[str]:
    return LINK.findall(mail.text)


@pytest.fixture
def smtp() -> Iterator[MailCatcher]:
    catcher = MailCatcher(free_port())
    catcher.start()
    try:
        yield catcher
    finally:
        catcher.stop()


# Two days from now at 10:00 Brussels time: the clock is put 47 hours before it.
SHIFT_DAY = (dt.datetime.now(dt.UTC) + dt.timedelta(days=3)).date()
SHIFT_START = local(SHIFT_DAY, "10:00")


@pytest.fixture
async def selfservice(
    databases: DatabaseFactory, namespace: BrokerNamespace, smtp: MailCatcher
) -> AsyncIterator[SelfService]:
    url = await databases.create(definition().migrations)
    platform = platform_settings(namespace)
    platform.mail = MailSettings(smtp_port=smtp.port, timeout_seconds=2.0)
    settings = VolunteersSettings(
        database_url=url,
        platform=platform,
        public_base_url="http://test",
        self_service_sweep_seconds=0.1,
        mail_send_seconds=0.1,
        mail_retry_base_seconds=60,
        invitation_batch=2,
    )
    clock = Clock(SHIFT_START - dt.timedelta(days=10))
    connection = await aio_pika.connect_robust(namespace.amqp_url)
    channel = await connection.channel()
    exchange = await channel.declare_exchange(
        namespace.topology.events_exchange.name, aio_pika.ExchangeType.TOPIC, durable=True
    )
    probe = await channel.declare_queue(namespace.name("probe.selfservice"), durable=True)
    await probe.bind(exchange, routing_key="volunteers.#")
    db = await asyncpg.connect(url)
    try:
        async with (
            collect(connection, probe.name) as received,
            in_process(definition(settings, clock)) as client,
        ):
            yield SelfService(Volunteers(client, db, url, received), smtp, clock)
    finally:
        await db.close()
        await connection.close()


CONSENT = [{"purpose": "reminders_email", "given": True, "given_at": "2026-01-05T10:00:00Z"}]


async def volunteer(s: SelfService, consent: bool = True, **overrides: Any) -> tuple[str, str]:
    """An active volunteer of the centre; their id and address."""
    body: dict[str, Any] = {"consents": CONSENT if consent else [], **overrides}
    volunteer_id = await s.service.active_volunteer(**body)
    row = await s.service.db.fetchrow(
        "SELECT email FROM volunteers WHERE volunteer_id = $1", volunteer_id
    )
    assert row is not None
    return volunteer_id, row["email"]


async def staffed_shift(s: SelfService, *volunteer_ids: str, needed: int = 1) -> str:
    shift_id = await s.service.shift(SHIFT_DAY, "10:00", "13:00", needed=needed)
    for volunteer_id in volunteer_ids:
        assert (await s.service.assign(shift_id, volunteer_id)).status_code == 201
    return shift_id


async def press(s: SelfService, token: str) -> httpx.Response:
    return await s.service.client.post(f"/l/{token}")


async def test_a_reminder_is_sent_once_and_cant_come_opens_a_gap_that_the_first_taker_fills(
    selfservice: SelfService,
) -> None:
    s = selfservice
    on_shift, on_shift_address = await volunteer(s)
    first, first_address = await volunteer(s)
    second, second_address = await volunteer(s)
    _, not_consenting_address = await volunteer(s, consent=False)
    shift_id = await staffed_shift(s, on_shift)

    # 47 hours before: the reminder goes out, once, whatever the sweeps that follow.
    s.clock.at = SHIFT_START - dt.timedelta(hours=47)
    reminder = await s.mail_to(on_shift_address)
    assert "Herinnering" in reminder.subject and "onthaal" in reminder.subject
    confirm, decline = links_in(reminder)
    # Another sweep, here by hand (the service's own go on too), finds nothing left to remind.
    async with s.service.db.transaction():
        again = await send_reminders(s.service.db, s.clock(), dt.timedelta(hours=48), "http://test")
    assert again == 0
    reminders = await s.service.count(
        "SELECT count(*) FROM shift_reminders WHERE shift_id = $1", shift_id
    )
    assert reminders == 1 and len(s.mails_to(on_shift_address)) == 1

    # A GET (as a mail scanner makes) shows the button and changes nothing.
    page = await s.service.client.get(f"/l/{decline}")
    assert page.status_code == 200 and 'method="post"' in page.text
    assert "Ik kan niet komen" in page.text and 'lang="nl"' in page.text
    assert (await s.service.ok("GET", f"/shifts/{shift_id}"))["missing"] == 0

    # "I can't come": the place is freed and invitations go out at once.
    s.clock.at = SHIFT_START - dt.timedelta(hours=30)
    answered = await press(s, decline)
    assert answered.status_code == 200, answered.text
    assert "vrijgegeven" in answered.text
    assert (await s.service.ok("GET", f"/shifts/{shift_id}"))["missing"] == 1
    replies = await s.service.ok("GET", f"/shifts/{shift_id}/replies")
    assert replies["reminders"][0]["answer"] == "declined"
    assert replies["reminders"][0]["answered_at"] is not None
    invited = {i["volunteer_id"] for i in replies["invitations"]}
    assert invited == {first, second}  # not the one who declined, not the one without consent
    assert not s.mails_to(not_consenting_address)
    withdrawn = await s.service.events("volunteers.shift_assignment_changed.v1")
    assert withdrawn[-1]["assigned"] is False and withdrawn[-1]["volunteer_id"] == on_shift

    # Both press "I'll take it" at the same moment: the first gets the place, the other reads
    # that it is filled.
    (take_first,) = links_in(await s.mail_to(first_address))
    (take_second,) = links_in(await s.mail_to(second_address))
    one, other = await asyncio.gather(press(s, take_first), press(s, take_second))
    assert sorted([one.status_code, other.status_code]) == [200, 409]
    filled = other if other.status_code == 409 else one
    assert "al ingenomen" in filled.text
    shift = await s.service.ok("GET", f"/shifts/{shift_id}")
    assert shift["missing"] == 0
    taker = first if one.status_code == 200 else second
    assert [r["volunteer_id"] for r in shift["roster"]] == [taker]
    answers = {
        i["volunteer_id"]: i["answer"]
        for i in (await s.service.ok("GET", f"/shifts/{shift_id}/replies"))["invitations"]
    }
    assert sorted(answers.values()) == ["already_filled", "taken"]

    # The confirm link of a volunteer no longer on the shift does nothing.
    late = await press(s, confirm)
    assert late.status_code == 409 and "niet (meer) ingepland" in late.text
    assert await s.figures() == {"sent": 3, "retried": 0, "bounced": 0}


async def test_expired_revoked_altered_and_reused_links_are_refused_with_a_clear_page(
    selfservice: SelfService,
) -> None:
    s = selfservice
    one, one_address = await volunteer(s)
    two, two_address = await volunteer(s)
    shift_id = await staffed_shift(s, one, two, needed=2)
    s.clock.at = SHIFT_START - dt.timedelta(hours=40)
    confirm_one, decline_one = links_in(await s.mail_to(one_address))
    confirm_two, decline_two = links_in(await s.mail_to(two_address))

    used = await press(s, confirm_one)
    assert used.status_code == 200 and "bevestigd" in used.text
    reused = await press(s, confirm_one)
    assert reused.status_code == 410 and "al gebruikt" in reused.text

    altered = confirm_two[:-1] + ("A" if confirm_two[-1] != "A" else "B")
    refused = await press(s, altered)
    assert refused.status_code == 404 and "ongeldig" in refused.text
    assert (await s.service.client.get("/l/not-a-token")).status_code == 404

    revoked = await s.service.ok(
        "POST", f"/shifts/{shift_id}/link-revocations", 201, json={"volunteer_id": two}
    )
    assert revoked["revoked"] == 2
    page = await s.service.client.get(f"/l/{decline_two}?lang=en")
    assert page.status_code == 410 and "withdrawn by the coordinator" in page.text
    assert 'lang="en"' in page.text
    assert (await s.service.ok("GET", f"/shifts/{shift_id}"))["missing"] == 0

    s.clock.at = SHIFT_START + dt.timedelta(hours=4)  # after the shift
    expired = await s.service.client.get(f"/l/{decline_one}")
    assert expired.status_code == 410 and "verlopen" in expired.text

    # Every use is audited, refused ones with the reason; no token in the audit log.
    rows = await s.service.db.fetch(
        "SELECT actor, action, details FROM audit_log WHERE role = 'volunteer_link' ORDER BY id"
    )
    refusals = [r["details"] for r in rows if '"refused": null' not in r["details"]]
    assert len(refusals) >= 5
    assert all(confirm_one not in r["details"] for r in rows)


async def test_a_mail_server_that_is_down_delays_the_mails_and_loses_none(
    selfservice: SelfService,
) -> None:
    s = selfservice
    people = [await volunteer(s) for _ in range(3)]
    await staffed_shift(s, *(p[0] for p in people), needed=3)
    s.smtp.stop()
    s.clock.at = SHIFT_START - dt.timedelta(hours=47)

    async def all_tried() -> bool:
        return (
            await s.service.count("SELECT count(*) FROM mail_outbox WHERE attempts > 0") >= 1
        ) and await s.service.count("SELECT count(*) FROM mail_outbox") == 3

    await wait_for(all_tried)
    assert not s.smtp.mails
    pending = await s.service.count("SELECT count(*) FROM mail_outbox WHERE sent_at IS NULL")
    assert pending == 3

    s.smtp.start()
    s.clock.at += dt.timedelta(hours=2)  # past every back-off
    for _, address in people:
        await s.mail_to(address)
    figures = await s.figures()
    assert figures["sent"] == 3 and figures["retried"] >= 1 and figures["bounced"] == 0
    assert len(s.smtp.mails) == 3  # each once


async def test_a_hard_bounce_marks_the_address_and_no_further_mail_is_queued_for_it(
    selfservice: SelfService,
) -> None:
    s = selfservice
    gone, gone_address = await volunteer(s)
    s.smtp.handler.refuse.add(gone_address.lower())
    await staffed_shift(s, gone)
    s.clock.at = SHIFT_START - dt.timedelta(hours=47)

    async def bounced() -> bool:
        return await s.service.count("SELECT count(*) FROM mail_bounces") == 1

    await wait_for(bounced)
    assert await s.figures() == {"sent": 0, "retried": 0, "bounced": 1}
    # A second shift, earlier that day: its reminder is recorded, but no mail is queued.
    second = await s.service.shift(SHIFT_DAY, "07:00", "09:00", needed=1)
    assert (await s.service.assign(second, gone)).status_code == 201

    async def reminded() -> bool:
        return (
            await s.service.count(
                "SELECT count(*) FROM shift_reminders WHERE shift_id = $1 AND NOT mailed", second
            )
            == 1
        )

    await wait_for(reminded)
    assert await s.service.count("SELECT count(*) FROM mail_outbox") == 1


async def test_a_volunteer_who_chose_english_gets_the_reminder_and_pages_in_english(
    selfservice: SelfService,
) -> None:
    s = selfservice
    volunteer_id, address = await volunteer(s)
    await s.service.ok("PUT", f"/volunteers/{volunteer_id}/mail-language", json={"language": "en"})
    await staffed_shift(s, volunteer_id)
    s.clock.at = SHIFT_START - dt.timedelta(hours=47)
    reminder = await s.mail_to(address)
    assert reminder.subject.startswith("Reminder: your shift welcome desk")
    confirm, _ = links_in(reminder)
    page = await s.service.client.get(f"/l/{confirm}")
    assert 'lang="en"' in page.text and "I'll be there" in html.unescape(page.text)
    assert "Nederlands" in page.text  # the switch to Dutch


async def test_a_client_that_hammers_the_link_pages_is_slowed_down(
    selfservice: SelfService,
) -> None:
    s = selfservice
    answers = [(await s.service.client.get(f"/l/{'x' * 43}")).status_code for _ in range(31)]
    assert answers == [404] * 30 + [429]
    slowed = await s.service.client.post(f"/l/{'x' * 43}")
    assert slowed.status_code == 429 and slowed.headers["Retry-After"] == "60"
    assert "Te veel pogingen" in slowed.text


async def test_an_erasure_deletes_the_volunteers_mail_and_revokes_their_links(
    selfservice: SelfService,
) -> None:
    s = selfservice
    volunteer_id, address = await volunteer(s)
    await staffed_shift(s, volunteer_id)
    s.smtp.stop()  # the reminder stays queued
    s.clock.at = SHIFT_START - dt.timedelta(hours=47)

    async def queued() -> bool:
        return await s.service.count("SELECT count(*) FROM mail_outbox") == 1

    await wait_for(queued)
    await s.service.ok("POST", f"/volunteers/{volunteer_id}/erasure")
    assert (
        await s.service.count("SELECT count(*) FROM mail_outbox WHERE recipient = $1", address) == 0
    )
    open_links = await s.service.count(
        "SELECT count(*) FROM volunteer_links WHERE volunteer_id = $1 AND revoked_at IS NULL",
        volunteer_id,
    )
    assert open_links == 0


async def test_a_cancelled_shift_invites_nobody_and_its_links_say_it_is_cancelled(
    selfservice: SelfService,
) -> None:
    s = selfservice
    on_shift, address = await volunteer(s)
    await volunteer(s)  # would be invited to a gap
    shift_id = await staffed_shift(s, on_shift, needed=2)
    s.clock.at = SHIFT_START - dt.timedelta(hours=40)
    confirm, _ = links_in(await s.mail_to(address))
    await s.service.ok("POST", f"/shifts/{shift_id}/cancellation")
    pressed = await press(s, confirm)
    assert pressed.status_code == 409 and "geannuleerd" in pressed.text
    async with s.service.db.transaction():
        invited = await invite_for_gaps(
            s.service.db, s.clock(), dt.timedelta(hours=48), dt.timedelta(0), "http://test", 3
        )
    assert invited == 0
