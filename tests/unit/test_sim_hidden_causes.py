"""The simulator's hidden causes show in the data a model sees, and are absent when switched off.

Measured on four weeks of the example plant's eight machines, as the state
changes and per-minute counts the simulator would have stored.
"""

from bisect import bisect_left, bisect_right
from datetime import timedelta

import numpy as np
import pytest

from core.shift_calendar import shift_instances
from tests.support.ml_plant import simulated_records

HOUR = timedelta(hours=1)
LONG = timedelta(minutes=10)
DAYS = 28


@pytest.fixture(scope="module")
def with_causes():
    return simulated_records(8, DAYS, seed=11, hidden_causes=True)


@pytest.fixture(scope="module")
def without_causes():
    return simulated_records(8, DAYS, seed=11, hidden_causes=False)


def stops(changes):
    """(start, end, first fault code) of each maximal run of state "down"."""
    found, begun, fault = [], None, None
    for change in changes:
        if change.state == "down" and begun is None:
            begun, fault = change.at, change.fault_code
        elif change.state != "down" and begun is not None:
            found.append((begun, change.at, fault))
            begun = None
    return found


def planned_ends(changes):
    """When each planned standstill ended (the change after a "planned_stop")."""
    return [b.at for a, b in zip(changes, changes[1:]) if a.state == "planned_stop" and b.state != "planned_stop"]


def hourly_moments(records):
    """Every hour on the hour inside a shift, leaving a day at the start and five hours at the end."""
    _, calendar, histories = records
    last = max(c.at for changes, _ in histories.values() for c in changes)
    start, end = last - timedelta(days=DAYS - 1), last - 5 * HOUR
    moments = []
    for shift in shift_instances(list(calendar.shifts), calendar.zone, start, end):
        t = shift.start.replace(minute=0, second=0, microsecond=0)
        t += HOUR if t < shift.start else timedelta(0)
        while t < min(shift.end, end):
            moments.append(t)
            t += HOUR
    return moments


def long_stop_share(records):
    machines, _, histories = records
    moments, ahead = hourly_moments(records), []
    for machine in machines:
        begins = [a for a, b, _ in stops(histories[machine.id][0]) if b - a >= LONG]
        for t in moments:
            i = bisect_right(begins, t)
            ahead.append(i < len(begins) and begins[i] <= t + 4 * HOUR)
    return float(np.mean(ahead))


def warned_shares(records):
    """(share of long stops with >= 2 F12 small stops in the 3 h before, the same share for hourly moments)."""
    machines, _, histories = records
    moments, at_stops, at_moments = hourly_moments(records), [], []
    for machine in machines:
        found = stops(histories[machine.id][0])
        trips = [a for a, b, fault in found
                 if fault == "F12" and (b - a).total_seconds() < machine.micro_stop_threshold_s]

        def warned(t):
            return bisect_left(trips, t) - bisect_left(trips, t - 3 * HOUR) >= 2

        at_stops += [warned(a) for a, b, _ in found if b - a >= LONG and moments[0] <= a <= moments[-1]]
        at_moments += [warned(t) for t in moments]
    return float(np.mean(at_stops)), float(np.mean(at_moments))


def test_a_long_stop_ahead_is_worth_predicting_with_or_without_causes(with_causes, without_causes):
    share, share_without = long_stop_share(with_causes), long_stop_share(without_causes)
    assert 0.25 <= share <= 0.45 and 0.25 <= share_without <= 0.45
    assert abs(share - share_without) < 0.05  # as many long stops either way: only their causes differ


def test_photo_eye_trips_warn_before_long_stops(with_causes):
    before_stops, before_moments = warned_shares(with_causes)
    assert before_stops >= 0.4
    assert before_stops >= 2 * before_moments


def test_without_hidden_causes_nothing_warns(without_causes):
    before_stops, before_moments = warned_shares(without_causes)
    assert before_stops <= 0.06 and before_moments <= 0.06


