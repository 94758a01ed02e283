"""The volunteer coordinator's app in Debian's headless chromium against the real volunteers
service: a coordinator guides an applicant to active on the pipeline board, fills a gap in a
shift, plans and cancels one, records and corrects the hours of a shift that is over and sees
the milestone they made someone reach, thanks him, forms a group, exports and erases a
volunteer; an admin enters the year's missing caps. Every screen passes axe-core and the layout
check at 1280 px (a desktop), 1024 px (a tablet) and 390 px (a phone); the board and the shift
are worked from the keyboard. Screenshots go to `artifacts/`."""

import datetime as dt
from typing import Any

import httpx
from playwright.async_api import Page, ViewportSize, expect

from tests.browser.conftest import CENTRE, Running, ServicesFactory
from tests.support.apps import ARTIFACTS
from tests.support.browser import (
    PHONE,
    TABLET,
    axe,
    check_layout,
    chromium,
    clear_of_midnight,
    dev_login,
    new_page,
)

DESKTOP = ViewportSize(width=1280, height=900)


async def created(client: httpx.AsyncClient, path: str, body: dict[str, Any]) -> dict[str, Any]:
    """POST that must succeed."""
    response = await client.post(path, json=body)
    assert response.status_code in (200, 201), response.text
    answer: dict[str, Any] = response.json()
    return answer


async def activate(client: httpx.AsyncClient, volunteer_id: str) -> None:
    """Guide a volunteer to active through the API (the steps the board shows)."""
    for status in ("intake", "onboarding", "active"):
        await created(client, f"/volunteers/{volunteer_id}/status", {"status": status})


def one_off(date: dt.date, start: str, end: str, needed: int = 1) -> dict[str, Any]:
    """A one-off shift at the centre's welcome desk (it needs no qualification)."""
    return {
        "centre_id": CENTRE,
        "role": "welcome_desk",
        "date": date.isoformat(),
        "start_time": start,
        "end_time": end,
        "needed": needed,
    }


async def plan_week(running: Running, today: dt.date) -> dict[str, str]:
    """An applicant, an active volunteer with 47 hours behind him, a shift of yesterday he
    worked and a shift of tomorrow nobody is on yet (a gap)."""
    async with running.client("volunteers", "volunteer_coordinator") as client:
        fatima = await created(
            client,
            "/volunteers",
            {"given_name": "Fatima", "family_name": "El Amrani", "centre_ids": [CENTRE]},
        )
        jan = await created(
            client,
            "/volunteers",
            {
                "given_name": "Jan",
                "family_name": "Peeters",
                "centre_ids": [CENTRE],
                "buren_voor_wijken_member_since": "2024-05-01",
            },
        )
        await activate(client, jan["volunteer_id"])
        for days_ago in (9, 8):
            past = await created(
                client, "/shifts", one_off(today - dt.timedelta(days=days_ago), "00:00", "23:30")
            )
            await created(
                client,
                f"/shifts/{past['shift_id']}/assignments",
                {"volunteer_id": jan["volunteer_id"]},
            )
            await created(
                client,
                f"/shifts/{past['shift_id']}/completions",
                {"volunteers": [{"volunteer_id": jan["volunteer_id"]}]},
            )
        yesterday = await created(
            client, "/shifts", one_off(today - dt.timedelta(days=1), "10:00", "13:00")
        )
        await created(
            client,
            f"/shifts/{yesterday['shift_id']}/assignments",
            {"volunteer_id": jan["volunteer_id"]},
        )
        tomorrow = await created(
            client, "/shifts", one_off(today + dt.timedelta(days=1), "10:00", "13:00", needed=2)
        )
    return {
        "fatima": fatima["volunteer_id"],
        "jan": jan["volunteer_id"],
        "yesterday": yesterday["shift_id"],
        "tomorrow": tomorrow["shift_id"],
    }


async def screen(page: Page, name: str) -> None:
    """axe-core and the layout at a desktop's, a tablet's and a phone's width, with a screenshot
    of each."""
    ARTIFACTS.mkdir(exist_ok=True)
    for width, size in (("1280", DESKTOP), ("1024", TABLET), ("390", PHONE)):
        await page.set_viewport_size(size)
        await page.wait_for_timeout(100)
        await check_layout(page, f"{name} at {width}")
        await axe(page, f"{name}-{width}")
        await page.screenshot(path=str(ARTIFACTS / f"{name}-{width}.png"), full_page=True)
    await page.set_viewport_size(DESKTOP)


