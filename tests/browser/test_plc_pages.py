"""A machine on a real EtherNet/IP controller (cpppo): its state and faults reach the board, its silence shows as
"no signal"; an engineer sees the connection; an admin maps a machine's tags and tests the connection."""

from __future__ import annotations

import time
from datetime import timedelta

import pytest
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support.ui import Select

from core.clock import utc_now
from core.plant.config_store import read_plant_config
from core.plc.scanner import TagScanner
from core.plc.spool import ReadingSpool
from tests.conftest import EXAMPLE_PLANT, TEST_PASSWORD
from tests.support.plc_plant import bagger_view, map_bagger_to, wait_until

pytestmark = pytest.mark.browser

BAGGER_STATE = '[id=\'{"field":"state","machine":"BAG1","type":"board-field"}\']'
BAGGER_REASON = '[id=\'{"field":"reason","machine":"BAG1","type":"board-field"}\']'


@pytest.fixture
def scanner(plant, tmp_path):
    scanner = TagScanner(plant, ReadingSpool(tmp_path / "spool.sqlite"), utc_now, simulator=None,
                         count_every=timedelta(seconds=1))
    yield scanner
    scanner.stop()
    scanner.spool.close()


def test_the_board_shows_what_the_controller_says_and_no_signal_when_it_is_gone(
        dash_duo, app, plant, controller, scanner, make_user, browser_login, tmp_path):
    map_bagger_to(plant, EXAMPLE_PLANT, controller.address)
    writer = controller.writer()
    writer.write({"Running": True, "GoodCount": 500, "Faults": 0})
    scanner.reconcile(bagger_view(plant))
    make_user("shift_manager", "sam")
    dash_duo.start_server(app, navigate=False)
    browser_login("sam", TEST_PASSWORD, "/board?line=L1")
    dash_duo.wait_for_text_to_equal(BAGGER_STATE, "RUNNING", timeout=10)

    writer.write({"Faults": 0b10, "Running": False})  # F02: jam at infeed
    dash_duo.wait_for_text_to_equal(BAGGER_STATE, "DOWN", timeout=5)
    dash_duo.wait_for_contains_text(BAGGER_REASON, "Jam", timeout=5)
    dash_duo.driver.set_window_size(1280, 800)
    dash_duo.driver.save_screenshot(str(tmp_path / "board-fault.png"))

    controller.stop()
    dash_duo.wait_for_text_to_equal(BAGGER_STATE, "NO SIGNAL", timeout=8)
    dash_duo.driver.save_screenshot(str(tmp_path / "board-no-signal.png"))


def type_into(dash_duo, selector: str, text: str) -> None:
    """Replace a field's text as a person would (select all, then type): React ignores selenium's clear()."""
    field = dash_duo.find_element(selector)
    field.send_keys(Keys.CONTROL, "a")
    field.send_keys(Keys.DELETE)
    if text:
        field.send_keys(text)


def click(dash_duo, selector: str) -> None:
    button = dash_duo.find_element(selector)
    dash_duo.driver.execute_script("arguments[0].scrollIntoView({block: 'center'})", button)
    button.click()


def test_an_admin_maps_tags_tests_the_connection_and_saves(dash_duo, app, plant, controller, make_user,
                                                           browser_login, tmp_path):
    controller.writer().write({"Running": True, "GoodCount": 42})
    make_user("admin", "ada")
    dash_duo.start_server(app, navigate=False)
    dash_duo.driver.set_window_size(1280, 1400)
    browser_login("ada", TEST_PASSWORD, "/admin/plc")
    dash_duo.select_dcc_dropdown("#admin-plc-machine", value="CHK1 · Checkweigher 1 (L1)")
    running_tag = '[id=\'{"role":"running","type":"admin-plc-role-tag"}\']'
    wait_until(lambda: dash_duo.find_element(running_tag).get_attribute("value") == "Check.Running", 5,
               "CHK1's settings in the form")
    Select(dash_duo.wait_for_element("#admin-plc-driver")).select_by_value("logix")
    type_into(dash_duo, "#admin-plc-address", controller.address)
    for role, tag in (("running", "Running"), ("speed", ""), ("good", "GoodCount"), ("reject", "RejectCount"),
                      ("faults", "Faults"), ("changeover", ""), ("product", "")):
        type_into(dash_duo, f'[id=\'{{"role":"{role}","type":"admin-plc-role-tag"}}\']', tag)
    type_into(dash_duo, "#admin-plc-trend-tags", "Speed")
    type_into(dash_duo, "#admin-plc-tag-types",
              "Running = BOOL\nGoodCount = DINT\nRejectCount = DINT\nFaults = DINT\nSpeed = REAL")
    type_into(dash_duo, "#admin-plc-deadbands", "")

    click(dash_duo, "#admin-plc-test")
    dash_duo.wait_for_contains_text("#admin-plc-message", "Connected: 5 tags read", timeout=10)
    dash_duo.wait_for_contains_text("#admin-plc-test-result", "42", timeout=5)
    dash_duo.driver.save_screenshot(str(tmp_path / "admin-plc.png"))

    click(dash_duo, "#admin-plc-save")
    dash_duo.wait_for_contains_text("#admin-plc-message", "Saved", timeout=5)
    checkweigher = next(e for line in read_plant_config(plant).lines for e in line.equipment if e.code == "CHK1")
    assert (checkweigher.plc.driver, checkweigher.plc.address) == ("logix", controller.address)
    assert checkweigher.tags == {"running": "Running", "good": "GoodCount", "reject": "RejectCount",
                                 "faults": "Faults"}
    assert checkweigher.tag_types["GoodCount"] == "DINT" and checkweigher.trend_tags == ["Speed"]


def test_an_engineer_sees_the_connection_its_live_tags_and_a_trend(dash_duo, app, plant, controller, scanner,
                                                                   make_user, browser_login, tmp_path):
    map_bagger_to(plant, EXAMPLE_PLANT, controller.address)
    writer = controller.writer()
    writer.write({"Running": True, "GoodCount": 1234, "Speed": 38.5})
    scanner.reconcile(bagger_view(plant))
    for speed in (40.0, 42.5, 41.0):  # a few trend samples
        time.sleep(0.5)
        writer.write({"Speed": speed})
    make_user("engineer", "erin")
    dash_duo.start_server(app, navigate=False)
    dash_duo.driver.set_window_size(1280, 900)
    browser_login("erin", TEST_PASSWORD, "/engineering/plc")
    dash_duo.wait_for_contains_text(f"#plc-connections-grid", f"logix://{controller.address}/0", timeout=15)
    dash_duo.wait_for_contains_text("#plc-connections-grid", "connected", timeout=5)
    dash_duo.driver.save_screenshot(str(tmp_path / "plc-connections.png"))

    dash_duo.driver.get(f"{dash_duo.server.url}/engineering/tags?machine=BAG1")
    dash_duo.wait_for_contains_text("#tags-live-grid", "1234", timeout=15)
    dash_duo.wait_for_contains_text("#tags-trend-note", "every stored change", timeout=10)
    dash_duo.wait_for_element("#tags-trend .scatterlayer .trace", timeout=10)
    dash_duo.driver.save_screenshot(str(tmp_path / "tags.png"))
