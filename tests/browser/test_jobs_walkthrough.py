"""A shift manager creates a work order and assigns its job on the assignment board; the operator, on the
tablet, accepts it, starts it (a new product: changeover), taps "Changeover done" and completes it with good
and scrap quantities. One real browser, the manager first, then the operator."""

from __future__ import annotations

import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys

from core.job_workflow.views import list_jobs
from tests.conftest import TEST_PASSWORD

pytestmark = pytest.mark.browser
TABLET = (1024, 768)


def move_button(job_id: int, action: str) -> str:
    return f'[id=\'{{"action":"{action}","job":{job_id},"type":"my-jobs-move"}}\']'


def test_a_manager_assigns_a_job_and_the_operator_carries_it_out(dash_duo, app, plant, make_user, browser_login,
                                                                tmp_path):
    make_user("operator", "otto")
    make_user("shift_manager", "sam")
    dash_duo.start_server(app, navigate=False)

    browser_login("sam", TEST_PASSWORD, "/jobs/board")
    dash_duo.wait_for_element("#job-board-number").send_keys("WO-1001")
    dash_duo.select_dcc_dropdown("#job-board-product", value="P-300 · Mineral water 0.5 l")
    dash_duo.find_element("#job-board-quantity").send_keys("1200")
    dash_duo.select_dcc_dropdown("#job-board-where", value="Line L2 · Bottling line 2")
    dash_duo.find_element("#job-board-lot").send_keys("LOT-42")
    due = dash_duo.find_element("#job-board-due")  # Dash 4: the id is on the date picker's text input
    due.send_keys("2026-12-31", Keys.ENTER)
    dash_duo.find_element("#job-board-create").click()
    dash_duo.wait_for_contains_text("#job-board-alert", "Work order WO-1001 created", timeout=5)
    dash_duo.select_dcc_dropdown("#job-board-work-order", index=0)
    dash_duo.select_dcc_dropdown("#job-board-operator", value="otto")
    dash_duo.select_dcc_dropdown("#job-board-machine", value="LAB2 · Labeler 2")
    dash_duo.find_element("#job-board-assign").click()
    dash_duo.wait_for_contains_text("#job-board-alert", "assigned: WO-1001 to otto on LAB2", timeout=5)
    dash_duo.wait_for_contains_text("#job-board-grid", "WO-1001", timeout=8)
    dash_duo.driver.save_screenshot("/tmp/job-board.png")
    [job] = list_jobs(plant)

    dash_duo.driver.delete_all_cookies()  # the tablet, now in the operator's hands
    dash_duo.driver.set_window_size(*TABLET)
    browser_login("otto", TEST_PASSWORD, "/jobs")
    dash_duo.wait_for_contains_text(f"#my-jobs-card-{job.id}", "WO-1001", timeout=8)
    dash_duo.find_element(move_button(job.id, "accept")).click()
    dash_duo.wait_for_contains_text(f"#my-jobs-status-{job.id}", "ACCEPTED", timeout=5)
    dash_duo.find_element(move_button(job.id, "start")).click()
    dash_duo.wait_for_contains_text(f"#my-jobs-status-{job.id}", "IN PROGRESS", timeout=5)
    dash_duo.wait_for_element(move_button(job.id, "changeover"), timeout=5)
    dash_duo.driver.save_screenshot("/tmp/jobs.png")
    dash_duo.find_element(move_button(job.id, "changeover")).click()
    dash_duo.wait_for_contains_text("#my-jobs-done", "changeover done", timeout=5)

    dash_duo.find_element(f'[id=\'{{"job":{job.id},"type":"my-jobs-ask-complete"}}\']').click()
    dash_duo.wait_for_element("#my-jobs-good").send_keys("1180")
    dash_duo.find_element("#my-jobs-scrap").send_keys("20")
    dash_duo.driver.save_screenshot("/tmp/jobs-complete.png")
    dash_duo.find_element("#my-jobs-complete").click()
    dash_duo.wait_for_contains_text("#my-jobs-done", "WO-1001 completed: 1180 good, 20 scrap", timeout=5)
    dash_duo.wait_for_contains_text("#my-jobs-cards", "No jobs for you right now", timeout=5)
    [done] = list_jobs(plant)
    assert (done.status, done.good, done.scrap, done.finished_by, done.lot_number) == (
        "completed", 1180, 20, "otto", "LOT-42")
