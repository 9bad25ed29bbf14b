"""An admin creates an operator; the operator sees no admin pages; after logout the back button shows nothing."""

import pytest
from selenium.webdriver.common.by import By

from tests.conftest import TEST_PASSWORD
from tests.support.browser import tap

pytestmark = pytest.mark.browser

OPERATOR_PASSWORD = "Bagger-shift-3"


def test_admin_creates_an_operator_who_cannot_reach_admin_pages(dash_duo, app, make_user, browser_login, tmp_path):
    make_user("admin", "chief")
    dash_duo.start_server(app, navigate=False)  # anonymous visitors get the login page, not the Dash app

    browser_login("chief", TEST_PASSWORD, "/admin/users")
    dash_duo.wait_for_text_to_equal("h1", "Users")
    dash_duo.wait_for_contains_text("#users-grid", "chief")
    dash_duo.find_element("#users-new-username").send_keys("olga")
    dash_duo.find_element("#users-new-display-name").send_keys("Olga Operator")
    dash_duo.find_element("#users-new-password").send_keys(OPERATOR_PASSWORD)
    tap(dash_duo, dash_duo.find_element("#users-create"))
    dash_duo.wait_for_contains_text("#users-message", "User olga created as operator.")
    dash_duo.wait_for_contains_text("#users-grid", "Olga Operator")
    dash_duo.driver.save_screenshot(str(tmp_path / "users.png"))

    dash_duo.find_element("#nav-user").click()
    dash_duo.wait_for_element("#logout-button").click()
    dash_duo.wait_for_element("#login-button")

    browser_login("olga", OPERATOR_PASSWORD)
    dash_duo.wait_for_element("#board-line")  # an operator starts at the line board
    dash_duo.wait_for_contains_text("#nav-user", "Olga Operator")
    navbar = dash_duo.find_element(".navbar").text
    assert "Admin" not in navbar and "Users" not in navbar and "Olga Operator" in navbar

    dash_duo.driver.get(f"{dash_duo.server.url}/admin/users")
    dash_duo.wait_for_contains_text("#not-allowed", "Not allowed")
    assert not dash_duo.driver.find_elements(By.ID, "users-grid")

    dash_duo.find_element("#nav-user").click()
    dash_duo.wait_for_element("#logout-button").click()
    dash_duo.wait_for_element("#login-button")
    dash_duo.driver.back()
    dash_duo.wait_for_element("#login-button")  # the page is fetched again, and the server asks for a login
    assert "Olga Operator" not in dash_duo.driver.page_source
    assert "Not allowed" not in dash_duo.driver.page_source
