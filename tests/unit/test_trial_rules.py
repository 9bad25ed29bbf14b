"""The trial lifecycle, what a planner types, and the windows a trial is judged on: pure rules, known cases."""

from datetime import datetime, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest

from core.oee.figures import Totals, oee_figures
from core.trials import lifecycle
from core.trials.comparison import compare_measures
from core.trials.lifecycle import Move, TrialError, TrialStateError, next_state
from core.trials.trial_input import local_moment, parse_parameters, parameters_text, trial_plan
from core.trials.windows import BASELINE_DAYS, Span, baseline_span, trial_span

UTC = timezone.utc
NOW = datetime(2026, 3, 2, 15, tzinfo=UTC)
BEGAN = datetime(2026, 3, 2, 11, tzinfo=UTC)

LEGAL = {("planned", "start"): "in_progress", ("in_progress", "complete"): "completed",
         ("planned", "cancel"): "cancelled", ("in_progress", "cancel"): "cancelled"}
ILLEGAL = {
    ("planned", "complete"): "a trial that is planned cannot be completed; start it first",
    ("in_progress", "start"): "a trial that is in progress cannot be started again; it is already in progress",
    ("completed", "start"): "a trial that is completed cannot be started; it is finished",
    ("completed", "complete"): "a trial that is completed cannot be completed; it is finished",
    ("completed", "cancel"): "a trial that is completed cannot be cancelled; it is finished",
    ("cancelled", "start"): "a trial that is cancelled cannot be started; it is finished",
    ("cancelled", "complete"): "a trial that is cancelled cannot be completed; it is finished",
    ("cancelled", "cancel"): "a trial that is cancelled cannot be cancelled; it is finished",
}


def test_every_state_and_action_is_either_legal_or_refused():
    assert set(LEGAL) | set(ILLEGAL) == {(s, a) for s in lifecycle.STATES for a in lifecycle.TRANSITIONS}


@pytest.mark.parametrize("state, action", sorted(LEGAL))
def test_legal_moves(state, action):
    assert next_state(state, action) == LEGAL[(state, action)]


@pytest.mark.parametrize("state, action", sorted(ILLEGAL))
def test_illegal_moves_say_why(state, action):
    with pytest.raises(TrialStateError) as refused:
        next_state(state, action)
    assert str(refused.value) == ILLEGAL[(state, action)]


def test_unknown_action_or_state_is_refused():
    with pytest.raises(TrialError, match="unknown action 'pause'"):
        next_state("planned", "pause")
    with pytest.raises(TrialError, match="unknown state 'paused'"):
        next_state("paused", "start")


def test_starting_stamps_now_or_the_moment_given():
    assert lifecycle.start("planned", NOW) == Move("in_progress", NOW, None)
    assert lifecycle.start("planned", NOW, at=BEGAN) == Move("in_progress", BEGAN, None)


def test_a_start_in_the_future_or_without_a_timezone_is_refused():
    with pytest.raises(TrialError, match="the start time is in the future"):
        lifecycle.start("planned", NOW, at=NOW + timedelta(minutes=1))
    with pytest.raises(TrialError, match="needs a timezone"):
        lifecycle.start("planned", NOW, at=datetime(2026, 3, 2, 11))


def test_completing_needs_results_and_the_success_flag_and_stamps_the_end():
    assert lifecycle.complete("in_progress", BEGAN, "two breaks", False, NOW) == Move("completed", BEGAN, NOW)
    at = NOW - timedelta(hours=1)
    assert lifecycle.complete("in_progress", BEGAN, "ok", True, NOW, at=at) == Move("completed", BEGAN, at)
    with pytest.raises(TrialError, match="write the results"):
        lifecycle.complete("in_progress", BEGAN, "  ", True, NOW)
    with pytest.raises(TrialError, match="say whether the trial succeeded"):
        lifecycle.complete("in_progress", BEGAN, "ok", None, NOW)
    with pytest.raises(TrialError, match="cannot end before it started"):
        lifecycle.complete("in_progress", BEGAN, "ok", True, NOW, at=BEGAN)


def test_the_state_is_checked_before_the_results():
    with pytest.raises(TrialStateError, match="start it first"):
        lifecycle.complete("planned", None, "", None, NOW)


def test_cancelling_closes_the_window_of_a_started_trial_only():
    assert lifecycle.cancel("planned", None, NOW) == Move("cancelled", None, None)
    assert lifecycle.cancel("in_progress", BEGAN, NOW) == Move("cancelled", BEGAN, NOW)