async def week_of(page: Page, date: dt.date, today: dt.date) -> None:
    """Show the week holding `date` (the app opens on this week)."""
    monday = today - dt.timedelta(days=today.weekday())
    await page.click("#this-week")
    await expect(page.locator(f"#day-{monday.isoformat()}")).to_be_visible()
    if date < monday:
        await page.click("#previous-week")
    elif date >= monday + dt.timedelta(days=7):
        await page.click("#next-week")
    await expect(page.locator(f"#day-{date.isoformat()}")).to_be_visible()


async def test_a_coordinator_plans_the_week(start_services: ServicesFactory) -> None:
    today = clear_of_midnight(minutes=10)
    async with start_services(volunteers={}) as running:
        plan = await plan_week(running, today)
        async with chromium() as browser:
            context = await browser.new_context(viewport=DESKTOP, locale="nl-BE")
            watched = await new_page(context)
            page = watched.page
            await page.goto(f"{running.url('volunteers')}/coordinator/")
            await expect(page.locator("html")).to_have_attribute("lang", "nl")
            await screen(page, "volunteers-login")
            await dev_login(page, "volunteer_coordinator", CENTRE)

            # The list, and a search whose name never reaches the address.
            await expect(page.locator("#results")).to_contain_text("Fatima El Amrani")
            await page.fill("#search-name", "peet")
            await page.keyboard.press("Enter")
            await expect(page.locator("#results tbody tr")).to_have_count(1)
            await expect(page.locator("#results")).to_contain_text("Jan Peeters")
            assert "peet" not in page.url
            await screen(page, "volunteers-list")

            # The pipeline, from the keyboard: Fatima goes applied → intake → onboarding → active.
            await page.click("#tab-pipeline")
            card = page.locator(f"[data-volunteer='{plan['fatima']}']")
            for step in ("Intake", "Inwerken", "Actief"):
                button = card.get_by_role("button", name=f"Fatima El Amrani: Naar {step}")
                await button.focus()
                await page.keyboard.press("Enter")
                await expect(page.locator("#pipeline-status")).to_contain_text(f"bij {step}")
            await expect(page.locator("#column-active")).to_contain_text("(2)")
            await screen(page, "volunteers-pipeline")

            # The week: tomorrow's shift is a gap; Fatima fills it.
            await page.click("#tab-shifts")
            await week_of(page, today + dt.timedelta(days=1), today)
            gap = page.locator(f"[data-shift='{plan['tomorrow']}']")
            await expect(gap).to_have_class("shift gap")
            await expect(gap).to_contain_text("2 tekort")
            await screen(page, "volunteers-shifts")
            await gap.focus()
            await page.keyboard.press("Enter")
            await page.select_option("#assign-volunteer", plan["fatima"])
            await page.focus("#assign")
            await page.keyboard.press("Enter")
            gap = page.locator(f"[data-shift='{plan['tomorrow']}']")
            await expect(gap).to_contain_text("1 van 2 bezet · 1 tekort")
            await expect(page.locator("#roster")).to_contain_text("Fatima El Amrani")
            await screen(page, "volunteers-shift-filled")
            # One will do after all: the shift needs one fewer, and is full.
            await page.fill("#shift-needed", "1")
            await page.click("#change-needed")
            gap = page.locator(f"[data-shift='{plan['tomorrow']}']")
            await expect(gap).to_contain_text("1 van 1 bezet · volzet")
            await expect(gap).to_have_class("shift")

            # A one-off shift planned on the screen, then cancelled after all.
            later = today + dt.timedelta(days=2)
            await page.select_option("#new-shift-role", "other")
            await page.fill("#new-shift-date", later.isoformat())
            await page.fill("#new-shift-start", "14:00")
            await page.fill("#new-shift-end", "16:00")
            await page.click("#plan-shift")
            await expect(page.locator("#shift-detail h3")).to_contain_text("Andere")
            await expect(page.locator(".shift.gap")).to_contain_text("1 tekort")
            await page.click("#cancel-shift")
            await page.click("dialog button.primary")
            await expect(page.locator(".shift.cancelled")).to_contain_text("geannuleerd")
            await expect(page.locator(".shift.gap")).to_have_count(0)

            # Yesterday's shift is over: its hours, which bring Jan to 50 hours.
            await week_of(page, today - dt.timedelta(days=1), today)
            await page.click(f"[data-shift='{plan['yesterday']}']")
            await page.fill("#hours-0", "3")
            await page.click("#save-hours")
            await expect(page.locator("#shift-status")).to_contain_text(
                "Jan Peeters bereikte de mijlpaal 50 uur"
            )
            await screen(page, "volunteers-hours")
            # He stayed half an hour longer: the hours are corrected.
            await page.click(f"[data-shift='{plan['yesterday']}']")
            await page.fill(f"#correct-{plan['jan']}", "3,5")
            await page.get_by_role("button", name="Corrigeren: Jan Peeters").click()
            await expect(page.locator("#roster")).to_contain_text("Jan Peeters · 3,5 u")

            # Jan's page shows the milestone; the allowances say whether the caps are known.
            await page.click("#tab-thanks")
            await expect(page.locator("#milestone-list")).to_contain_text("Jan Peeters: 50 uur")
            await page.fill("#moment-title", "Bedankt voor 50 uur")
            await page.get_by_label("Jan Peeters").check()
            await page.click("#moment-form-title ~ button[type=submit]")
            await expect(page.locator("main")).to_contain_text("Bedankt voor 50 uur")
            await screen(page, "volunteers-thanks")
            await page.click("#milestone-list a")
            await expect(page.locator("#milestones")).to_contain_text("50 uur")
            await expect(page.locator("#total-hours")).to_contain_text("50,5 uur in totaal")
            await expect(page.locator("#caps-missing, #caps-line")).to_have_count(1)
            await screen(page, "volunteers-volunteer")
            await page.click("#edit-details summary")
            await page.fill("#edit-phone", "+32 470 11 22 33")
            await page.click("#save-details")
            await expect(page.locator("#details")).to_contain_text("+32 470 11 22 33")

            # Fatima asks what is kept about her, then to be forgotten.
            await page.goto(f"{running.url('volunteers')}/coordinator/#/volunteer/{plan['fatima']}")
            async with page.expect_download() as download:
                await page.click("#export")
            exported = await (await download.value).path()
            assert "El Amrani" in exported.read_text()
            await page.click("#erase")
            await page.fill("#erase-word", "WISSEN")
            await axe(page, "volunteers-erase-dialog")
            await page.keyboard.press("Enter")
            await expect(page.locator("main h2")).to_have_text("(gewist)")
            await expect(page.locator("#details")).not_to_contain_text("El Amrani")

            # A neighbourhood group, with Jan in it; the Buren voor Wijken members beside it.
            await page.click("#tab-groups")
            await expect(page.locator("#bvw-title + ul")).to_contain_text("Jan Peeters")
            await page.fill("#group-name", "Buren van de Vaartkom")
            await page.click("#new-group-title ~ .toolbar button[type=submit]")
            group = page.locator("section").filter(has_text="Buren van de Vaartkom").first
            await group.locator("select").select_option(label="Jan Peeters")
            await group.locator("button[type=submit]").click()
            group = page.locator("section").filter(has_text="Buren van de Vaartkom").first
            await expect(group.locator("ul")).to_contain_text("Jan Peeters")
            await screen(page, "volunteers-groups")
            await page.click("#tab-caps")
            await expect(page.locator("main h2")).to_be_visible()
            await screen(page, "volunteers-caps")

            # English on request, remembered; <html lang> follows.
            await page.click(".language-switch")
            await expect(page.locator("html")).to_have_attribute("lang", "en")
            await expect(page.locator("#tab-people")).to_have_text("Volunteers")
            await page.click(".language-switch")

            # An administrator of every centre: the links to every app, and this year's caps.
            await page.click("#logout")
            await dev_login(page, "admin", "all")
            links = page.locator("#app-links a")
            await expect(links).to_have_text(["Keuken", "Cursussen", "Indicatoren"])
            await page.click("#tab-caps")
            await expect(page.locator("#caps-missing")).to_contain_text(str(today.year))
            await page.fill("#caps-year", str(today.year))
            await page.fill("#caps-day", "41,48")
            await page.fill("#caps-per-year", "1659,29")
            await page.focus("#caps-form-title + .toolbar button")
            await page.keyboard.press("Enter")
            await expect(page.locator("#caps-table")).to_contain_text(str(today.year))
            await expect(page.locator("#caps-missing")).to_have_count(0)
            await screen(page, "volunteers-caps-admin")
            await page.goto(f"{running.url('volunteers')}/coordinator/#/volunteer/{plan['jan']}")
            await expect(page.locator("#caps-line")).to_contain_text("41,48")
            watched.assert_clean()
            await context.close()
