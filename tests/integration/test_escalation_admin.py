"""The escalation rules admin page: saving levels (checked by the plant file's rules, one transaction, audited
with before and after, dumped with the plant), a refusal listing every problem and changing nothing, and the
page's callbacks as the browser calls them, including the list of failed notices."""

from __future__ import annotations

import json
import tomllib
from pathlib import Path
from datetime import datetime, timedelta, timezone

import pytest
from sqlalchemy import func, select

from core import audit
from core.accounts import Actor
from core.andon_calls import call_for_help
from core.andon_escalation_rules import EscalationRulesError, escalation_ladders, save_escalation_rules
from core.andon_notices import notices_of, plan_notices, recent_notices
from core.andon_webhook import webhook_label
from core.audit import AuditFilter
from core.persistence.andon_tables import AndonNotice
from core.plant.config_file import dump_plant_toml, parse_plant_toml
from core.plant.config_store import apply_plant_config, read_plant_config
from jobs.andon_escalation import escalate_andon_calls
from jobs.context import JobContext
from tests.conftest import EXAMPLE_PLANT
from tests.integration.test_admin_pages import call, text_of

T0 = datetime(2026, 3, 2, 12, tzinfo=timezone.utc)
HOOK = "https://hooks.example.test/andon?team=line1"


def test_saved_levels_are_audited_with_before_and_after_and_dumped_with_the_plant(database_url, plant):
    before = escalation_ladders(plant)
    wanted = {**before, "high": [
        {"after_minutes": 10, "notify": ["production_manager"]},
        {"after_minutes": 0, "notify": ["shift_manager", HOOK], "channels": ["app", "webhook"]}]}
    del wanted["low"]
    assert save_escalation_rules(plant, wanted, Actor("ada", "10.1.1.1")) is True

    stored = escalation_ladders(plant)
    assert "low" not in stored and stored["medium"] == before["medium"]
    assert [(lv["after_minutes"], lv["notify"], lv["channels"]) for lv in stored["high"]] == [
        (0, ["shift_manager", HOOK], ["app", "webhook"]), (10, ["production_manager"], ["app", "email"])]
    [entry] = audit.find_entries(plant, AuditFilter(action="plant.escalation_changed")).records
    assert (entry.actor, entry.target) == ("ada", "escalation rules")
    detail = json.loads(entry.detail)
    assert detail["before"] == before
    assert detail["after"] == {**stored, "high": [{**stored["high"][0], "notify": ["shift_manager", webhook_label(HOOK)]},
                                                  stored["high"][1]]}
    dumped = tomllib.loads(dump_plant_toml(read_plant_config(plant)))["escalations"]
    assert {e["priority"]: e["levels"] for e in dumped} == stored
    assert save_escalation_rules(plant, stored, Actor("ada")) is False  # the same again changes nothing


def test_the_audit_log_names_webhooks_without_their_secret_yet_tells_two_apart(database_url, plant):
    secret, other = "https://hooks.example.test/services/T000/B000/SECRETTOKEN", "https://hooks.example.test/x/OTHER"
    ladders = escalation_ladders(plant)
    for url in (secret, other):
        save_escalation_rules(plant, {**ladders, "low": [{"after_minutes": 0, "notify": ["quality", url],
                                                          "channels": ["app", "webhook"]}]}, Actor("ada"))
    entries = audit.find_entries(plant, AuditFilter(action="plant.escalation_changed")).records
    assert len(entries) == 2 and not any("SECRETTOKEN" in e.detail or "/services/" in e.detail for e in entries)
    [change] = [json.loads(e.detail) for e in entries if webhook_label(other) in e.detail]
    assert change["before"]["low"][0]["notify"] == ["quality", webhook_label(secret)]
    assert change["after"]["low"][0]["notify"] == ["quality", webhook_label(other)]
    assert webhook_label(secret) != webhook_label(other) and webhook_label(secret).startswith(
        "webhook hooks.example.test #")


def test_a_level_edited_after_a_call_passed_its_time_is_marked_skipped_not_sent_again(database_url, plant):
    ladders = escalation_ladders(plant)

    def high(*minutes):
        return {**ladders, "high": [{"after_minutes": m, "notify": [f"level{m:g}@example.test"], "channels": ["email"]}
                                    for m in minutes]}

    save_escalation_rules(plant, high(0, 10), Actor("ada"), T0 - timedelta(hours=1))
    raised = call_for_help(plant, "BAG1", "maintenance", "high", "", Actor("otto"), "tablet", T0)
    assert plan_notices(plant, T0 + timedelta(minutes=11)) == 2
    save_escalation_rules(plant, high(0, 5, 12, 30), Actor("ada"), T0 + timedelta(minutes=15))  # 10 -> 12; 5 added
    assert plan_notices(plant, T0 + timedelta(minutes=16)) == 0  # nobody told again, nobody told late
    assert plan_notices(plant, T0 + timedelta(minutes=30)) == 1  # a level falling due after the save is sent

    with plant() as session:
        notices = {(n.after_minutes, n.status) for n in session.scalars(select(AndonNotice))}
    assert notices == {(0, "pending"), (10, "pending"), (5, "skipped"), (12, "skipped"), (30, "pending")}
    assert [n.error for n in recent_notices(plant, "skipped")] == ["not sent: the escalation rules changed after this level's time"] * 2
    assert notices_of(plant, [raised.id])[raised.id].level_reached == "raised 4"
    before_save = call_for_help(plant, "MIX1", "maintenance", "high", "", Actor("otto"), "tablet", T0)
    save_escalation_rules(plant, high(0, 30), Actor("ada"), T0 + timedelta(minutes=20))
    assert notices_of(plant, [before_save.id])[before_save.id].level_reached == ""  # a skipped level is not reached


