"""An engineer opens the risk board: the machines ranked riskiest first with their drivers and usual chance, the
model's accuracy against the baseline; then the model page, where an engineer only reads. An admin makes the
candidate version active there after confirming, and rolls back to the version before."""

import pytest

from tests.conftest import TEST_PASSWORD
from tests.integration.test_risk_pages import a_scored_plant, statuses, train
from tests.support.browser import tap

pytestmark = pytest.mark.browser


def test_an_engineer_reads_the_risk_board_and_an_admin_promotes_and_rolls_back(dash_duo, app, plant, make_user,
                                                                                browser_login, tmp_path):
    a_scored_plant(plant)
    train(plant, 0.79, days_ago=1)  # version 2: a candidate, not better than version 1 on the same rows
    make_user("engineer", "erin")
    make_user("admin", "ada")
    dash_duo.start_server(app, navigate=False)

    browser_login("erin", TEST_PASSWORD, "/engineering/risk")
    dash_duo.wait_for_element("#risk-machine-BAG1", timeout=15)
    ranked = [card.get_attribute("id") for card in dash_duo.find_elements("[id^='risk-machine-']")]
    assert ranked == ["risk-machine-BAG1", "risk-machine-MIX1", "risk-machine-CHK1"]
    bag = dash_duo.find_element("#risk-machine-BAG1").text
    assert "46 %" in bag and "usual for this hour: 12 %" in bag
    assert "fault F12 (Photo-eye fault) 3 times in the last hour (+14 pts)" in bag
    dash_duo.wait_for_contains_text("#risk-verdict", "Version 1 beats the baseline on the holdout")
    metrics = dash_duo.find_element("#risk-metrics").text
    assert "0.810" in metrics and "0.640" in metrics and "0.750" in metrics  # holdout model, baseline; achieved
    dash_duo.driver.save_screenshot(str(tmp_path / "risk-board.png"))

    tap(dash_duo, dash_duo.find_element("#risk-models-link"))
    dash_duo.wait_for_contains_text("#models-versions", "Kept as a candidate", timeout=15)
    assert not dash_duo.find_elements("#models-versions button")  # an engineer only reads

    dash_duo.driver.delete_all_cookies()
    browser_login("ada", TEST_PASSWORD, "/engineering/models")
    dash_duo.wait_for_contains_text("#models-versions", "Make active", timeout=15)
    tap(dash_duo, button(dash_duo, "Make active"))
    dash_duo.wait_for_contains_text("#models-confirm-text", "Make version 2 of the downtime risk model active? "
                                                            "Version 1, active now, is retired.", timeout=10)
    tap(dash_duo, dash_duo.wait_for_element("#models-confirm"))
    dash_duo.wait_for_text_to_equal("#models-result", "Version 2 of downtime_risk is now active.", timeout=10)
    assert statuses(plant) == {1: "retired", 2: "active"}

    dash_duo.wait_for_contains_text("#models-versions", "Roll back", timeout=10)
    tap(dash_duo, button(dash_duo, "Roll back"))
    dash_duo.wait_for_contains_text("#models-confirm-text", "retire version 2", timeout=10)
    tap(dash_duo, dash_duo.wait_for_element("#models-confirm"))
    dash_duo.wait_for_text_to_equal("#models-result", "Rolled back: version 1 of downtime_risk is active again.",
                                    timeout=10)
    assert statuses(plant) == {1: "active", 2: "retired"}
    dash_duo.driver.save_screenshot(str(tmp_path / "models.png"))


def button(dash_duo, label: str):
    """The versions table's button with this label (its id is a pattern-matching dict)."""
    return next(b for b in dash_duo.find_elements("#models-versions button") if b.text == label)
