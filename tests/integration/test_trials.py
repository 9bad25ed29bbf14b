"""Trials on the real store: a trial's OEE against its baseline on a known timeline, the moves audited, and bad
input refused with nothing stored."""

import json
from datetime import datetime, timedelta, timezone

import pytest
from sqlalchemy import func, select

from core import audit
from core.accounts import Actor
from core.audit import AuditFilter
from core.oee.service import Scope, Window, oee_for
from core.persistence.trial_tables import TrialRow
from core.plant.equipment import machines
from core.timeline import CountAt, StateAt, add_counts, add_state_changes
from core.trials.access import TrialPermissionError
from core.trials.comparison import compare_with_baseline
from core.trials.lifecycle import TrialError, TrialStateError
from core.trials.planning import create_trial, edit_trial
from core.trials.progress import cancel_trial, complete_trial, start_trial
from core.trials.trial_input import trial_plan
from core.trials.views import get_trial, list_trials

UTC = timezone.utc
# Monday 16 February 2026, the Early shift in New York (EST): 06:00-14:00 local = 11:00-19:00 UTC, breaks
# 09:00-09:15 and 11:30-12:00 local: 8 h - 45 min = 26,100 s of planned production time.
TRIAL_START = datetime(2026, 2, 16, 11, tzinfo=UTC)
TRIAL_END = datetime(2026, 2, 16, 19, tzinfo=UTC)
BASELINE_DAY = datetime(2026, 2, 13, 11, tzinfo=UTC)  # the Friday before, Early shift
NOW = datetime(2026, 3, 1, tzinfo=UTC)
PLANNED_S = 8 * 3600 - 45 * 60


@pytest.fixture
def planner(database_url, plant, make_user):
    return Actor(make_user("engineer"))


def at(day: datetime, minutes: int) -> datetime:
    return day + timedelta(minutes=minutes)


def write_known_timeline(db):
    """Bagger 1 (ideal 1 s) on L1; the line's other machines send nothing (no data: outside OEE)."""
    bagger = next(m for m in machines(db) if m.code == "BAG1")
    states = [  # the baseline's Friday: down one hour; then nothing heard until the trial
        StateAt(bagger.id, BASELINE_DAY, "running"), StateAt(bagger.id, at(BASELINE_DAY, 240), "down"),
        StateAt(bagger.id, at(BASELINE_DAY, 300), "running"), StateAt(bagger.id, at(BASELINE_DAY, 480), "no_data"),
        # the trial's Monday: down 30 minutes
        StateAt(bagger.id, TRIAL_START, "running"), StateAt(bagger.id, at(TRIAL_START, 60), "down"),
        StateAt(bagger.id, at(TRIAL_START, 90), "running"), StateAt(bagger.id, TRIAL_END, "no_data"),
    ]
    counts = [CountAt(bagger.id, at(BASELINE_DAY, 60), 18000, 2000),
              CountAt(bagger.id, at(TRIAL_START, 120), 20000, 500)]
    with db.begin() as session:
        add_state_changes(session, states)
        add_counts(session, counts)


def plan(line="L1", start=TRIAL_START, end=TRIAL_END, title="Film tension 40 N"):
    return trial_plan(title, line, "tension = 40 N\nspeed = 60 /min", "fewer film breaks", start, end)


def stored_trials(db) -> int:
    with db() as session:
        return session.scalar(select(func.count()).select_from(TrialRow))


def trial_audit(db) -> list[str]:
    return [r.action for r in audit.find_entries(db, AuditFilter(text="trial:")).records]


