"""The pure parts of escalation webhooks: which notify entries are URLs and which URLs are accepted, the body,
the rows a due level makes, the backoff, and the rule check the admin page uses."""

from datetime import datetime, timedelta, timezone

import pytest
from pydantic import ValidationError

from core.andon_delivery import MAX_ATTEMPTS, NoticeMessage, retry_after
from core.andon_escalation import DueLevel
from core.andon_escalation_rules import EscalationRulesError, check_escalation_rules
from core.andon_notices import _rows_for
from core.andon_webhook import (
    WEBHOOK_URL_MAX, HttpWebhookPoster, is_webhook_target, webhook_body, webhook_headers,
    webhook_label, webhook_poster_from_environment, webhook_url_problem,
)
from core.persistence.andon_tables import AndonNotice
from core.plant.config_schema import EscalationLevel

T0 = datetime(2026, 3, 2, 12, tzinfo=timezone.utc)


@pytest.mark.parametrize("url", ["https://hooks.example.com/andon", "http://10.0.0.5:8080/x?y=1",
                                 "https://teams.example/webhook/a-b_c"])
def test_http_and_https_urls_with_a_host_are_accepted(url):
    assert is_webhook_target(url) and webhook_url_problem(url) is None


@pytest.mark.parametrize("url, words", [
    ("ftp://files.example/x", "must start with http:// or https://"),
    ("http:///path", "has no host"),
    ("https://h.example:70000/", "malformed"),
    ("https://h.example/a b", "contains a space"),
    ("https://h.example/" + "a" * WEBHOOK_URL_MAX, f"at most {WEBHOOK_URL_MAX}"),
])
def test_bad_urls_are_refused_saying_why(url, words):
    assert words in webhook_url_problem(url)


def test_the_longest_accepted_url_fits_the_notice_recipient_column():
    assert AndonNotice.__table__.c.recipient.type.length >= WEBHOOK_URL_MAX
    assert webhook_url_problem("https://h.example/" + "a" * (WEBHOOK_URL_MAX - 18)) is None


def test_names_without_a_scheme_are_people_not_urls():
    assert not any(is_webhook_target(name) for name in ("shift_manager", "sam", "pia@plant.test"))


def level(**values):
    return EscalationLevel.model_validate({"after_minutes": 0, **values})


def test_a_level_may_mix_people_and_webhooks():
    mixed = level(notify=["shift_manager", "https://hooks.example/a"], channels=["app", "webhook"])
    assert mixed.channels == ["app", "webhook"]


@pytest.mark.parametrize("values, words", [
    ({"notify": ["sam"], "channels": ["webhook"]}, r"channel webhook needs an http\(s\) URL"),
    ({"notify": ["https://hooks.example/a"]}, "channels has no webhook"),
    ({"notify": ["sam", "https://hooks.example/a"], "channels": ["webhook"]}, "neither app nor email"),
    ({"notify": ["gopher://old.example"], "channels": ["webhook"]}, "http:// or https://"),
    ({"notify": ["https://h.example"], "channels": ["webhook", "webhook"]}, "listed twice"),
    ({"notify": ["sam"], "channels": ["sms"]}, "'app', 'email' or 'webhook'"),
])
def test_levels_whose_targets_do_not_fit_their_channels_are_refused(values, words):
    with pytest.raises(ValidationError, match=words):
        level(**values)


def message(**changes) -> NoticeMessage:
    values = dict(notice_id=42, channel="webhook", recipient="https://hooks.example/a", attempts=0,
                  phase="acknowledged", level=1, after_minutes=60.0, call_id=7, kind="maintenance", priority="high",
                  status="acknowledged", note="gearbox", fault_code=None, source="tablet", raised_by="otto", raised_at=T0,
                  acknowledged_at=T0 + timedelta(minutes=3), acknowledged_by="max", equipment_code="BAG1",
                  equipment_name="Bagger 1", line_code="L1", line_name="Bagging line 1")
    return NoticeMessage(**{**values, **changes})


