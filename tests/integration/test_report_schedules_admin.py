"""The report schedules admin page: saving schedules (checked by the plant file's rules, one transaction, audited
with before and after, dumped with the plant), a refusal listing every problem by row and changing nothing, the
runs of scheduled reports with failed and retrying ones shown, and the page's callbacks as the browser calls them."""

from __future__ import annotations

import json
import tomllib
from datetime import datetime, timedelta, timezone

import pytest

from core import audit
from core.accounts import Actor
from core.audit import AuditFilter
from core.persistence.report_tables import ReportRun
from core.plant.config_file import dump_plant_toml
from core.plant.config_store import read_plant_config
from core.reports.schedule_history import last_runs, recent_scheduled_runs
from core.reports.schedule_settings import ReportSchedulesError, report_schedules, save_report_schedules
from core.reports.section_catalog import SECTIONS
from tests.integration.test_admin_pages import call, text_of

T0 = datetime(2026, 3, 2, 6, 5, tzinfo=timezone.utc)
KEYS = ", ".join(SECTIONS)


def test_saved_schedules_are_audited_with_before_and_after_and_dumped_with_the_plant(database_url, plant, make_user):
    make_user("quality", "rita")
    before = report_schedules(plant)
    night, daily, _weekly, custom = before
    assert (custom["type"], custom["sections"], custom["lines"]) == ("custom", ["pareto", "reliability", "stops"],
                                                                     ["L1", "L2"])
    wanted = [{**daily, "cron": "30 6 * * 1-5", "recipients": ["rita", "Plant.Manager@example.com"]}, night,
              {"name": "Downtime L2", "type": "downtime", "line": "L2", "cron": "0 8 * * 1",
               "recipients": ["maintenance"]},
              {**custom, "sections": ["oee", "losses"], "lines": ["L2"]},
              {"name": "Plant losses", "type": "custom", "sections": ["losses"], "cron": "0 9 * * *",
               "recipients": ["rita"]}]
    assert save_report_schedules(plant, wanted, Actor("ada", "10.1.1.1"), T0) is True

    stored = report_schedules(plant)
    assert [s["name"] for s in stored] == ["Daily plant", "Night shift, bagging", "Downtime L2", "Downtime by line",
                                           "Plant losses"]  # the weekly is gone
    assert stored[0] == {**daily, "cron": "30 6 * * 1-5", "recipients": ["rita", "Plant.Manager@example.com"]}
    assert [(s["sections"], s["lines"]) for s in stored[3:]] == [(["oee", "losses"], ["L2"]), (["losses"], None)]
    [entry] = audit.find_entries(plant, AuditFilter(action="plant.reports_changed")).records
    assert (entry.actor, entry.target, entry.address) == ("ada", "report schedules", "10.1.1.1")
    assert json.loads(entry.detail) == {"before": before, "after": stored}
    dumped = tomllib.loads(dump_plant_toml(read_plant_config(plant)))["reports"]
    assert [(r["name"], r["cron"], r.get("line"), r.get("sections"), r.get("lines")) for r in dumped] == [
        ("Daily plant", "30 6 * * 1-5", None, None, None),
        ("Night shift, bagging", "5 6 * * mon-sat", "L1", None, None),
        ("Downtime L2", "0 8 * * 1", "L2", None, None),
        ("Downtime by line", "15 7 * * *", None, ["oee", "losses"], ["L2"]),
        ("Plant losses", "0 9 * * *", None, ["losses"], None)]
    assert save_report_schedules(plant, stored, Actor("ada")) is False  # the same again changes nothing

    assert save_report_schedules(plant, [*stored, _weekly], Actor("ada")) is True  # a removed one comes back
    assert report_schedules(plant)[-1] == _weekly


def test_refused_schedules_list_every_problem_by_row_and_change_nothing(database_url, plant):
    before = report_schedules(plant)
    night, daily, weekly, custom = before
    with pytest.raises(ReportSchedulesError) as refused:
        save_report_schedules(plant, [
            {**night, "line": "L9"},
            {**daily, "cron": "0 7 * *"},
            {**weekly, "cron": "0 25 * * mon", "recipients": []},
            {**daily, "recipients": ["production_manager", "nobody"]},
            {"name": "Custom", "type": "custom", "line": None, "cron": "0 7 * * *", "recipients": ["admin"]},
            {"name": "Shift, no line", "type": "shift", "line": None, "cron": "0 7 * * *", "recipients": ["admin"]},
            {**custom, "sections": ["pareto", "gossip"]},
            {**custom, "name": "Custom L9", "lines": ["L1", "L9"]},
            {**daily, "name": "Daily, sections", "sections": ["oee"]},
        ], Actor("ada"))
    assert refused.value.problems == [
        "row 1 (Night shift, bagging): line: no line with code 'L9'",
        "row 2 (Daily plant): cron: cron must have five fields (minute hour day month weekday), got '0 7 * *'",
        "row 3 (Weekly plant): cron: cron '0 25 * * mon': Bad hour (minute 0-59, hour 0-23, day 1-31, month 1-12, "
        "weekday 0-7 with 0 and 7 Sunday)",
        "row 3 (Weekly plant): recipients: give at least one role, user name or email address",
        "row 4 (Daily plant): name: 'Daily plant' is already the name of row 2",
        "row 4 (Daily plant): recipients: 'nobody' is neither a role, a user nor an email address",
        f"row 5 (Custom): a custom report needs at least one section in sections (sections: {KEYS})",
        "row 6 (Shift, no line): line: a shift report is about one line: choose it",
        f"row 7 (Downtime by line): sections: unknown section 'gossip' (sections: {KEYS})",
        "row 8 (Custom L9): lines: no line with code 'L9'",
        "row 9 (Daily, sections): sections and lines are for custom reports only; a daily report takes line",
    ]
    assert report_schedules(plant) == before
    assert audit.find_entries(plant, AuditFilter(action="plant.reports_changed")).total == 0


