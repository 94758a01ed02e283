"""The course coordinator's app in Debian's headless chromium against the real courses and
reporting services: the coordinator plans a session, raises a course's capacity and sees the
person waiting enrolled, registers the attendance on the tablet, corrects it from the keyboard,
and reporting's attendance indicator follows. axe-core on every screen; 1280 px and 1024 px;
screenshots under `artifacts/`."""

import asyncio
import datetime as dt
from typing import Any

from playwright.async_api import Page, ViewportSize

from tests.browser.conftest import CENTRE, Running, ServicesFactory
from tests.support.apps import ARTIFACTS
from tests.support.browser import (
    axe,
    check_layout,
    chromium,
    dev_login,
    everything_sent,
    new_page,
    today_in_brussels,
)

DESKTOP = ViewportSize(width=1280, height=900)
TABLET = ViewportSize(width=1024, height=768)
INDICATOR = "offer.conversation_group_participants"


async def screen(page: Page, name: str) -> None:
    """axe-core, then the layout and a screenshot at a desktop's and a tablet's width."""
    await axe(page, f"courses-{name}")
    for width, size in (("1280", DESKTOP), ("1024", TABLET)):
        await page.set_viewport_size(size)
        await page.wait_for_timeout(100)
        await check_layout(page, f"courses {name} at {width}")
        await page.screenshot(path=str(ARTIFACTS / f"courses-{name}-{width}.png"), full_page=True)
    await page.set_viewport_size(DESKTOP)


async def tab_to(page: Page, selector: str, text: str = "", presses: int = 80) -> None:
    """Press Tab until an element matching `selector` (and holding `text`) has the focus."""
    for _ in range(presses):
        await page.keyboard.press("Tab")
        if await page.evaluate(
            """([s, text]) => {
                const e = document.activeElement;
                return Boolean(e?.matches(s) && e.textContent.includes(text));
            }""",
            [selector, text],
        ):
            return
    raise AssertionError(f"{selector} {text} is not reached with the Tab key")


async def indicator(running: Running, day: dt.date) -> tuple[Any, Any]:
    """The indicator's value and attendances for the centre in the month of `day`."""
    async with running.client("reporting", "analyst", "all") as client:
        response = await client.get(
            f"/indicators/{INDICATOR}", params={"period": f"{day:%Y-%m}", "centre_id": CENTRE}
        )
    assert response.status_code == 200, response.text
    body = response.json()
    return body["value"], (body.get("breakdown") or {}).get("attendances")


async def indicator_reaches(running: Running, day: dt.date, expected: tuple[int, int]) -> None:
    """Wait until reporting counts `expected` (participants, attendances); fail with what it
    counts."""
    deadline = asyncio.get_running_loop().time() + 60
    value: tuple[Any, Any] = (None, None)
    while asyncio.get_running_loop().time() < deadline:
        value = await indicator(running, day)
        if value == expected:
            return
        await asyncio.sleep(0.25)
    raise AssertionError(f"reporting counts {value}, not {expected}")


async def course_with_a_waiting_list(running: Running) -> tuple[str, list[str]]:
    """A published Dutch lesson with one seat, Anna enrolled and Bram waiting."""
    async with running.client("courses", "course_coordinator") as client:
        created = await client.post(
            "/activities",
            json={
                "centre_id": CENTRE,
                "kind": "language_lesson",
                "title": "Nederlands oefenen",
                "partner": "diversiteitsdienst",
                "target_groups": ["newcomers"],
                "mode": "enrolment",
                "capacity": 1,
            },
        )
        assert created.status_code == 201, created.text
        activity_id = created.json()["activity_id"]
        assert (await client.post(f"/activities/{activity_id}/publish")).status_code == 200
        people = []
        for given in ("Anna", "Bram"):
            registered = await client.post(
                "/participants",
                json={
                    "centre_id": CENTRE,
                    "given_name": given,
                    "family_name": "Peeters",
                    "age_band": "26-64",
                    "target_group": "newcomers",
                },
            )
            assert registered.status_code == 201, registered.text
            people.append(registered.json()["participant_id"])
            enrolled = await client.post(
                f"/activities/{activity_id}/enrolments", json={"participant_id": people[-1]}
            )
            assert enrolled.status_code == 201, enrolled.text
    return activity_id, people


async def a_youth_referral(running: Running, day: dt.date) -> str:
    """A teenager (with a parent's consent) referred to the youth club; the referral's id."""
    async with running.client("courses", "course_coordinator") as client:
        teen = await client.post(
            "/participants",
            json={
                "centre_id": CENTRE,
                "given_name": "Yasmine",
                "age_band": "12-17",
                "guardian_consent": {
                    "guardian_name": "Karima",
                    "relationship": "parent",
                    "given_on": day.isoformat(),
                },
            },
        )
        assert teen.status_code == 201, teen.text
        referred = await client.post(
            "/youth-referrals",
            json={
                "participant_id": teen.json()["participant_id"],
                "centre_id": CENTRE,
                "date": day.isoformat(),
                "association": "Chiro Kessel-Lo",
            },
        )
        assert referred.status_code == 201, referred.text
        referral_id: str = referred.json()["referral_id"]
        return referral_id


