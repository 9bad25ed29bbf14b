"""An admin changes when a report is made and what a custom one holds: a bad cron and an unknown section are
refused with their problems shown, the fixed ones are saved."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from selenium.webdriver.common.keys import Keys

from core.persistence.report_tables import ReportRun
from core.reports.schedule_settings import report_schedules
from tests.conftest import TEST_PASSWORD
from tests.support.browser import tap

pytestmark = pytest.mark.browser

SITE = ZoneInfo("America/New_York")  # the example plant's
DAILY = "#admin-reports-grid .ag-row[row-id='Daily plant']"
CUSTOM = "#admin-reports-grid .ag-row[row-id='Downtime by line']"


def edit_cell(dash_duo, row: str, column: str, text: str) -> None:
    tap(dash_duo, dash_duo.find_element(f"{row} .ag-cell[col-id='{column}']"))  # single-click editing
    editor = dash_duo.driver.switch_to.active_element
    editor.send_keys(Keys.CONTROL, "a")
    editor.send_keys(text, Keys.ENTER)


def a_failed_send(db) -> None:
    today = datetime.now(SITE).replace(hour=0, minute=0, second=0, microsecond=0)
    due = today.replace(hour=7)
    with db.begin() as session:
        session.add(ReportRun(schedule_name="Daily plant", kind="daily", window_start=today - timedelta(days=1),
                              window_end=today, due_at=due, requested_by="system", status="failed", created_at=due,
                              finished_at=due, size_bytes=52_000, recipients='["plant.manager@example.com"]',
                              attempts=6, error="SMTP 550 mailbox unavailable"))


def test_an_admin_changes_a_cron_sees_a_bad_one_refused_and_saves_it_fixed(dash_duo, app, plant, make_user,
                                                                           browser_login):
    make_user("admin", "ada")
    a_failed_send(plant)
    dash_duo.start_server(app, navigate=False)
    dash_duo.driver.set_window_size(1280, 900)
    browser_login("ada", TEST_PASSWORD, "/admin/reports")
    dash_duo.wait_for_contains_text(DAILY, "SMTP 550", timeout=10)
    dash_duo.wait_for_contains_text("#admin-reports-runs", "failed", timeout=5)

    edit_cell(dash_duo, DAILY, "cron", "0 25 * * *")
    edit_cell(dash_duo, CUSTOM, "sections", "pareto, gossip")
    tap(dash_duo, dash_duo.find_element("#admin-reports-save"))
    dash_duo.wait_for_contains_text("#admin-reports-message", "row 2 (Daily plant): cron: cron '0 25 * * *': Bad hour",
                                    timeout=5)
    dash_duo.wait_for_contains_text("#admin-reports-message",
                                    "row 4 (Downtime by line): sections: unknown section 'gossip'", timeout=5)
    dash_duo.driver.save_screenshot("/tmp/report-schedules-refused.png")
    assert report_schedules(plant)[1]["cron"] == "0 7 * * *"

    edit_cell(dash_duo, DAILY, "cron", "30 6 * * 1-5")
    edit_cell(dash_duo, CUSTOM, "sections", "pareto, losses")
    edit_cell(dash_duo, CUSTOM, "lines", "L1")
    tap(dash_duo, dash_duo.find_element("#admin-reports-save"))
    dash_duo.wait_for_contains_text("#admin-reports-message", "Saved", timeout=5)
    assert report_schedules(plant)[1]["cron"] == "30 6 * * 1-5"
    assert (report_schedules(plant)[3]["sections"], report_schedules(plant)[3]["lines"]) == (["pareto", "losses"],
                                                                                          ["L1"])
    dash_duo.driver.execute_script("window.scrollTo(0, 0)")
    dash_duo.driver.save_screenshot("/tmp/report-schedules.png")
    tap(dash_duo, dash_duo.find_element("#admin-reports-runs"))
    dash_duo.driver.save_screenshot("/tmp/report-schedules-runs.png")
