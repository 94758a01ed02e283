"""The links a volunteer gets by mail, followed in Debian's chromium against the volunteers
service as a real process, with the mail catcher as its real SMTP server: the reminder arrives,
its "I can't come" page shows a button (the GET changes nothing), pressing it frees the place,
the invitation reaches a second volunteer whose "I'll take it" fills it, and the used link
then says so. Every page lives under the Content-Security-Policy, passes axe and fits a phone."""

import datetime as dt
import re
from collections.abc import AsyncIterator, Iterator
from typing import Any

import asyncpg
import httpx
import pytest
from playwright.async_api import Browser

from buurtwerk_shared.tools.mail_catcher import MailCatcher
from tests.support.apps import ServiceProcess, free_port
from tests.support.broker import BrokerNamespace, wait_for
from tests.support.browser import axe, chromium, new_page, screenshots
from tests.support.databases import database_url
from tests.support.servers import Servers
from tests.support.tokens import bearer
from volunteers.domain.clock import BRUSSELS

CENTRE = "mannenstraat"
COORDINATOR = bearer("volunteer_coordinator", [CENTRE], sub="coord-links")
LINK = re.compile(r"(http://127\.0\.0\.1:\d+/l/[A-Za-z0-9_-]{43})")


@pytest.fixture
def smtp() -> Iterator[MailCatcher]:
    catcher = MailCatcher(free_port())
    catcher.start()
    try:
        yield catcher
    finally:
        catcher.stop()


@pytest.fixture
async def volunteers(
    servers: Servers, namespace: BrokerNamespace, smtp: MailCatcher
) -> AsyncIterator[ServiceProcess]:
    name = f"bw_browser_volunteers_{namespace.topology.prefix.strip('.')}"
    namespace.track_service_queues()
    process = ServiceProcess(
        "volunteers",
        {
            "VOLUNTEERS_DATABASE_URL": database_url(servers.database_url, name),
            "BUURTWERK_AMQP_URL": servers.amqp_url,
            "BUURTWERK_TOPOLOGY_PREFIX": namespace.topology.prefix,
            "BUURTWERK_MAIL__SMTP_PORT": str(smtp.port),
            "VOLUNTEERS_SELF_SERVICE_SWEEP_SECONDS": "0.2",
            "VOLUNTEERS_MAIL_SEND_SECONDS": "0.2",
        },
    )
    process.env["VOLUNTEERS_PUBLIC_BASE_URL"] = process.url
    process.migrate()
    process.start()
    try:
        yield process
    finally:
        process.stop()
        conn = await asyncpg.connect(servers.database_url)
        try:
            await conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        finally:
            await conn.close()


@pytest.fixture
async def browser() -> AsyncIterator[Browser]:
    async with chromium() as launched:
        yield launched


async def _volunteer(client: httpx.AsyncClient, n: int) -> tuple[str, str]:
    """An active volunteer who consented to e-mail; their id and address."""
    address = f"links{n}@example.org"
    created = await client.post(
        "/volunteers",
        json={"given_name": f"Link{n}", "family_name": "Voorbeeld", "email": address,
              "centre_ids": [CENTRE],
              "consents": [{"purpose": "reminders_email", "given": True}]},
    )  # fmt: skip
    assert created.status_code == 201, created.text
    volunteer_id: str = created.json()["volunteer_id"]
    for status in ("intake", "onboarding", "active"):
        moved = await client.post(f"/volunteers/{volunteer_id}/status", json={"status": status})
        assert moved.status_code == 200, moved.text
    return volunteer_id, address


def _links(smtp: MailCatcher, address: str) -> list[str]:
    mails = [m for m in smtp.mails if address in m.recipients]
    return LINK.findall(mails[-1].text) if mails else []


async def test_a_volunteer_cant_come_and_another_takes_the_place_through_the_mailed_links(
    volunteers: ServiceProcess, smtp: MailCatcher, browser: Browser
) -> None:
    async with httpx.AsyncClient(
        base_url=volunteers.url, headers=COORDINATOR, timeout=10
    ) as client:
        first, first_address = await _volunteer(client, 1)
        _, second_address = await _volunteer(client, 2)
        start = (dt.datetime.now(BRUSSELS) + dt.timedelta(hours=30)).replace(
            minute=0, second=0, microsecond=0
        )
        end = min(start + dt.timedelta(hours=2), start.replace(hour=23, minute=59))
        shift: dict[str, Any] = (
            await client.post(
                "/shifts",
                json={"centre_id": CENTRE, "role": "welcome_desk",
                      "date": start.date().isoformat(), "start_time": start.strftime("%H:%M"),
                      "end_time": end.strftime("%H:%M"), "needed": 1},
            )
        ).json()  # fmt: skip
        assigned = await client.post(
            f"/shifts/{shift['shift_id']}/assignments", json={"volunteer_id": first}
        )
        assert assigned.status_code == 201, assigned.text

        await wait_for(lambda: len(_links(smtp, first_address)) == 2)
        _, decline = _links(smtp, first_address)
        context = await browser.new_context()
        watched = await new_page(context)
        page = watched.page

        await page.goto(decline)
        await page.get_by_role("button", name="Ik kan niet komen").wait_for()
        await axe(page, "link-decline")
        await screenshots(page, "link-decline")
        still = (await client.get(f"/shifts/{shift['shift_id']}")).json()
        assert still["missing"] == 0  # the GET changed nothing

        await page.get_by_role("button", name="Ik kan niet komen").click()
        await page.get_by_role("status").wait_for()
        assert "vrijgegeven" in await page.get_by_role("status").inner_text()
        await axe(page, "link-declined")
        gap = (await client.get(f"/shifts/{shift['shift_id']}")).json()
        assert gap["missing"] == 1

        await wait_for(lambda: len(_links(smtp, second_address)) == 1, within=20)
        (take,) = _links(smtp, second_address)
        await page.goto(f"{take}?lang=en")
        await page.get_by_role("button", name="I'll take it").click()
        await page.get_by_role("status").wait_for()
        assert "on the rota" in await page.get_by_role("status").inner_text()
        await screenshots(page, "link-taken")
        filled = (await client.get(f"/shifts/{shift['shift_id']}")).json()
        assert filled["missing"] == 0

        await page.goto(take)
        await page.get_by_role("alert").wait_for()
        assert "al gebruikt" in await page.get_by_role("alert").inner_text()
        await axe(page, "link-used")
        await screenshots(page, "link-used")
        watched.assert_clean()
        await context.close()