def test_the_body_carries_the_call_the_machine_the_level_and_the_delivery_id():
    body = webhook_body(message(), T0 + timedelta(minutes=63))
    assert body["event"] == "andon.escalation" and body["delivery"] == 42
    assert body["call"] == {"id": 7, "kind": "maintenance", "priority": "high", "status": "acknowledged",
                            "note": "gearbox", "raised_at": "2026-03-02T12:00:00+00:00",
                            "acknowledged_at": "2026-03-02T12:03:00+00:00"}
    assert body["equipment"] == {"code": "BAG1", "name": "Bagger 1"}
    assert body["line"] == {"code": "L1", "name": "Bagging line 1"}
    assert body["level"] == {"phase": "acknowledged", "after_minutes": 60.0, "number": 2}
    assert body["sent_at"] == "2026-03-02T13:03:00+00:00"
    assert webhook_headers(message())["Floorboard-Delivery"] == "42"


def test_failed_sends_back_off_1_2_4_minutes_up_to_30():
    assert [retry_after(n) for n in range(1, MAX_ATTEMPTS + 1)] == [timedelta(minutes=m) for m in
                                                                     (1, 2, 4, 8, 16, 30, 30, 30)]


def test_a_due_level_makes_one_pending_row_per_webhook_url_and_keeps_the_url_as_written():
    due = DueLevel(7, "raised", 0, 0.0, ("https://Hooks.example/A", "https://b.example/x"), ("webhook",))
    rows = _rows_for({}, due, T0)
    assert [(r.channel, r.recipient, r.status) for r in rows] == [
        ("webhook", "https://Hooks.example/A", "pending"), ("webhook", "https://b.example/x", "pending")]


def test_a_url_on_a_level_without_the_webhook_channel_is_recorded_as_a_problem():
    rows = _rows_for({}, DueLevel(7, "raised", 0, 0.0, ("https://h.example/a",), ("app", "email")), T0)
    [row] = rows
    assert row.status == "failed" and "no webhook channel" in row.error


def test_the_webhook_timeout_comes_from_the_environment():
    assert webhook_poster_from_environment({}) == HttpWebhookPoster(5.0)
    assert webhook_poster_from_environment({"FLOORBOARD_WEBHOOK_TIMEOUT_S": "2.5"}) == HttpWebhookPoster(2.5)
    for wrong in ("0", "-1", "soon", "nan", "1000"):
        with pytest.raises(ValueError, match="FLOORBOARD_WEBHOOK_TIMEOUT_S"):
            webhook_poster_from_environment({"FLOORBOARD_WEBHOOK_TIMEOUT_S": wrong})


def test_the_rule_check_sorts_levels_and_fills_defaults():
    checked = check_escalation_rules({"high": [{"after_minutes": 10, "notify": ["production_manager"]},
                                               {"after_minutes": 0, "notify": ["shift_manager"], "channels": ["app"]}]})
    assert [(lv["after_minutes"], lv["channels"], lv["after"]) for lv in checked["high"]] == [
        (0, ["app"], "raised"), (10, ["app", "email"], "raised")]


def test_the_rule_check_lists_every_problem_of_every_priority():
    with pytest.raises(EscalationRulesError) as refused:
        check_escalation_rules({
            "high": [{"after_minutes": -1, "notify": ["sam"]}, {"after_minutes": 5, "notify": ["ftp://x.example"],
                                                                "channels": ["webhook"]}],
            "low": [{"after_minutes": 5, "notify": ["sam"]}, {"after_minutes": 5, "notify": ["pia"]}],
            "urgent": [{"after_minutes": 0, "notify": ["sam"]}]})
    problems = refused.value.problems
    assert len(problems) == 4, problems
    assert problems[0].startswith("high, level 1: after_minutes:")
    assert problems[1].startswith("high, level 2: notify.0: webhook URL 'ftp://x.example' must start with")
    assert problems[2] == "low: levels after raised must have increasing after_minutes"
    assert problems[3].startswith("'urgent' is not a priority")


def test_a_webhook_label_shows_the_host_and_tells_urls_apart_without_their_path():
    slack = webhook_label("https://hooks.example.test/services/T000/B000/SECRETTOKEN")
    assert slack.startswith("webhook hooks.example.test #") and "SECRETTOKEN" not in slack and "/" not in slack
    assert slack != webhook_label("https://hooks.example.test/services/T000/B000/OTHERTOKEN")
    assert slack == webhook_label("https://hooks.example.test/services/T000/B000/SECRETTOKEN")
    assert webhook_label("http://10.0.0.5:8080/andon").startswith("webhook 10.0.0.5:8080 #")