def test_a_plant_file_that_moves_a_level_a_call_passed_tells_nobody_again(database_url, plant):
    raised = call_for_help(plant, "BAG1", "maintenance", "high", "", Actor("otto"), "tablet", T0)
    told = plan_notices(plant, T0 + timedelta(minutes=11))  # levels 0 and 10
    text = Path(EXAMPLE_PLANT).read_text(encoding="utf-8").replace(
        '{ after_minutes = 10, notify = ["production_manager"] }', '{ after_minutes = 12, notify = ["production_manager"] }')
    assert apply_plant_config(plant, parse_plant_toml(text), now=T0 + timedelta(minutes=15)).updated["escalation rules"]
    assert plan_notices(plant, T0 + timedelta(minutes=16)) == 0
    with plant() as session:
        assert session.scalar(select(func.count()).select_from(AndonNotice).where(
            AndonNotice.call_id == raised.id)) == told + 1  # the one skipped row


def test_refused_levels_list_every_problem_and_change_nothing(database_url, plant):
    before = escalation_ladders(plant)
    with pytest.raises(EscalationRulesError) as refused:
        save_escalation_rules(plant, {
            "high": [{"after_minutes": 0, "notify": ["https://"], "channels": ["webhook"]}],
            "medium": [{"after_minutes": "soon", "notify": []}],
            "low": [{"after_minutes": 0, "notify": ["sam"]}]}, Actor("ada"))
    problems = refused.value.problems
    assert any(p.startswith("high, level 1: notify.0: webhook URL 'https://' has no host") for p in problems)
    assert any(p.startswith("medium, level 1: after_minutes:") for p in problems)
    assert any(p.startswith("medium, level 1: notify:") for p in problems)
    assert escalation_ladders(plant) == before
    assert audit.find_entries(plant, AuditFilter(action="plant.escalation_changed")).total == 0


@pytest.fixture
def admin(login_as, plant):
    return login_as("admin")


def grid_rows(admin):
    return call(admin, ["admin-escalation-grid.rowData"], [None])["admin-escalation-grid.rowData"]


def test_the_page_edits_levels_and_shows_the_problems_of_a_bad_save(admin, plant):
    rows = grid_rows(admin)
    assert {row["priority"] for row in rows} == {"low", "medium", "high", "critical"}
    added = call(admin, ["admin-escalation-grid.rowData"], [1], [rows])["admin-escalation-grid.rowData"]
    new = {**added[-1], "priority": "low", "after_minutes": 45, "notify": f"quality, {HOOK}",
           "channels": "app, webhook"}
    out = call(admin, ["admin-escalation-message.children", "admin-escalation-grid.rowData"], [1],
               [[*added[:-1], new]])
    assert "Saved" in text_of(out["admin-escalation-message.children"])
    assert escalation_ladders(plant)["low"][-1] == {"after_minutes": 45, "after": "raised",
                                                    "notify": ["quality", HOOK], "channels": ["app", "webhook"]}

    bad = [{**rows[0], "priority": "urgent"}, {**rows[1], "channels": "app, pager"}]
    out = call(admin, ["admin-escalation-message.children", "admin-escalation-grid.rowData"], [2], [bad])
    message = text_of(out["admin-escalation-message.children"])
    assert "Not saved (2 problems)" in message and "'urgent' is not a priority" in message and "got 'pager'" in message
    assert escalation_ladders(plant)["low"][-1]["after_minutes"] == 45


def test_the_page_lists_a_failed_notice_with_its_error(admin, plant, tmp_path):
    call_for_help(plant, "BAG1", "help", "low", "", Actor("otto"), "tablet", T0)  # low: shift managers; none exist
    escalate_andon_calls(JobContext(db=plant, clock=lambda: T0, home=tmp_path))
    rows = call(admin, ["admin-escalation-notices.rowData"], ["failed", None])["admin-escalation-notices.rowData"]
    [row] = rows
    assert row["status"] == "failed" and "no active user has the role shift_manager" in row["error"]
    assert row["call"].endswith("BAG1 (low)") and row["next"] == ""
