"""The label of downtime risk at t: a stop ("down" run) of at least stop_minutes beginning in (t, t + horizon],
unknown until the data reaches t + horizon + stop_minutes."""

from datetime import datetime, timedelta, timezone

import numpy as np
import pytest

from core.ml.history import history_from_records
from core.ml.labels import labels, outcome
from core.plant.config_ml import MlSettings
from core.plant.equipment import Machine
from core.timeline import StateAt

PRESS = Machine(3, "PRS1", "Press 1", "L1", "Line 1", 2.0, 120.0, 300.0, None, "", 0, {})
SETTINGS = MlSettings(stop_minutes=10, horizon_hours=4)
T = datetime(2026, 3, 2, 12, tzinfo=timezone.utc)
DATA_END = T + timedelta(hours=8)


def at(minutes: float) -> datetime:
    return T + timedelta(minutes=minutes)


def history(timeline, end: datetime = DATA_END):
    """`timeline`: (minutes from T, state, fault code) after a machine running since two hours before T."""
    changes = [StateAt(PRESS.id, at(-120), "running")] + [
        StateAt(PRESS.id, at(m), state, None, "plc", fault) for m, state, fault in timeline]
    return history_from_records(PRESS, changes, [], None, start=T, end=end)


def test_a_stop_of_exactly_stop_minutes_beginning_inside_the_horizon_counts():
    assert outcome(history([(30, "down", "F04"), (40, "running", None)]), T, SETTINGS) is True
    assert outcome(history([(30, "down", "F04"), (39.9, "running", None)]), T, SETTINGS) is False
    assert outcome(history([(240, "down", "F04"), (250, "running", None)]), T, SETTINGS) is True  # at t + H
    assert outcome(history([(240.01, "down", "F04"), (260, "running", None)]), T, SETTINGS) is False


def test_a_stop_beginning_at_t_or_before_does_not_count():
    assert outcome(history([(0, "down", "F04"), (30, "running", None)]), T, SETTINGS) is False
    assert outcome(history([(-5, "down", "F04"), (60, "running", None)]), T, SETTINGS) is False


def test_down_changes_with_other_fault_codes_are_one_stop():
    timeline = [(30, "down", "F04"), (36, "down", "F12"), (41, "running", None)]  # 6 + 5 minutes: one 11-minute stop
    assert outcome(history(timeline), T, SETTINGS) is True
    split = [(30, "down", "F04"), (36, "idle", None), (37, "down", "F12"), (41, "running", None)]
    assert outcome(history(split), T, SETTINGS) is False  # idle in between: two short stops


def test_other_states_are_not_unplanned_stops():
    for state in ("changeover", "idle", "planned_stop", "no_data"):
        assert outcome(history([(30, state, None), (90, "running", None)]), T, SETTINGS) is False


def test_unknown_until_the_data_reaches_the_horizon_and_the_stop_minutes():
    enough = T + timedelta(hours=4, minutes=10)
    assert outcome(history([], end=enough), T, SETTINGS) is False
    assert outcome(history([], end=enough - timedelta(seconds=1)), T, SETTINGS) is None
    # a stop still going on when the data ends counts once it has lasted stop_minutes
    assert outcome(history([(235, "down", "F04")], end=enough), T, SETTINGS) is True


def test_labels_of_many_moments_at_once():
    h = history([(30, "down", "F04"), (45, "running", None), (400, "down", "F02"), (415, "running", None)])
    moments = np.array([at(m).timestamp() for m in (-60, 0, 29, 30, 159, 160, 300)])
    assert list(labels(h, moments, SETTINGS)[:6]) == [1.0, 1.0, 1.0, 0.0, 0.0, 1.0]
    assert np.isnan(labels(h, moments, SETTINGS)[6])  # 300 + 240 + 10 minutes is past the data's 480


def test_a_moment_without_a_timezone_is_refused():
    with pytest.raises(ValueError, match="aware"):
        outcome(history([]), datetime(2026, 3, 2, 12), SETTINGS)
