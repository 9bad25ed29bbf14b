"""An engineer on the OEE page clicks the breakdowns bar of the waterfall, lands on the stops that make up
that loss (their sum is the bar's), follows a stop's "Work order" link to the maintenance form for it and taps
"Create work order": the corrective order for that stop opens."""

from datetime import datetime, timedelta, timezone
from urllib.parse import parse_qs, urlparse

import pytest
from selenium.webdriver.common.action_chains import ActionChains

from core.maintenance.order_views import list_orders
from core.plant.equipment import machines
from core.timeline import StateAt, add_state_changes
from tests.conftest import TEST_PASSWORD

pytestmark = pytest.mark.browser

EARLY = datetime(2026, 3, 2, 11, tzinfo=timezone.utc)  # 06:00 in New York, Monday 2 March
BREAKDOWNS_STEP = 5  # the waterfall's sixth bar (callbacks/oee_charts.py waterfall_rows)


def test_from_the_waterfall_to_a_stop_and_its_work_order(dash_duo, app, plant, make_user, browser_login, tmp_path):
    bag = next(m for m in machines(plant) if m.code == "BAG1")
    at = lambda minutes: EARLY + timedelta(minutes=minutes)  # noqa: E731
    with plant.begin() as session:
        add_state_changes(session, [
            StateAt(bag.id, at(0), "running"), StateAt(bag.id, at(40), "down", "JAM", "plc", "F02"),
            StateAt(bag.id, at(55), "running"), StateAt(bag.id, at(120), "down", "MOTOR", "plc", "F04"),
            StateAt(bag.id, at(150), "running"), StateAt(bag.id, at(480), "planned_stop")])
    make_user("engineer", "erin")
    dash_duo.start_server(app, navigate=False)

    browser_login("erin", TEST_PASSWORD, "/oee?start=2026-03-02&end=2026-03-02&line=L1&machine=BAG1")
    bar = dash_duo.wait_for_element(f"#oee-waterfall .trace.bars .point:nth-of-type({BREAKDOWNS_STEP + 1}) path",
                                    timeout=15)
    dash_duo.driver.execute_script("arguments[0].scrollIntoView({block: 'center', behavior: 'instant'});", bar)
    ActionChains(dash_duo.driver).move_to_element(bar).pause(0.3).click().perform()  # as a mouse does: hover, click

    dash_duo.wait_for_text_to_equal("#fault-stops-title", "Breakdowns", timeout=15)
    assert urlparse(dash_duo.driver.current_url).path == "/engineering/stops"
    assert parse_qs(urlparse(dash_duo.driver.current_url).query)["loss"] == ["breakdowns"]
    dash_duo.wait_for_contains_text("#fault-stops-total", "2 stops, 45.0 min counted in the loss", timeout=10)
    dash_duo.wait_for_contains_text("#fault-stops-total", "the chart shows 45.0 min")
    dash_duo.wait_for_contains_text("#fault-stops-grid", "F02 Jam at infeed")
    dash_duo.driver.save_screenshot(str(tmp_path / "stops.png"))

    link = dash_duo.wait_for_element("#fault-stops-grid a[href^='/maintenance/work-orders/new?stop=']")
    stop_id = parse_qs(urlparse(link.get_attribute("href")).query)["stop"][0]
    link.click()
    dash_duo.wait_for_element("#_pages_content", timeout=10)
    address = urlparse(dash_duo.driver.current_url)
    assert (address.path, parse_qs(address.query)) == ("/maintenance/work-orders/new", {"stop": [stop_id]})
    assert int(stop_id) in _first_rows_of_stops(plant, bag.id)

    dash_duo.wait_for_contains_text("#maintenance-new-source", "BAG1", timeout=10)  # the stop, shown: enabled
    dash_duo.wait_for_text_to_equal("#maintenance-new-create", "Create work order")
    create = dash_duo.find_element("#maintenance-new-create")
    assert create.is_enabled()
    create.click()
    dash_duo.wait_for_contains_text("#maintenance-order-title", "Work order", timeout=15)
    assert urlparse(dash_duo.driver.current_url).path == "/maintenance/work-orders/view"
    [order] = list_orders(plant)
    assert (order.kind, order.stop_id, order.equipment_code) == ("corrective", int(stop_id), "BAG1")
    dash_duo.wait_for_contains_text("#maintenance-order-title", f"Work order {order.id}")


def _first_rows_of_stops(db, equipment_id) -> set[int]:
    from sqlalchemy import select

    from core.persistence.timeline_tables import StateChange

    with db() as session:
        return set(session.scalars(select(StateChange.id).where(StateChange.equipment_id == equipment_id,
                                                                StateChange.state == "down")))