def test_a_trial_against_its_baseline_on_a_known_timeline(plant, planner):
    write_known_timeline(plant)
    trial = create_trial(plant, plan(), planner, TRIAL_START - timedelta(days=3))
    start_trial(plant, trial.id, planner, NOW, at=TRIAL_START)
    complete_trial(plant, trial.id, "3 breaks instead of 6", "keep 40 N", True, planner, NOW, at=TRIAL_END)

    result = compare_with_baseline(plant, trial.id, NOW)

    assert (result.trial_span.start, result.trial_span.end) == (TRIAL_START, TRIAL_END)
    assert (result.baseline_span.start, result.baseline_span.end) == (TRIAL_START - timedelta(days=14), TRIAL_START)
    assert result.trial_planned_s == PLANNED_S and result.baseline_planned_s == PLANNED_S
    by_measure = {m.measure: m for m in result.measures}
    expected_trial = {"availability": (PLANNED_S - 1800) / PLANNED_S, "performance": 20500 / (PLANNED_S - 1800),
                      "quality": 20000 / 20500, "oee": 20000 / PLANNED_S}
    expected_baseline = {"availability": (PLANNED_S - 3600) / PLANNED_S, "performance": 20000 / (PLANNED_S - 3600),
                         "quality": 0.9, "oee": 18000 / PLANNED_S}
    for measure in expected_trial:
        assert by_measure[measure].trial == pytest.approx(expected_trial[measure], abs=1e-12)
        assert by_measure[measure].baseline == pytest.approx(expected_baseline[measure], abs=1e-12)
        assert by_measure[measure].delta == pytest.approx(expected_trial[measure] - expected_baseline[measure],
                                                          abs=1e-12)
    # the same figures as the OEE service gives for the same windows
    line = Scope(line="L1")
    during = oee_for(plant, line, Window(TRIAL_START, TRIAL_END, "trial"), NOW).figures
    before = oee_for(plant, line, Window(TRIAL_START - timedelta(days=14), TRIAL_START, "baseline"), NOW).figures
    assert [m.trial for m in result.measures] == [during.availability, during.performance, during.quality, during.oee]
    assert [m.baseline for m in result.measures] == [before.availability, before.performance, before.quality,
                                                     before.oee]


def test_a_running_trial_is_measured_up_to_now_and_a_planned_one_not_at_all(plant, planner):
    write_known_timeline(plant)
    trial = create_trial(plant, plan(), planner, TRIAL_START - timedelta(days=3))
    assert compare_with_baseline(plant, trial.id, NOW).trial_span is None
    assert [m.trial for m in compare_with_baseline(plant, trial.id, NOW).measures] == [None] * 4
    start_trial(plant, trial.id, planner, at(TRIAL_START, 60), at=TRIAL_START)
    midway = compare_with_baseline(plant, trial.id, at(TRIAL_START, 60))
    assert midway.trial_span.end == at(TRIAL_START, 60) and midway.trial_planned_s == 3600
    assert midway.measures[0].trial == 1.0  # the first hour ran without a stop


def test_other_trials_inside_the_baseline_are_named(plant, planner):
    earlier = create_trial(plant, plan(title="Earlier"), planner, NOW)
    start_trial(plant, earlier.id, planner, NOW, at=BASELINE_DAY)
    complete_trial(plant, earlier.id, "done", None, False, planner, NOW, at=at(BASELINE_DAY, 60))
    later = create_trial(plant, plan(title="Later"), planner, NOW)
    start_trial(plant, later.id, planner, NOW, at=TRIAL_START)
    other_line = create_trial(plant, plan(line="L2", title="Other line"), planner, NOW)
    start_trial(plant, other_line.id, planner, NOW, at=BASELINE_DAY)
    assert compare_with_baseline(plant, later.id, NOW).overlapping == ("Earlier",)
    assert compare_with_baseline(plant, earlier.id, NOW).overlapping == ()


