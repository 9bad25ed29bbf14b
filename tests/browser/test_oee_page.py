"""A manager opens the OEE analysis for a day; the page's figures are the API's."""

import json
import urllib.request
from datetime import timedelta

import pytest

from core.plant.equipment import machines
from core.timeline import CountAt, StateAt, add_counts, add_state_changes
from tests.conftest import TEST_PASSWORD

pytestmark = pytest.mark.browser


def test_the_page_shows_the_engines_figures(dash_duo, app, plant, api_key, make_user, browser_login, tmp_path):
    from datetime import datetime, timezone

    bagger = next(m for m in machines(plant) if m.code == "BAG1")
    start = datetime(2026, 3, 2, 11, tzinfo=timezone.utc)  # Early shift, Monday 2 March, New York
    at = lambda minutes: start + timedelta(minutes=minutes)  # noqa: E731
    with plant.begin() as session:
        add_state_changes(session, [StateAt(bagger.id, at(0), "running"), StateAt(bagger.id, at(90), "down", "MOTOR"),
                                    StateAt(bagger.id, at(150), "running"), StateAt(bagger.id, at(480), "planned_stop")])
        add_counts(session, [CountAt(bagger.id, at(m), 55, 1) for m in range(1, 480)])
    make_user("production_manager", "petra")
    dash_duo.start_server(app, navigate=False)
    base = dash_duo.server.url

    request = urllib.request.Request(
        f"{base}/api/v1/oee?equipment=BAG1&start=2026-03-02T00:00:00-05:00&end=2026-03-03T00:00:00-05:00",
        headers={"Authorization": f"Bearer {api_key}"})
    with urllib.request.urlopen(request, timeout=10) as response:
        api = json.load(response)

    browser_login("petra", TEST_PASSWORD, "/oee?start=2026-03-02&end=2026-03-02&line=L1&machine=BAG1")
    for measure in ("oee", "availability", "performance", "quality"):
        dash_duo.wait_for_text_to_equal(f"#oee-kpi-{measure}", f"{api[measure]:.0%}", timeout=15)
    dash_duo.wait_for_text_to_equal("#oee-kpi-good", f"{api['good_count']:,}")
    dash_duo.wait_for_element("#oee-trend .main-svg")
    assert "machine=BAG1" in dash_duo.driver.current_url  # the view can be shared by its address
    dash_duo.driver.save_screenshot(str(tmp_path / "oee.png"))
