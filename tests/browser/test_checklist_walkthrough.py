"""An operator fills in the Filler's pre-start checklist on a tablet-sized screen: taps OK and a choice,
types a pressure, signs with the pointer on the signature pad, submits; the completion is stored with the
drawn signature. Then a failed critical item shows what failed and that an andon call was raised."""

from __future__ import annotations

import base64

import pytest
from selenium.webdriver.common.action_chains import ActionChains
from selenium.webdriver.common.by import By
from sqlalchemy import select

from core.andon_calls import list_calls
from core.persistence.checklist_tables import ChecklistCompletion
from tests.conftest import TEST_PASSWORD

pytestmark = pytest.mark.browser


def tap(dash_duo, item: str, label: str) -> None:
    dash_duo.driver.find_element(
        By.XPATH, f"//div[@id='checklist-item-{item}']//label[normalize-space(.)='{label}']").click()


def type_into(dash_duo, item: str, text: str) -> None:
    dash_duo.driver.find_element(By.CSS_SELECTOR, f"#checklist-item-{item} input").send_keys(text)


def press(dash_duo, selector: str) -> None:
    button = dash_duo.find_element(selector)
    dash_duo.driver.execute_script("arguments[0].scrollIntoView({block: 'center', behavior: 'instant'})", button)
    button.click()


def sign(dash_duo) -> None:
    pad = dash_duo.find_element("canvas.signature-pad")
    dash_duo.driver.execute_script("arguments[0].scrollIntoView({block: 'center', behavior: 'instant'})", pad)
    strokes = ActionChains(dash_duo.driver).move_to_element(pad).move_by_offset(-150, 10).click_and_hold()
    for dx, dy in ((30, -40), (30, 60), (30, -50), (30, 40), (40, -20), (60, 10)):
        strokes = strokes.move_by_offset(dx, dy)
    strokes.release().perform()


def open_filler_checklist(dash_duo, browser_login, app) -> None:
    dash_duo.driver.set_window_size(1024, 768)
    dash_duo.start_server(app, navigate=False)
    browser_login("otto", TEST_PASSWORD, "/checklists")
    dash_duo.wait_for_element("#checklists-machine")
    dash_duo.select_dcc_dropdown("#checklists-machine", value="FIL2 · Filler 2")
    dash_duo.wait_for_element("#checklist-item-SIGN canvas.signature-pad", timeout=5)
    dash_duo.wait_for_contains_text("#checklists-status", "Filler start-up", timeout=5)
    dash_duo.driver.save_screenshot("/tmp/checklist-top.png")


def test_an_operator_fills_in_and_signs_a_checklist(dash_duo, app, plant, make_user, browser_login):
    make_user("operator", "otto")
    open_filler_checklist(dash_duo, browser_login, app)

    tap(dash_duo, "GUARDS", "✓ OK")
    type_into(dash_duo, "CO2", "3.2")
    tap(dash_duo, "NOZZLES", "Clean")
    type_into(dash_duo, "LOT", "B-2291")
    sign(dash_duo)
    dash_duo.driver.save_screenshot("/tmp/checklist.png")
    press(dash_duo, "#checklists-submit")
    dash_duo.wait_for_contains_text("#checklist-passed", "PASSED · Filler start-up at FIL2", timeout=5)
    dash_duo.driver.save_screenshot("/tmp/checklist-result.png")
    press(dash_duo, "#checklists-result-close")
    dash_duo.wait_for_contains_text("#checklists-status", "Every checklist of this machine is done", timeout=5)

    with plant() as session:
        completion = session.scalars(select(ChecklistCompletion)).one()
    assert completion.passed and completion.completed_by == "otto"
    assert completion.signature.startswith("data:image/png;base64,")
    drawn = base64.b64decode(completion.signature.split(",", 1)[1])
    assert drawn.startswith(b"\x89PNG") and 1_000 < len(drawn) < 200_000


def test_a_failed_critical_item_says_what_failed_and_calls_for_help(dash_duo, app, plant, make_user,
                                                                    browser_login):
    make_user("operator", "otto")
    open_filler_checklist(dash_duo, browser_login, app)

    tap(dash_duo, "GUARDS", "✓ OK")
    type_into(dash_duo, "CO2", "1.1")
    tap(dash_duo, "NOZZLES", "Clean")
    press(dash_duo, "#checklists-submit")
    dash_duo.wait_for_contains_text("#checklist-refused", "Answer every item first: Operator signature", timeout=5)
    press(dash_duo, "#checklists-result-close")
    dash_duo.wait_for_no_elements("#checklist-refused", timeout=5)

    sign(dash_duo)
    press(dash_duo, "#checklists-submit")
    dash_duo.wait_for_contains_text("#checklist-failed", "CO2 pressure (bar): 1.1 is below the minimum 2.5",
                                    timeout=5)
    dash_duo.wait_for_contains_text("#checklist-failed", "Andon call", timeout=5)
    dash_duo.driver.save_screenshot("/tmp/checklist-failed.png")
    assert [(c.equipment_code, c.kind, c.source) for c in list_calls(plant)] == [("FIL2", "maintenance", "checklist")]
