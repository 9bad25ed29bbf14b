"""An operator calls for help on the tablet; the manager's andon board shows it within 3 s; the manager
acknowledges; the operator's panel shows it acknowledged. Two real browsers: the operator's (dash_duo) and
the manager's (a second headless Chromium)."""

from __future__ import annotations

import pytest
from selenium import webdriver
from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions
from selenium.webdriver.support.ui import WebDriverWait

from tests.conftest import TEST_PASSWORD, pytest_setup_options

pytestmark = pytest.mark.browser


@pytest.fixture
def second_browser():
    options = pytest_setup_options()
    # as dash_duo starts its own; and a page nobody looks at must still refresh on time
    for flag in ("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-background-timer-throttling",
                 "--disable-renderer-backgrounding", "--disable-backgrounding-occluded-windows"):
        options.add_argument(flag)
    driver = webdriver.Chrome(options=options)
    yield driver
    driver.quit()


def painted(driver) -> bool:
    """Make the second browser paint a frame: a headless window that has no focus may hold back rendering."""
    driver.get_screenshot_as_png()
    return True


def log_in(driver, base_url: str, username: str, path: str) -> None:
    driver.get(f"{base_url}/login?next={path}")
    WebDriverWait(driver, 10).until(expected_conditions.presence_of_element_located((By.ID, "username")))
    driver.find_element(By.ID, "username").send_keys(username)
    driver.find_element(By.ID, "password").send_keys(TEST_PASSWORD)
    driver.find_element(By.ID, "login-button").click()


def test_an_andon_call_goes_from_the_tablet_to_the_manager_and_back(dash_duo, app, plant, make_user,
                                                                     browser_login, second_browser, tmp_path):
    make_user("operator", "otto")
    make_user("shift_manager", "sam")
    dash_duo.start_server(app, navigate=False)
    base = dash_duo.server.url
    manager = second_browser
    log_in(manager, base, "sam", "/andon/board")
    WebDriverWait(manager, 10).until(expected_conditions.presence_of_element_located((By.ID, "andon-board-grid")))

    browser_login("otto", TEST_PASSWORD, "/andon")
    dash_duo.wait_for_element('[id=\'{"kind":"maintenance","type":"andon-panel-kind"}\']').click()
    dash_duo.wait_for_contains_text("#andon-panel-confirm-text", "Maintenance at MIX1", timeout=5)
    dash_duo.driver.save_screenshot(str(tmp_path / "andon-confirm.png"))
    dash_duo.find_element("#andon-panel-confirm").click()
    dash_duo.wait_for_contains_text("#andon-raised", "raised: maintenance at MIX1", timeout=5)

    # on the manager's board within 3 s of the operator seeing the call raised
    row = WebDriverWait(manager, 3, poll_frequency=0.2).until(lambda driver: painted(driver) and driver.find_element(
        By.XPATH, "//div[@id='andon-board-grid']//div[@col-id='machine' and contains(., 'MIX1')]"))
    row.click()
    manager.find_element(By.ID, "andon-board-acknowledge").click()
    WebDriverWait(manager, 5).until(expected_conditions.text_to_be_present_in_element(
        (By.ID, "andon-board-message"), "acknowledged"))
    manager.save_screenshot(str(tmp_path / "andon-board.png"))

    dash_duo.wait_for_contains_text("#andon-panel-calls", "ACKNOWLEDGED", timeout=5)
    dash_duo.driver.save_screenshot(str(tmp_path / "andon-panel.png"))