async def test_a_course_coordinator_plans_takes_in_the_waiting_list_and_corrects_attendance(
    start_services: ServicesFactory,
) -> None:
    async with start_services(
        courses={}, reporting={"REPORTING_SUPPRESSION_THRESHOLD": "1"}
    ) as running:
        activity_id, _ = await course_with_a_waiting_list(running)
        yesterday = today_in_brussels() - dt.timedelta(days=1)
        ARTIFACTS.mkdir(exist_ok=True)
        async with chromium() as browser:
            context = await browser.new_context(viewport=DESKTOP, locale="nl-BE")
            watched = await new_page(context)
            page = watched.page
            await page.goto(f"{running.url('courses')}/coordinator/")
            await page.wait_for_selector("#login-role")
            await axe(page, "courses-login")
            await dev_login(page, "course_coordinator", CENTRE)

            # The activities of the centre.
            await page.wait_for_selector("table.activities")
            await screen(page, "activities")
            await page.click("text=Nederlands oefenen")
            await page.wait_for_selector("#activity-title")
            assert await page.text_content("#seats") == "1 van 1 plaatsen"
            assert "Bram Peeters" in (await page.text_content("#waiting-list") or "")

            # Raise the capacity: Bram moves up at once.
            await page.fill("#edit-capacity", "2")
            await page.click("#save-activity")
            await page.wait_for_selector("#message")
            assert (
                await page.text_content("#message")
                == "Opgeslagen. 1 van de wachtlijst ingeschreven."
            )
            assert await page.text_content("#seats") == "2 van 2 plaatsen"
            assert "Bram Peeters" in (await page.text_content("#enrolled-list") or "")
            assert await page.query_selector("#waiting-list") is None

            # Plan yesterday's session (the form), then open its register.
            await page.fill("#plan-date", yesterday.isoformat())
            await page.fill("#plan-start", "13:30")
            await page.fill("#plan-end", "15:30")
            await page.click("form.plan-form button[type=submit]")
            await page.wait_for_selector("table.sessions")
            await screen(page, "activity")
            await page.click("table.sessions a.button")

            # The register: tap both names present, save and close the session.
            await page.wait_for_selector("#register-title")
            for name in ("Anna Peeters", "Bram Peeters"):
                await page.click(f"button.person:has-text('{name}')")
            assert await page.text_content("#present-count") == "2 aanwezig"
            await screen(page, "register")
            await page.click("#save-register")
            await page.wait_for_selector("text=De sessie is afgesloten met 2 aanwezigen.")
            await indicator_reaches(running, yesterday, (2, 2))

            # The correction, from the keyboard: Bram did not come and did not say so.
            await page.wait_for_selector("#save-register:has-text('Verbetering opslaan')")
            await tab_to(page, "button.person", "Bram Peeters")
            await page.keyboard.press("Space")
            await tab_to(page, "input[type=checkbox]:not([disabled])")
            await page.keyboard.press("Space")
            await tab_to(page, "#save-register")
            await page.keyboard.press("Enter")
            await page.wait_for_selector("text=Verbeterd: nu 1 aanwezigen.")
            await screen(page, "register-corrected")
            await indicator_reaches(running, yesterday, (1, 1))
            async with running.client("courses", "course_coordinator") as client:
                session = await client.get("/sessions", params={"activity_id": activity_id})
                attendance = await client.get(
                    f"/sessions/{session.json()['items'][0]['session_id']}/attendance"
                )
            assert sorted((e["present"], e["no_show"]) for e in attendance.json()["items"]) == [
                (False, True),
                (True, False),
            ]

            # The tallies: a tap counts one, sent through the outbox.
            await page.click("#tab-tallies")
            await page.wait_for_selector("#tally-computer")
            await page.click("#tally-computer")
            await everything_sent(page)
            await page.wait_for_selector("#tally-computer .tally-value:text-is('1')")
            await screen(page, "tallies")

            # The youth referrals: what came of one.
            referral_id = await a_youth_referral(running, yesterday)
            await page.click("#tab-referrals")
            await page.wait_for_selector("table.referrals")
            await page.select_option("table.referrals select", "joined")
            await page.click("table.referrals button")
            await page.wait_for_selector("text=Opgeslagen.")
            await screen(page, "referrals")
            async with running.client("courses", "course_coordinator") as client:
                referral = (await client.get(f"/youth-referrals/{referral_id}")).json()
            assert referral["outcome"] == "joined"

            # English on request.
            await page.click("button.language-switch")
            await page.wait_for_selector("#tab-activities:text-is('Activities')")
            assert await page.get_attribute("html", "lang") == "en"
            watched.assert_clean()
