"""The maintenance order lifecycle and when preventive plans fall due: pure rules, known cases."""

from datetime import datetime, timedelta, timezone

import pytest

from core.maintenance.order_rules import (
    MaintenanceError, OrderStateError, check_assignable, check_tickable, completion, next_state,
)
from core.maintenance.preventive_rules import (
    cycles_crossing, is_overdue, plan_due, run_hours_crossing, running_seconds,
)

T0 = datetime(2026, 3, 2, 6, tzinfo=timezone.utc)


def at(hours: float) -> datetime:
    return T0 + timedelta(hours=hours)


def test_an_order_goes_open_then_in_progress_then_done():
    assert next_state("open", "start") == "in_progress"
    assert next_state("in_progress", "complete") == "done"


@pytest.mark.parametrize("state, action, message", [
    ("open", "complete", "start the work order before completing it"),
    ("in_progress", "start", "a work order that is in progress cannot be started"),
    ("done", "start", "a work order that is done cannot be started"),
    ("done", "complete", "a work order that is done cannot be completed"),
])
def test_wrong_moves_are_refused_with_a_reason(state, action, message):
    with pytest.raises(OrderStateError, match=message):
        next_state(state, action)


def test_an_unknown_action_is_refused():
    with pytest.raises(MaintenanceError, match="unknown action 'close'"):
        next_state("open", "close")


def test_an_order_can_be_reassigned_and_ticked_until_it_is_done():
    for state in ("open", "in_progress"):
        check_assignable(state)
        check_tickable(state)
    with pytest.raises(OrderStateError, match="cannot be reassigned"):
        check_assignable("done")
    with pytest.raises(OrderStateError, match="cannot be changed"):
        check_tickable("done")


def test_completing_needs_the_time_spent():
    for missing in (None, "", "0", 0, -5):
        with pytest.raises(MaintenanceError, match="how long the work took"):
            completion(missing, "", 0, [])
    with pytest.raises(MaintenanceError, match="must be a number"):
        completion("an hour", "", 0, [])
    with pytest.raises(MaintenanceError, match="whole number"):
        completion(12.5, "", 0, [])


def test_completing_needs_every_task_ticked():
    with pytest.raises(MaintenanceError, match="2 tasks not ticked yet: Grease; Check belt"):
        completion(30, "", 0, ["Grease", "Check belt"])


def test_parts_cost_must_be_a_sensible_amount_with_the_parts_named():
    assert completion("45", " 2 bearings 6204 ", "37.456", []) == (45, "2 bearings 6204", 37.46)
    assert completion(45, None, None, []) == (45, "", 0.0)
    with pytest.raises(MaintenanceError, match="0 or more"):
        completion(45, "belt", -1, [])
    with pytest.raises(MaintenanceError, match="must be a number"):
        completion(45, "belt", "12 euros", [])
    with pytest.raises(MaintenanceError, match="which parts were used"):
        completion(45, "", 12, [])


RUN_TIMELINE = [(at(-1), "down"), (at(0), "running"), (at(3), "down"), (at(4), "running"), (at(6), "no_data"),
                (at(8), "running")]


def test_run_time_counts_only_the_running_state_since_the_start():
    assert running_seconds(RUN_TIMELINE, at(0), at(9)) == (3 + 2 + 1) * 3600
    assert running_seconds(RUN_TIMELINE, at(2), at(5)) == (1 + 1) * 3600


def test_a_run_hours_plan_falls_due_exactly_when_the_run_hours_cross_the_interval():
    # 3 h running, 1 h down, 2 h running (5 run hours at +6 h), 2 h without data, then running again
    assert run_hours_crossing(RUN_TIMELINE, at(0), at(12), 5) == at(6)
    assert run_hours_crossing(RUN_TIMELINE, at(0), at(12), 4) == at(5)
    assert run_hours_crossing(RUN_TIMELINE, at(0), at(12), 5.5) == at(8.5)
    assert run_hours_crossing(RUN_TIMELINE, at(0), at(8.4), 5.5) is None  # not reached by now
    due = plan_due("run_hours", 5.5, grace_days=1, since=at(0), now=at(12), changes=RUN_TIMELINE)
    assert (due.fell_due_at, due.due_at) == (at(8.5), at(8.5 + 24))
    assert plan_due("run_hours", 6, grace_days=1, since=at(0), now=at(8.99), changes=RUN_TIMELINE) is None
    assert plan_due("run_hours", 6, grace_days=1, since=at(0), now=at(9), changes=RUN_TIMELINE).fell_due_at == at(9)


def test_run_hours_count_from_the_last_completion():
    # done at 02:00: 1 h + 2 h + from 08:00 on
    assert run_hours_crossing(RUN_TIMELINE, at(2), at(12), 3) == at(6)
    assert run_hours_crossing(RUN_TIMELINE, at(2), at(12), 3.25) == at(8.25)


def test_a_cycles_plan_falls_due_at_the_increment_that_reaches_the_interval():
    counts = [(at(1), 400), (at(2), 500), (at(3), 99), (at(4), 1), (at(5), 700)]
    assert cycles_crossing(counts, 1000) == at(4)
    assert cycles_crossing(counts, 1701) is None
    due = plan_due("cycles", 1000, grace_days=0.5, since=at(1.5), now=at(6), counts=counts)
    assert due.fell_due_at == at(5)  # the 400 before the start do not count: 500 + 99 + 1 + 700
    assert due.due_at == at(17)
    assert plan_due("cycles", 1000, 0.5, since=at(1.5), now=at(4.5), counts=counts) is None


def test_a_calendar_plan_falls_due_its_interval_after_the_last_completion():
    due = plan_due("calendar", 30, grace_days=2, since=T0, now=T0 + timedelta(days=30))
    assert (due.fell_due_at, due.due_at) == (T0 + timedelta(days=30), T0 + timedelta(days=32))
    assert plan_due("calendar", 30, 2, since=T0, now=T0 + timedelta(days=30) - timedelta(seconds=1)) is None


def test_preventive_work_is_overdue_once_its_due_time_passed_and_it_is_not_done():
    assert is_overdue(at(5), "open", at(6)) and is_overdue(at(5), "in_progress", at(6))
    assert not is_overdue(at(5), "done", at(6))
    assert not is_overdue(at(5), "open", at(5))
    assert not is_overdue(None, "open", at(6))


def test_an_unknown_trigger_is_refused():
    with pytest.raises(ValueError, match="unknown trigger"):
        plan_due("weekly", 1, 0, T0, T0)
