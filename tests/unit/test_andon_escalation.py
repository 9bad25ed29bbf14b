"""Escalation levels fall due at their minutes, once each; acknowledging starts the second ladder."""

from datetime import datetime, timedelta, timezone

from core.andon_escalation import CallClock, Level, due_levels, passed_at_rule_change

T0 = datetime(2026, 3, 2, 12, tzinfo=timezone.utc)
RULES = {"high": [Level(0, ("shift_manager",)), Level(10, ("production_manager",)), Level(2.5, ("maintenance",)),
                  Level(60, ("plant.manager@example.com",), ("email",), "acknowledged")]}


def run(call, minutes, sent):
    due = due_levels([call], RULES, sent, T0 + timedelta(minutes=minutes))
    sent |= {(d.call_id, d.phase, d.after_minutes) for d in due}
    return [(d.phase, d.notify) for d in due]


def test_levels_fire_at_their_minutes_once_each_in_order():
    call, sent = CallClock(1, "high", "open", T0, None), set()
    assert run(call, 0, sent) == [("raised", ("shift_manager",))]
    assert run(call, 2, sent) == []
    assert run(call, 2.5, sent) == [("raised", ("maintenance",))]  # fractional minutes
    assert run(call, 2.6, sent) == []
    assert run(call, 30, sent) == [("raised", ("production_manager",))]
    assert run(call, 31, sent) == []


def test_levels_missed_while_the_jobs_were_down_are_all_sent_once_on_return():
    call, sent = CallClock(1, "high", "open", T0, None), set()
    assert [notify for _, notify in run(call, 45, sent)] == [("shift_manager",), ("maintenance",),
                                                              ("production_manager",)]
    assert run(call, 46, sent) == []


def test_acknowledging_stops_the_first_ladder_and_starts_the_second():
    sent = set()
    run(CallClock(1, "high", "open", T0, None), 0, sent)
    acknowledged = CallClock(1, "high", "acknowledged", T0, T0 + timedelta(minutes=1))
    assert run(acknowledged, 20, sent) == []  # the 2.5 and 10 minute levels no longer fire
    assert run(acknowledged, 61, sent) == [("acknowledged", ("plant.manager@example.com",))]


def test_a_resolved_call_and_a_priority_without_rules_are_due_nothing():
    assert due_levels([CallClock(1, "high", "resolved", T0, T0)], RULES, set(), T0 + timedelta(days=1)) == []
    assert due_levels([CallClock(2, "low", "open", T0, None)], RULES, set(), T0 + timedelta(days=1)) == []


def test_a_level_added_later_does_not_resend_the_levels_already_sent():
    call, sent = CallClock(1, "high", "open", T0, None), set()
    run(call, 0, sent)
    extended = {"high": [Level(0, ("shift_manager",)), Level(0.5, ("quality",)), *RULES["high"][1:]]}
    due = due_levels([call], extended, sent, T0 + timedelta(minutes=1))
    assert [(d.level, d.notify) for d in due] == [(1, ("quality",))]


def test_a_rule_change_marks_the_levels_a_call_already_passed_so_only_later_ones_are_sent():
    call, sent = CallClock(1, "high", "open", T0, None), set()
    run(call, 11, sent)  # levels 0, 2.5 and 10 told
    edited = {"high": [Level(0, ("shift_manager",)), Level(2.5, ("maintenance",)), Level(12, ("production_manager",)),
                       Level(5, ("quality",)), Level(30, ("plant.manager@example.com",))]}
    passed = passed_at_rule_change([call], edited, sent, T0 + timedelta(minutes=15))
    assert [d.after_minutes for d in passed] == [5, 12]  # stored as skipped by the caller
    sent |= {(d.call_id, d.phase, d.after_minutes) for d in passed}
    assert due_levels([call], edited, sent, T0 + timedelta(minutes=29)) == []
    assert [d.after_minutes for d in due_levels([call], edited, sent, T0 + timedelta(minutes=30))] == [30]