def test_every_move_is_stored_and_audited(plant, planner):
    trial = create_trial(plant, plan(), planner, NOW)
    edit_trial(plant, trial.id, plan(title="Film tension 42 N"), planner, NOW)
    edit_trial(plant, trial.id, plan(title="Film tension 42 N"), planner, NOW)  # no change: no audit entry
    [edited] = audit.find_entries(plant, AuditFilter(action="trial.edited")).records
    assert json.loads(edited.detail) == {"title": {"from": "Film tension 40 N", "to": "Film tension 42 N"}}
    start_trial(plant, trial.id, planner, NOW)
    done = complete_trial(plant, trial.id, " 2 breaks ", "", False, planner, NOW + timedelta(hours=2))
    assert (done.state, done.title, done.results, done.learnings, done.success) == (
        "completed", "Film tension 42 N", "2 breaks", None, False)
    assert (done.actual_start, done.actual_end, done.updated_by) == (NOW, NOW + timedelta(hours=2), planner.username)
    assert done.parameters == {"tension": "40 N", "speed": "60 /min"}
    cancelled = cancel_trial(plant, create_trial(plant, plan(), planner, NOW).id, "line down for repair", planner, NOW)
    assert (cancelled.state, cancelled.learnings, cancelled.actual_end) == ("cancelled", "line down for repair", None)
    assert sorted(trial_audit(plant)) == sorted(["trial.created", "trial.edited", "trial.started", "trial.completed",
                                                 "trial.created", "trial.cancelled"])


@pytest.mark.parametrize("bad_plan, message", [
    (lambda: plan(start=TRIAL_END, end=TRIAL_START), "the planned end must be after the planned start"),
    (lambda: plan(line="L9"), "no active line 'L9'"),
])
def test_a_bad_plan_is_refused_with_nothing_stored(plant, planner, bad_plan, message):
    with pytest.raises(TrialError, match=message):
        create_trial(plant, bad_plan(), planner, NOW)
    assert stored_trials(plant) == 0 and trial_audit(plant) == []


def test_completing_without_results_or_out_of_turn_changes_nothing(plant, planner):
    trial = create_trial(plant, plan(), planner, NOW)
    with pytest.raises(TrialStateError, match="start it first"):
        complete_trial(plant, trial.id, "fine", "", True, planner, NOW)
    start_trial(plant, trial.id, planner, NOW)
    before = trial_audit(plant)
    for results, success, message in [("", True, "write the results"), ("fine", None, "say whether")]:
        with pytest.raises(TrialError, match=message):
            complete_trial(plant, trial.id, results, "", success, planner, NOW + timedelta(hours=1))
    stored = get_trial(plant, trial.id)
    assert (stored.state, stored.results, stored.success, stored.actual_end) == ("in_progress", None, None, None)
    assert trial_audit(plant) == before
    with pytest.raises(TrialStateError, match="stays on its line"):
        edit_trial(plant, trial.id, plan(line="L2"), planner, NOW)
    assert get_trial(plant, trial.id).line_code == "L1"


def test_only_trial_managers_change_trials(database_url, plant, make_user):
    operator = Actor(make_user("operator"))
    with pytest.raises(TrialPermissionError, match="only a production manager, engineer or quality engineer"):
        create_trial(plant, plan(), operator, NOW)
    assert stored_trials(plant) == 0
    trial = create_trial(plant, plan(), Actor(make_user("quality")), NOW)
    with pytest.raises(TrialPermissionError):
        start_trial(plant, trial.id, Actor(make_user("viewer")), NOW)
    assert [t.state for t in list_trials(plant)] == ["planned"]


def test_the_demo_plant_gets_one_finished_and_one_running_trial_once(database_url, plant):
    from core.demo_users import ensure_demo_users
    from core.trials.demo_trials import seed_demo_trials

    ensure_demo_users(plant)
    now = datetime(2026, 3, 2, 15, 30, tzinfo=UTC)
    assert seed_demo_trials(plant, now) == 2 and seed_demo_trials(plant, now) == 0
    finished, running = sorted(list_trials(plant), key=lambda t: t.state)
    assert (finished.line_code, finished.state, finished.success) == ("L1", "completed", True)
    # two days before Monday 10:30 in New York the last shift to have ended was Friday's night shift; an hour
    # before it, the running shift was Monday's Early shift, begun at 06:00
    assert (finished.actual_start, finished.actual_end) == (datetime(2026, 2, 28, 3, tzinfo=UTC),
                                                            datetime(2026, 2, 28, 11, tzinfo=UTC))
    assert (running.line_code, running.state, running.actual_start) == ("L2", "in_progress",
                                                                        datetime(2026, 3, 2, 11, tzinfo=UTC))
    assert trial_audit(plant).count("trial.started") == 2
