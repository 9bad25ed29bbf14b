"""An admin adds an escalation level in the table: a clash is refused with the problem shown, a fixed one is saved."""

from __future__ import annotations

import pytest
from selenium.webdriver.common.keys import Keys

from core.andon_escalation_rules import escalation_ladders
from tests.conftest import TEST_PASSWORD

pytestmark = pytest.mark.browser

NEW_ROW = "#admin-escalation-grid .ag-row[row-id='new-1']"


def edit_cell(dash_duo, column: str, text: str) -> None:
    cell = dash_duo.find_element(f"{NEW_ROW} .ag-cell[col-id='{column}']")
    dash_duo.driver.execute_script("arguments[0].scrollIntoView({block: 'center'})", cell)
    cell.click()  # single-click editing
    editor = dash_duo.driver.switch_to.active_element
    editor.send_keys(Keys.CONTROL, "a")
    editor.send_keys(text, Keys.ENTER)


def test_an_admin_adds_a_level_sees_a_clash_and_saves_it_fixed(dash_duo, app, plant, make_user, browser_login):
    make_user("admin", "ada")
    dash_duo.start_server(app, navigate=False)
    dash_duo.driver.set_window_size(1280, 1200)
    browser_login("ada", TEST_PASSWORD, "/admin/escalation")
    dash_duo.wait_for_contains_text("#admin-escalation-grid", "production_manager", timeout=10)

    dash_duo.find_element("#admin-escalation-add").click()
    dash_duo.wait_for_element(NEW_ROW, timeout=5)
    edit_cell(dash_duo, "notify", "quality, https://hooks.example.test/andon")
    edit_cell(dash_duo, "channels", "app, webhook")
    dash_duo.find_element("#admin-escalation-save").click()  # medium already has a level at 0 minutes
    dash_duo.wait_for_contains_text("#admin-escalation-message", "must have increasing after_minutes", timeout=5)
    assert all(level["after_minutes"] != 20 for level in escalation_ladders(plant)["medium"])

    edit_cell(dash_duo, "after_minutes", "20")
    dash_duo.find_element("#admin-escalation-save").click()
    dash_duo.wait_for_contains_text("#admin-escalation-message", "Saved", timeout=5)
    assert {"after_minutes": 20, "after": "raised", "notify": ["quality", "https://hooks.example.test/andon"],
            "channels": ["app", "webhook"]} in escalation_ladders(plant)["medium"]