def add_run(db, name: str | None, status: str, minutes: int, **values) -> None:
    due = T0 + timedelta(minutes=minutes)
    with db.begin() as session:
        session.add(ReportRun(schedule_name=name, kind="daily", line_code=None, window_start=due - timedelta(days=1),
                              window_end=due, due_at=due if name else None, requested_by="system" if name else "ada",
                              status=status, created_at=due, recipients='["pm@example.test"]', **values))


@pytest.fixture
def runs(plant):
    add_run(plant, "Daily plant", "sent", 0, attempts=1, size_bytes=48_000, finished_at=T0)
    add_run(plant, "Daily plant", "failed", 60, attempts=6, error="SMTP 550 mailbox unavailable")
    add_run(plant, "Night shift, bagging", "retrying", 30, attempts=2, next_attempt_at=T0 + timedelta(minutes=34),
            error="connection refused")
    add_run(plant, None, "built", 90)  # built by hand on the reports page: not a schedule's
    return plant


def test_the_runs_of_schedules_are_listed_newest_first_failed_and_retrying_included(database_url, runs):
    assert [(r.schedule_name, r.status) for r in recent_scheduled_runs(runs)] == [
        ("Daily plant", "failed"), ("Night shift, bagging", "retrying"), ("Daily plant", "sent")]
    last = last_runs(runs)
    assert set(last) == {"Daily plant", "Night shift, bagging"}
    assert (last["Daily plant"].status, last["Daily plant"].attempts, last["Daily plant"].error) == (
        "failed", 6, "SMTP 550 mailbox unavailable")
    assert last["Night shift, bagging"].next_attempt_at == T0 + timedelta(minutes=34)
    assert last["Night shift, bagging"].recipients == ("pm@example.test",)


@pytest.fixture
def admin(login_as, plant):
    return login_as("admin")


def test_the_page_shows_last_runs_and_refuses_a_bad_cron_with_its_row(admin, runs):
    out = call(admin, ["admin-reports-grid.rowData", "admin-reports-grid.columnDefs"], [None])
    rows = {row["name"]: row for row in out["admin-reports-grid.rowData"]}
    assert rows["Daily plant"]["last_run"].startswith("failed 2026-03-02 02:05")  # New York: UTC-5
    assert "6 tries" in rows["Daily plant"]["last_run"] and "SMTP 550" in rows["Daily plant"]["last_error"]
    assert "next 2026-03-02 01:39" in rows["Night shift, bagging"]["last_run"]
    assert rows["Weekly plant"]["last_run"] == "not run yet"
    line = next(c for c in out["admin-reports-grid.columnDefs"] if c["field"] == "line")
    assert line["cellEditorParams"]["values"] == ["", "L1", "L2"]
    kinds = next(c for c in out["admin-reports-grid.columnDefs"] if c["field"] == "type")
    assert "custom" in kinds["cellEditorParams"]["values"]
    assert (rows["Downtime by line"]["sections"], rows["Downtime by line"]["lines"]) == (
        "pareto, reliability, stops", "L1, L2")

    grid = list(rows.values())
    bad = [{**grid[0], "cron": "5 6 * *"}, *grid[1:3], {**grid[3], "sections": "oee, nope"}]
    out = call(admin, ["admin-reports-message.children", "admin-reports-grid.rowData"], [1], [bad])
    message = text_of(out["admin-reports-message.children"])
    assert "Not saved (2 problems)" in message and "row 1 (Night shift, bagging): cron: cron must have five" in message
    assert "row 4 (Downtime by line): sections: unknown section 'nope'" in message
    assert "admin-reports-grid.rowData" not in out  # the admin's edits stay in the table to be fixed

    good = [{**grid[0], "cron": "15 6 * * mon-sat", "recipients": "shift_manager, ops@example.test"}, *grid[1:3],
            {**grid[3], "sections": "oee,losses", "lines": ""}]
    out = call(admin, ["admin-reports-message.children", "admin-reports-grid.rowData"], [2], [good])
    assert "Saved" in text_of(out["admin-reports-message.children"])
    assert report_schedules(runs)[0]["recipients"] == ["shift_manager", "ops@example.test"]
    assert (report_schedules(runs)[3]["sections"], report_schedules(runs)[3]["lines"]) == (["oee", "losses"], None)
    assert out["admin-reports-grid.rowData"][3]["sections"] == "oee, losses"

    listed = call(admin, ["admin-reports-runs.rowData"], [None])["admin-reports-runs.rowData"]
    assert [(r["status"], r["attempts"], r["next"]) for r in listed] == [
        ("failed", 6, ""), ("retrying", 2, "2026-03-02 01:39"), ("sent", 1, "")]
    assert listed[0]["error"] == "SMTP 550 mailbox unavailable" and listed[2]["size"] == "47 kB"
