"""The data sources admin page: each source's figures and health in plain words, "Sync now" and "Retry
quarantined rows" marking the source for the jobs process (and the audit log), the quarantine grid, and the
empty state; the page's callbacks called as the browser calls them."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest

from core import audit
from core.accounts import Actor, list_users
from core.audit import AuditFilter
from core.clock import utc_now
from core.sync.source_status import UnknownSource, quarantined_rows, request_retry, request_sync, source_statuses
from tests.support.dash_calls import call, text_of
from tests.support.source_status_data import (
    PLANT_WITHOUT_SOURCES, WARMUP_ROW, a_failing_source, load_plant, set_figures, source_row, utc,
)

CARDS = ["admin-sources-cards.children", "admin-sources-empty.children", "admin-sources-quarantine-source.options",
         "admin-sources-quarantine-source.value", "admin-sources-quarantine-section.hidden"]
SYNC, RETRY = "admin-sources-sync", "admin-sources-retry"
T0 = utc(2026, 3, 2, 10, 0)


@pytest.fixture
def sources(database_url, db):
    load_plant(db)
    return db


def test_health_reads_never_run_ok_failing_behind_and_late(sources):
    assert [(s.name, s.health, s.health_level) for s in source_statuses(sources, T0)] == [
        ("cimco", "never run", "idle"), ("erp", "never run", "idle")]
    finished = T0 - timedelta(seconds=20)
    set_figures(sources, "cimco", run_started_at=finished - timedelta(seconds=5), run_finished_at=finished,
                run_ok=True, last_success_at=finished, lag_rows=3, lag_seconds=40.0)
    assert source_statuses(sources, T0)[0].health == "ok"  # a few rows committed during the run: not behind
    set_figures(sources, "cimco", lag_rows=2500, lag_seconds=1800.0)
    assert source_statuses(sources, T0)[0].health == "behind: 2,500 rows"
    assert source_statuses(sources, T0 + timedelta(minutes=6))[0].health == "late: no run since 10:59"
    assert source_statuses(sources, T0 + timedelta(days=1))[0].health == "late: no run since 2026-03-02 10:59"
    set_figures(sources, "cimco", run_ok=False, last_error="boom", last_error_at=finished,
                last_success_at=utc(2026, 3, 2, 9, 30), failing_since=utc(2026, 3, 2, 9, 31))
    failing = source_statuses(sources, T0)[0]
    assert (failing.health, failing.health_level) == ("failing since 10:31", "failing")  # Berlin: UTC+1
    set_figures(sources, "cimco", failing_since=None)
    assert source_statuses(sources, T0)[0].health == "failing"


def test_status_carries_the_last_run_totals_and_rows_in_quarantine(sources):
    a_failing_source(sources, T0)
    cimco, erp = source_statuses(sources, T0)
    assert (cimco.kind, cimco.table, cimco.running, cimco.run_ok) == ("mysql", "JobLogOB", False, False)
    assert (cimco.rows_read, cimco.rows_written, cimco.rows_quarantined) == (1234, 1200, 3)
    assert (cimco.watermark_id, cimco.lag_rows, cimco.lag_seconds) == (98765, 87, 420.0)
    assert (cimco.total_read, cimco.total_written, cimco.runs_failed, cimco.in_quarantine) == (50_000, 49_500, 4, 1)
    assert "Can't connect" in cimco.last_error and cimco.last_error_at == T0 - timedelta(seconds=30)
    assert (erp.table, erp.in_quarantine, erp.run_ok) == ("MachineLog", 0, None)
    [held] = quarantined_rows(sources, "cimco")
    assert (held.source_row_id, held.reason, held.times_seen) == (1042, "state 'WARMUP' is not in the states map", 3)
    assert json.loads(held.raw) == WARMUP_ROW
    assert quarantined_rows(sources, "erp") == []


def test_a_request_waits_until_the_jobs_process_starts_a_run_after_it(sources):
    request_sync(sources, "cimco", Actor("ada", "10.1.1.1"), T0)
    cimco = source_statuses(sources, T0)[0]
    assert (cimco.run_requested_at, cimco.requested_by) == (T0, "ada")
    set_figures(sources, "cimco", run_started_at=T0 - timedelta(seconds=5))  # a run that began before the click
    assert source_statuses(sources, T0)[0].run_requested_at == T0
    set_figures(sources, "cimco", run_started_at=T0 + timedelta(seconds=3))
    assert source_statuses(sources, T0)[0].run_requested_at is None
    request_retry(sources, "erp", Actor("ada"), T0)
    assert source_statuses(sources, T0)[1].retry_requested_at == T0
    set_figures(sources, "erp", retry_requested_at=None)  # what the jobs process does once the retry is done
    assert source_statuses(sources, T0)[1].retry_requested_at is None
    entries = audit.find_entries(sources, AuditFilter(action="sync.run_requested")).records
    assert [(e.actor, e.target, e.address) for e in entries] == [("ada", "cimco", "10.1.1.1")]
    with pytest.raises(UnknownSource):
        request_sync(sources, "nowhere", Actor("ada"), T0)


def test_cards_show_each_sources_figures_and_the_quarantine_grid_its_rows(sources, login_as):
    now = utc_now()
    a_failing_source(sources, now)
    admin = login_as("admin")
    out = call(admin, CARDS, [1, 0], [None])
    cards = text_of(out["admin-sources-cards.children"])
    for shown in ("cimco", "JobLogOB", "failing since", "1,234", "1,200", "id 98,765", "87 rows",
                  "7 min behind the source", "Can't connect to MySQL server", "50,000 rows read", "4 runs failed",
                  "Sync now", "Retry quarantined rows", "erp", "never run"):
        assert shown in cards, shown
    assert out["admin-sources-empty.children"] is None
    assert out["admin-sources-quarantine-source.options"] == [
        {"label": "cimco (1 in quarantine)", "value": "cimco"}, {"label": "erp (0 in quarantine)", "value": "erp"}]
    assert out["admin-sources-quarantine-source.value"] == "cimco"
    assert out["admin-sources-quarantine-section.hidden"] is False

    rows = call(admin, ["admin-sources-quarantine.rowData"], ["cimco", 1])["admin-sources-quarantine.rowData"]
    assert [(r["key"], r["row_id"], r["reason"], r["times_seen"]) for r in rows] == [
        ("1042", 1042, "state 'WARMUP' is not in the states map", 3)]
    assert json.loads(rows[0]["raw"]) == WARMUP_ROW
    assert call(admin, ["admin-sources-quarantine.rowData"], ["erp", 1])["admin-sources-quarantine.rowData"] == []


def test_sync_now_and_retry_mark_the_source_audit_and_show_it_waiting(sources, login_as, db):
    admin = login_as("admin")
    user = admin_name(db)
    out = click(admin, SYNC, "cimco")
    assert "A sync of cimco was requested" in text_of(out["admin-sources-message.children"])
    assert out["admin-sources-refresh.data"] == 1
    row = source_row(db, "cimco")
    assert row.run_requested_at is not None and row.requested_by == user and row.retry_requested_at is None
    cards = text_of(call(admin, CARDS, [2, 1], ["cimco"])["admin-sources-cards.children"])
    assert f"Sync requested by {user}" in cards and "waiting for the jobs process" in cards

    out = click(admin, RETRY, "erp")
    assert "A retry of the quarantined rows of erp was requested" in text_of(out["admin-sources-message.children"])
    assert source_row(db, "erp").retry_requested_at is not None
    assert [(e.actor, e.target) for action in ("sync.run_requested", "sync.retry_requested")
            for e in audit.find_entries(db, AuditFilter(action=action)).records] == [(user, "cimco"), (user, "erp")]

    set_figures(db, "cimco", run_started_at=utc_now() + timedelta(seconds=1))  # the jobs process took it
    cards = text_of(call(admin, CARDS, [3, 1], ["cimco"])["admin-sources-cards.children"])
    assert "Sync requested" not in cards and "Retry of the quarantined rows requested" in cards


def test_a_redrawn_button_is_not_a_click(sources, login_as, db):
    out = click(login_as("admin"), SYNC, "cimco", clicks=None)
    assert out == {}  # no_update everywhere
    assert source_row(db, "cimco").run_requested_at is None


def test_a_role_without_the_permission_cannot_ask_for_a_sync(sources, login_as, db):
    response = click(login_as("production_manager"), SYNC, "cimco", expect=403)
    assert response.status_code == 403 and source_row(db, "cimco").run_requested_at is None


def test_without_sources_the_page_says_how_to_add_one(database_url, db, login_as):
    load_plant(db, PLANT_WITHOUT_SOURCES)
    out = call(login_as("admin"), CARDS, [1, 0], [None])
    assert out["admin-sources-cards.children"] == [] and out["admin-sources-quarantine-source.options"] == []
    assert out["admin-sources-quarantine-section.hidden"] is True
    empty = text_of(out["admin-sources-empty.children"])
    assert "[[sources]]" in empty and "floorboard sync inspect cimco" in empty and "url_env" in empty


def admin_name(db) -> str:
    [name] = [u.username for u in list_users(db) if u.role == "admin"]
    return name


def click(client, kind: str, source: str, clicks: int | None = 1, expect: int = 200):
    """Click one card's button the way dash-renderer sends a pattern-matching (ALL) input."""
    spec = next(d for d in client.get("/_dash-dependencies").json if d["output"].startswith("..admin-sources-message"))
    names = ("cimco", "erp")

    def buttons(type_: str) -> list[dict]:
        return [{"id": {"source": name, "type": type_}, "property": "n_clicks",
                 "value": clicks if (type_, name) == (kind, source) else None} for name in names]

    body = {"output": spec["output"],
            "outputs": [{"id": "admin-sources-message", "property": "children"},
                        {"id": "admin-sources-refresh", "property": "data"}],
            "inputs": [buttons(SYNC), buttons(RETRY)],
            "state": [{"id": "admin-sources-refresh", "property": "data", "value": 0}],
            "changedPropIds": [json.dumps({"source": source, "type": kind}, sort_keys=True, separators=(",", ":"))
                               + ".n_clicks"]}
    response = client.post("/_dash-update-component", json=body)
    if expect != 200:
        return response
    if response.status_code == 204:
        return {}
    assert response.status_code == 200, response.get_data(as_text=True)
    return {f"{cid}.{prop}": value for cid, props in response.json["response"].items() for prop, value in props.items()}
