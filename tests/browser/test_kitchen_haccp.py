"""The HACCP log on the kitchen tablet: a fridge reading taken without a network is out of limits
(after the thermometer's correction, shown beside it), the tablet asks at once what was done, and
once the network is back the reading and its corrective action reach meals in that order and the
deviation is closed; a cooling process runs with its timer and deadline; a delivery too warm gets
its corrective action as well."""

import datetime as dt
from typing import Any

import pytest
from playwright.async_api import expect

from tests.browser.conftest import CENTRE, KITCHEN, Running
from tests.support.browser import (
    BRUSSELS,
    axe,
    chromium,
    clear_of_midnight,
    dev_login,
    everything_sent,
    new_page,
    screenshots,
    service_worker_in_control,
)

pytestmark = pytest.mark.timeout(240)
ACTION = "Deur stond open: producten naar koelkast 2, na een uur opnieuw gemeten"


async def kitchen_log(kitchen: Running) -> dict[str, Any]:
    """The Mannenstraat kitchen's equipment and checks, as its coordinator defines them: a fridge
    read now (limit 4 °C), a thermometer reading 0.5 °C low, cooling, and goods receipt."""
    clear_of_midnight()
    now = dt.datetime.now(BRUSSELS)
    base = f"/haccp/kitchens/{KITCHEN}"
    async with kitchen.client("meals", "centre_coordinator") as coordinator:

        async def made(path: str, body: dict[str, Any]) -> dict[str, Any]:
            response = await coordinator.post(path, json=body)
            assert response.status_code == 201, response.text
            made: dict[str, Any] = response.json()
            return made

        fridge = await made(f"{base}/equipment", {"kind": "fridge", "label": "Koelkast 1"})
        thermometer = await made(
            f"{base}/equipment",
            {"kind": "thermometer", "label": "Insteekthermometer", "calibration_offset": 0.5},
        )
        reading = await made(
            f"{base}/checks",
            {
                "kind": "fridge",
                "label": "Koelkast 1: temperatuur",
                "schedule": {"type": "times_of_day", "times": [f"{now:%H:%M}"]},
                "limits": {"type": "range", "max": 4},
                "equipment_id": fridge["equipment_id"],
            },
        )
        cooling = await made(
            f"{base}/checks",
            {"kind": "cooling", "label": "Afkoelen", "schedule": {"type": "on_event"}},
        )
        receipt = await made(
            f"{base}/checks",
            {"kind": "goods_receipt", "label": "Ontvangst", "schedule": {"type": "on_event"}},
        )
    return {"thermometer": thermometer, "reading": reading, "cooling": cooling, "receipt": receipt}


