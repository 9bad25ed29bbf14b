"""An admin sees what the sync of a CIMCO source left in quarantine, fixes the mapping and has the rows taken
again from the page: the jobs process (its tick called here) carries out the request. The source is a real
CIMCO-style database on MariaDB."""

from __future__ import annotations

from datetime import datetime, timezone

import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.support.wait import WebDriverWait

from core.plant.config_file import parse_plant_toml
from core.plant.config_store import apply_plant_config
from core.sync.due_sources import sync_due_sources
from core.sync.source_connection import SourceEngines
from tests.conftest import TEST_PASSWORD
from tests.support.browser import tap
from tests.support.cimco_source import REALISTIC_PLANT_TOML, REALISTIC_ROWS

pytestmark = [pytest.mark.browser, pytest.mark.mysql]


def button(dash_duo, text: str):
    return dash_duo.driver.find_element(By.XPATH, f"//button[normalize-space()='{text}']")


def test_an_admin_retries_the_quarantined_rows_after_fixing_the_mapping(dash_duo, app, db, cimco, make_user,
                                                                        browser_login):
    apply_plant_config(db, parse_plant_toml(REALISTIC_PLANT_TOML))
    cimco.insert_rows(REALISTIC_ROWS)
    engines = SourceEngines({"CIMCO_TEST_URL": cimco.url})
    reports = sync_due_sources(db, engines)  # the jobs process's first tick
    assert [(report.written, report.quarantined) for report in reports] == [(20, 7)]

    make_user("admin", "ada")
    dash_duo.start_server(app, navigate=False)
    dash_duo.driver.set_window_size(1280, 1200)
    browser_login("ada", TEST_PASSWORD, "/admin/sources")
    dash_duo.wait_for_contains_text("#admin-sources-cards", "JobLogOB", timeout=10)
    dash_duo.wait_for_contains_text("#admin-sources-quarantine", "unknown state value 'WARMUP'", timeout=10)
    assert "id 27" in dash_duo.find_element("#admin-sources-cards").text  # the watermark

    # The mapping is fixed in the plant file, then the admin asks for a retry
    apply_plant_config(db, parse_plant_toml(REALISTIC_PLANT_TOML.replace('IDLE = "idle"',
                                                                         'IDLE = "idle"\nWARMUP = "changeover"')))
    tap(dash_duo, button(dash_duo, "Retry quarantined rows"))
    dash_duo.wait_for_contains_text("#admin-sources-cards", "waiting for the jobs process", timeout=10)

    later = datetime.now(timezone.utc)
    retried = sync_due_sources(db, engines, now=lambda: later)  # the next tick: the retry, not a run (not due)
    assert [report.taken_from_quarantine for report in retried] == [1]
    dash_duo.wait_for_contains_text("#admin-sources-quarantine-source", "cimco (6 in quarantine)", timeout=15)
    # the grid is redrawn on its own tick, after the picker's count
    WebDriverWait(dash_duo.driver, 15).until(
        lambda driver: "WARMUP" not in driver.find_element(By.ID, "admin-sources-quarantine").text)
    WebDriverWait(dash_duo.driver, 15).until(
        lambda driver: "waiting for the jobs process" not in driver.find_element(By.ID, "admin-sources-cards").text)