def _long_stop_rate_by_stretch(records):
    """Long stops begun per running hour: (within 2 h of a planned standstill, more than 3 h after one)."""
    machines, _, histories = records
    begun, hours = np.zeros(2), np.zeros(2)
    for machine in machines:
        changes = histories[machine.id][0]
        ends = planned_ends(changes)

        def late(t):
            i = bisect_right(ends, t) - 1
            return None if i < 0 else (t - ends[i] > 3 * HOUR if t - ends[i] > 2 * HOUR else False)

        for a, b in zip(changes, changes[1:]):
            if a.state == "running" and (group := late(a.at)) is not None:
                hours[int(group)] += (b.at - a.at) / HOUR
        for a, b, fault in stops(changes):
            if b - a >= LONG and (group := late(a)) is not None:
                begun[int(group)] += 1
    return begun / hours


def test_long_stops_come_more_often_late_in_a_long_stretch_without_a_break(with_causes, without_causes):
    early, late = _long_stop_rate_by_stretch(with_causes)
    assert late >= 1.8 * early
    early, late = _long_stop_rate_by_stretch(without_causes)
    assert 0.7 * early <= late <= 1.4 * early


def _speed_before_failures(records):
    """Units per running second in the hour before each wear-out failure, against the machine's overall rate."""
    machines, _, histories = records
    ratios = []
    for machine in machines:
        changes, counts = histories[machine.id]
        times = np.array([c.at.timestamp() for c in changes])
        running = np.array([c.state == "running" for c in changes[:-1]], dtype=float)
        run_until = np.concatenate([[0.0], np.cumsum(np.diff(times) * running)])
        count_times = np.array([c.at.timestamp() for c in counts])
        made = np.cumsum([c.good + c.reject for c in counts])

        def rate(a, b):
            units = np.interp(b, count_times, made) - np.interp(a, count_times, made)
            return units / (np.interp(b, times, run_until) - np.interp(a, times, run_until))

        overall = rate(times[0], times[-1])
        for a, b, fault in stops(changes):
            if fault == "F04" and b - a >= timedelta(minutes=15) and a.timestamp() - 3600 > times[0]:
                ratios.append(rate(a.timestamp() - 3600, a.timestamp()) / overall)
    return float(np.median(ratios))


def test_machines_slow_down_before_a_wear_out_failure(with_causes, without_causes):
    assert _speed_before_failures(with_causes) < 0.95
    assert _speed_before_failures(without_causes) > 0.97


def test_the_plant_still_runs_plausibly(with_causes):
    machines, _, histories = with_causes
    ideal_s = planned_s = run_s = 0.0
    for machine in machines:
        changes, counts = histories[machine.id]
        for a, b in zip(changes, changes[1:]):
            planned_s += (b.at - a.at).total_seconds() if a.state != "planned_stop" else 0.0
            run_s += (b.at - a.at).total_seconds() if a.state == "running" else 0.0
        ideal_s += machine.ideal_cycle_time_s * sum(c.good for c in counts)
    assert 0.6 <= ideal_s / planned_s <= 0.8  # OEE = ideal time of the good units / planned production time
    assert 0.7 <= run_s / planned_s <= 0.9  # running (small stops not counted as run here)


def test_hourly_counts_and_histories_hold_the_same_totals_as_the_minutes():
    from core.ml.history import LOOK_BACK
    from core.plc.sim_plant import simulated_history
    from tests.support.ml_plant import END, example_calendar, simulated_faults, simulated_histories, simulated_machines

    machines = simulated_machines(2)
    start = END - timedelta(days=3) - LOOK_BACK
    for machine, history in zip(machines, simulated_histories(2, 3, seed=4)):
        states, minutes = simulated_history(machine, example_calendar(), simulated_faults(machines), start, END, 4)
        _, hours = simulated_history(machine, example_calendar(), simulated_faults(machines), start, END, 4,
                                     per_hour=True)
        by_hour = {}
        for count in minutes:
            key = int(count.at.timestamp() // 3600)
            by_hour[key] = np.add(by_hour.get(key, (0, 0)), (count.good, count.reject))
        assert {int(c.at.timestamp() // 3600): (c.good, c.reject) for c in hours} == {
            k: tuple(v) for k, v in by_hour.items()}
        assert history.hour_good.sum() == sum(c.good for c in minutes if c.at < END)
        assert list(history.change_at) == [c.at.timestamp() for c in states]
        assert history.start == (END - timedelta(days=3)).timestamp() and history.end == END.timestamp()