async def test_an_out_of_limit_reading_offline_gets_its_corrective_action(
    kitchen: Running,
) -> None:
    log = await kitchen_log(kitchen)
    async with chromium() as browser:
        context = await browser.new_context(viewport={"width": 1024, "height": 768})
        watched = await new_page(context)
        page = watched.page
        await page.goto(f"{kitchen.url('meals')}/kitchen/#haccp")
        await dev_login(page, "kitchen_staff", CENTRE)
        await page.wait_for_selector("#due-title")
        await service_worker_in_control(page)
        due = page.locator(f".due-check[data-check='{log['reading']['check_id']}']")
        await expect(due).to_contain_text("Grens: hoogstens 4 °C")
        await expect(due).to_contain_text("Toestel: Koelkast 1")
        await axe(page, "kitchen-haccp")
        await screenshots(page, "kitchen-haccp", full_page=True)

        # The network drops; the reading is taken with the thermometer that reads 0.5 °C low.
        await context.set_offline(True)
        await due.get_by_role("button", name="Registreren").click()
        await due.get_by_label("Meting Koelkast 1: temperatuur (°C)").fill("4,0")
        thermometer = due.get_by_label("Thermometer")
        await thermometer.select_option(log["thermometer"]["equipment_id"])
        selected = await thermometer.locator("option:checked").inner_text()
        assert selected == "Insteekthermometer (correctie +0,5 °C)"
        await due.get_by_role("button", name="Opslaan").click()
        dialog = page.get_by_role("dialog")
        await expect(dialog).to_contain_text("4,5 °C ligt buiten de grens (hoogstens 4 °C)")
        await axe(page, "kitchen-haccp-corrective-action")
        await screenshots(page, "kitchen-haccp-corrective-action")
        await dialog.get_by_label("Corrigerende actie").fill(ACTION)
        await dialog.get_by_role("button", name="Opslaan").click()
        await expect(due).to_contain_text("gedaan (nog niet verzonden)")
        await expect(page.locator("#deviations")).to_contain_text(
            "corrigerende actie wacht op verzending"
        )
        await expect(page.locator("#unsent-count")).to_have_text("2 niet verzonden")

        await context.set_offline(False)
        await everything_sent(page)
        # What the service holds now, not what the screen held a moment ago.
        await page.reload()
        await expect(page.locator("#deviations-title")).to_have_text(
            "Open afwijkingen (0)", timeout=10_000
        )

        # Cooling: started now, with a timer to its deadline; a reading that reaches the target.
        start = page.locator("form.start-form")
        await start.get_by_label("Product").fill("Kippensoep 20 l")
        await start.get_by_label("Begintemperatuur (°C)").fill("68")
        await start.get_by_role("button", name="Starten").click()
        process = page.locator("li.process")
        await expect(process).to_contain_text("Kippensoep 20 l")
        await expect(process.locator(".timer")).to_contain_text("nog 1:5")
        first = await process.locator(".timer").inner_text()
        await expect(process.locator(".timer")).not_to_have_text(first, timeout=5_000)
        await expect(process).to_contain_text("loopt", timeout=15_000)
        await process.get_by_label("Meting (°C)").fill("8,5")
        await process.get_by_role("button", name="Meting toevoegen").click()
        await everything_sent(page)
        await expect(page.locator("li.process")).to_have_count(0, timeout=30_000)

        # A delivery too warm: the corrective action at once.
        delivery = page.locator("form.delivery-form")
        await delivery.get_by_label("Leverancier").fill("Slagerij Peeters")
        await delivery.get_by_label("Product").fill("Kippenfilet 5 kg")
        await delivery.get_by_label("Lot").fill("L2412-04")
        await delivery.get_by_label("Temperatuur (°C, gekoelde waren)").fill("9")
        await delivery.get_by_role("button", name="Levering registreren").click()
        await dialog.get_by_label("Corrigerende actie").fill("Teruggegeven aan de leverancier")
        await dialog.get_by_role("button", name="Opslaan").click()
        await everything_sent(page)
        # What the service holds now, not what the screen held a moment ago.
        await page.reload()
        await expect(page.locator("#deviations-title")).to_have_text(
            "Open afwijkingen (0)", timeout=10_000
        )
        watched.assert_clean()
        await context.close()

    base = f"/haccp/kitchens/{KITCHEN}"
    async with kitchen.client("meals", "kitchen_staff") as cook:
        still_open = (await cook.get(f"{base}/deviations")).json()
        every = (await cook.get(f"{base}/deviations", params={"open": "false"})).json()
        processes = (await cook.get(f"{base}/processes")).json()["items"]
        deliveries = (await cook.get(f"{base}/deliveries")).json()["items"]
    assert still_open["total"] == 0
    by_check = {d["check_id"]: d for d in every["items"]}
    fridge = by_check[log["reading"]["check_id"]]
    assert (fridge["raw_value"], fridge["value"], fridge["outcome"]) == (4.0, 4.5, "deviation")
    assert [a["action"] for a in fridge["corrective_actions"]] == [ACTION]
    assert fridge["due_at"] is not None and not fridge["open"]
    warm = by_check[log["receipt"]["check_id"]]
    assert warm["value"] == 9 and not warm["open"]
    [cooled] = processes
    assert (cooled["product"], cooled["status"]) == ("Kippensoep 20 l", "completed")
    [received] = deliveries
    assert (received["lot"], received["outcome"]) == ("L2412-04", "deviation")