def test_parameters_are_name_value_lines_in_the_order_given():
    assert parse_parameters("speed = 120 /min\n\n temperature=165 °C ") == {"speed": "120 /min",
                                                                          "temperature": "165 °C"}
    assert list(parse_parameters("b = 1\na = 2")) == ["b", "a"]
    assert parameters_text({"b": "1", "a": "x = y"}) == "b = 1\na = x = y"
    assert parse_parameters("a = x = y") == {"a": "x = y"}
    assert parse_parameters("") == {}


@pytest.mark.parametrize("text, message", [
    ("speed 120", "parameter line 1 'speed 120': write it as name = value"),
    ("= 120", "write it as name = value"),
    ("a = 1\na = 2", "the parameter 'a' is given twice"),
])
def test_bad_parameter_lines_are_refused(text, message):
    with pytest.raises(TrialError, match=message):
        parse_parameters(text)


def test_a_plan_needs_a_title_a_line_an_expectation_and_an_end_after_its_start():
    plan = trial_plan(" Film 40 N ", "L1", "tension = 40 N", " fewer breaks ", BEGAN, NOW)
    assert (plan.title, plan.parameters, plan.expected_outcome) == ("Film 40 N", {"tension": "40 N"}, "fewer breaks")
    for args, message in [(("", "L1", "", "x", BEGAN, NOW), "give the trial a title"),
                          (("t", None, "", "x", BEGAN, NOW), "choose the line"),
                          (("t", "L1", "", "", BEGAN, NOW), "say what outcome you expect"),
                          (("t", "L1", "", "x", None, NOW), "give the planned start and end"),
                          (("t", "L1", "", "x", NOW, BEGAN), "the planned end must be after the planned start"),
                          (("t", "L1", "", "x", NOW, NOW), "the planned end must be after the planned start")]:
        with pytest.raises(TrialError, match=message):
            trial_plan(*args)


def test_a_local_time_from_the_form_is_read_in_the_sites_zone():
    new_york = ZoneInfo("America/New_York")
    assert local_moment("2026-03-02T06:00", new_york) == datetime(2026, 3, 2, 11, tzinfo=UTC)  # EST
    assert local_moment("2026-07-01T06:00", new_york) == datetime(2026, 7, 1, 10, tzinfo=UTC)  # EDT
    assert local_moment("2026-03-02T06:00+00:00", new_york) == datetime(2026, 3, 2, 6, tzinfo=UTC)
    assert local_moment("  ", new_york) is None
    with pytest.raises(TrialError, match="'yesterday' is not a date and time"):
        local_moment("yesterday", new_york)


def test_the_trial_window_runs_to_its_end_or_to_now_while_it_runs():
    assert trial_span(None, None, NOW) is None
    assert trial_span(BEGAN, None, NOW) == Span(BEGAN, NOW)
    assert trial_span(BEGAN, BEGAN + timedelta(hours=1), NOW) == Span(BEGAN, BEGAN + timedelta(hours=1))
    assert trial_span(NOW, None, NOW) is None  # started this instant: nothing to measure yet


def test_the_baseline_is_the_fourteen_days_just_before_the_start():
    assert BASELINE_DAYS == 14
    assert baseline_span(BEGAN) == Span(datetime(2026, 2, 16, 11, tzinfo=UTC), BEGAN)
    assert baseline_span(BEGAN, days=7).start == datetime(2026, 2, 23, 11, tzinfo=UTC)
    # the baseline ends where the trial begins: they share no instant
    assert not baseline_span(BEGAN).overlaps(Span(BEGAN, NOW))
    assert baseline_span(BEGAN).overlaps(Span(BEGAN - timedelta(seconds=1), NOW))


def test_measures_side_by_side_with_differences_and_none_without_planned_time():
    # trial: 3,600 s planned, 360 s down, 2,592 units of 1 s made, half of them good
    trial = oee_figures(Totals(running_s=3240, down_s=360, good=1296, reject=1296, ideal_total_s=2592,
                               ideal_good_s=1296))
    # baseline: 7,200 s planned, 1,440 s down, 4,608 good units of 1 s
    baseline = oee_figures(Totals(running_s=5760, down_s=1440, good=4608, ideal_total_s=4608, ideal_good_s=4608))
    rows = compare_measures(trial, baseline)
    assert [(r.measure, r.trial, r.baseline) for r in rows] == [
        ("availability", 0.9, 0.8), ("performance", 0.8, 0.8), ("quality", 0.5, 1.0), ("oee", 0.36, 0.64)]
    assert [r.delta for r in rows] == pytest.approx([0.1, 0.0, -0.5, -0.28])
    nothing_planned = compare_measures(oee_figures(Totals()), baseline)
    assert [r.delta for r in nothing_planned] == [None] * 4 and nothing_planned[0].baseline == 0.8
    assert [r.trial for r in compare_measures(None, None)] == [None] * 4
