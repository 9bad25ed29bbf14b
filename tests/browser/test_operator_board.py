"""An operator opens the line board; a stop posted through the API shows on it within 3 seconds."""

import json
import time
import urllib.request
from datetime import datetime, timedelta, timezone

import pytest

from tests.conftest import TEST_PASSWORD
from tests.support.browser import tap

pytestmark = pytest.mark.browser


def post_events(base_url: str, key: str, events: list[dict]) -> dict:
    request = urllib.request.Request(
        f"{base_url}/api/v1/events", data=json.dumps({"events": events}).encode(), method="POST",
        headers={"Authorization": f"Bearer {key}", "Content-Type": "application/json"})
    with urllib.request.urlopen(request, timeout=5) as response:
        return json.load(response)


def test_a_stop_posted_through_the_api_shows_on_the_board(dash_duo, app, plant, api_key, make_user, browser_login,
                                                          tmp_path):
    make_user("operator", "otto")
    dash_duo.start_server(app, navigate=False)
    base = dash_duo.server.url
    now = datetime.now(timezone.utc)
    post_events(base, api_key, [
        {"type": "state", "equipment": code, "at": (now - timedelta(minutes=30)).isoformat(), "state": "running"}
        for code in ("MIX1", "BAG1", "CHK1", "PAL1")])

    browser_login("otto", TEST_PASSWORD, "/board")
    bagger_state = '[id=\'{"field":"state","machine":"BAG1","type":"board-field"}\']'
    dash_duo.wait_for_text_to_equal(bagger_state, "RUNNING", timeout=10)  # shown in capitals by CSS
    assert len(dash_duo.find_elements(".board-tile")) == 4

    posted = time.monotonic()
    post_events(base, api_key, [{"id": "otto-1", "type": "state", "equipment": "BAG1",
                                 "at": datetime.now(timezone.utc).isoformat(), "state": "down", "reason": "FILM"}])
    dash_duo.wait_for_text_to_equal(bagger_state, "DOWN", timeout=3)
    assert time.monotonic() - posted < 3.5
    reason = '[id=\'{"field":"reason","machine":"BAG1","type":"board-field"}\']'
    dash_duo.wait_for_text_to_equal(reason, "Film or label break", timeout=3)
    tile = dash_duo.find_element('[id=\'{"machine":"BAG1","type":"board-tile"}\']')
    assert "state-down" in tile.get_attribute("class")
    dash_duo.driver.set_window_size(1280, 800)
    dash_duo.driver.save_screenshot(str(tmp_path / "board.png"))


def test_the_board_remembers_the_operators_line(dash_duo, app, plant, make_user, browser_login):
    make_user("operator", "lena")
    dash_duo.start_server(app, navigate=False)
    browser_login("lena", TEST_PASSWORD, "/board")
    dash_duo.wait_for_element(".board-tile")
    select = dash_duo.find_element("#board-line")
    from selenium.webdriver.support.ui import Select

    Select(select).select_by_value("L2")
    dash_duo.wait_for_contains_text("#board-tiles", "Filler 2", timeout=5)
    dash_duo.driver.get(f"{dash_duo.server.url}/board")
    dash_duo.wait_for_contains_text("#board-tiles", "Filler 2", timeout=10)
    assert dash_duo.find_element("#board-line").get_attribute("value") == "L2"


def reason_button(code: str) -> str:
    return f'[id=\'{{"code":"{code}","type":"stop-queue-reason"}}\']'


def test_an_operator_gives_a_reason_for_a_queued_stop_in_three_taps(dash_duo, app, plant, make_user, browser_login,
                                                                    tmp_path):
    from sqlalchemy import select

    from core.persistence.timeline_tables import StateChange
    from core.plant.equipment import machines
    from core.timeline import StateAt, add_state_changes

    bagger = next(m for m in machines(plant) if m.code == "BAG1")
    now = datetime.now(timezone.utc)
    with plant.begin() as session:
        # still stopped: it belongs to the shift in progress whenever the test runs, even just after a change
        add_state_changes(session, [StateAt(bagger.id, now - timedelta(minutes=30), "running"),
                                    StateAt(bagger.id, now - timedelta(minutes=20), "down")])
    make_user("operator", "olga")
    dash_duo.start_server(app, navigate=False)
    browser_login("olga", TEST_PASSWORD, "/board")
    dash_duo.wait_for_text_to_equal("#stop-queue-count", "1", timeout=10)
    assert "BAG1" in dash_duo.find_element("#stop-queue-stop-list").text
    dash_duo.driver.set_window_size(1024, 768)

    taps = 0
    for code in ("UNPLANNED", "MECH", "JAM"):
        tap(dash_duo, dash_duo.wait_for_element(reason_button(code), timeout=5))
        taps += 1
        if code == "UNPLANNED":
            dash_duo.wait_for_text_to_equal("#stop-queue-trail", "Unplanned stop", timeout=5)
            dash_duo.driver.save_screenshot(str(tmp_path / "stop-queue.png"))
            dash_duo.driver.save_screenshot("/tmp/stop-queue.png")
    dash_duo.wait_for_contains_text("#stop-queue-message", "BAG1: Jam", timeout=5)
    assert taps == 3
    with plant() as session:
        reasons = session.scalars(select(StateChange.reason_code).where(StateChange.equipment_id == bagger.id,
                                                                        StateChange.state == "down")).all()
    assert reasons == ["JAM"]
    dash_duo.wait_for_element("#stop-queue", timeout=5)
    assert not dash_duo.find_element("#stop-queue").is_displayed()  # nothing left to answer

    tap(dash_duo, dash_duo.find_element("#stop-queue-call-for-help"))  # the next step, at the same machine
    dash_duo.wait_for_contains_text("#andon-panel-machine", "BAG1", timeout=5)
