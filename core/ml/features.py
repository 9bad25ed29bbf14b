"""Features of downtime risk for a machine as of given moments, from its history, using only data before each.

Per moment t: the calendar (local hour of day, weekday, shift, hours into it), stops over the last 1, 4 and
24 hours (down stops begun that had reached the machine's micro-stop threshold by t, seconds down, small stops
over before t, seconds idle, changeovers begun), fault onsets by code over the last hour and day, cycle-time
drift and reject rate from the whole clock hours before t, hours since the last preventive maintenance and
since the last long stop (one as long as the stop being predicted), the product being made and the machine.
A stop still going on at t counts only with what was known at t (its length so far). The operator is left
out: simulated machines have none, and a plant's operator log is not in the store yet.

Cycle drift = running seconds / ideal seconds of the units counted - 1 (0.08: 8 % slow), over whole hours.
"""

from __future__ import annotations

from typing import Mapping

import numpy as np
import pandas as pd

from core.ml.feature_words import (
    DRIFT_WINDOWS, FAULT_WINDOWS, REJECT_WINDOWS, WINDOWS, FeatureSpec, feature_specs,
)
from core.ml.history import HOUR_S, LOOK_BACK, MachineHistory
from core.ml.state_runs import (
    Runs, StateClock, count_in, hours_since_run_reaching, latest_before, onsets, runs_of, short_runs_ended,
    stops_reaching,
)
from core.plant.config_ml import MlSettings

__all__ = ["FeatureSpec", "feature_specs", "features_at"]


def features_at(history: MachineHistory, moments: np.ndarray, settings: MlSettings,
                fault_names: Mapping[str, str]) -> dict[str, np.ndarray]:
    """Every feature of `feature_specs(fault_names, settings)` for each of `moments` (epoch seconds): float
    arrays (NaN: unknown), and object arrays of strings (None: unknown) for the categories."""
    t = np.asarray(moments, dtype="float64")
    down = runs_of(history.change_at, history.change_state, "down", history.end)
    columns: dict[str, np.ndarray] = {"machine": np.full(len(t), history.code, dtype=object)}
    columns.update(_calendar(history, t))
    columns.update(_stops(history, down, t))
    columns.update(_faults(history, t, fault_names))
    columns.update(_counted(history, t))
    columns["hours_since_long_stop"] = hours_since_run_reaching(
        down, settings.stop_minutes * 60.0, t, LOOK_BACK.total_seconds())
    done = latest_before(history.preventive_done, t)  # -1 for every moment when there is none
    last_done = history.preventive_done[np.maximum(done, 0)] if len(done) and len(history.preventive_done) else t
    columns["hours_since_preventive"] = np.where(done >= 0, (t - last_done) / 3600.0, np.nan)
    made = latest_before(history.product_at, t)
    codes = history.product_code.astype(object)[np.maximum(made, 0)] if len(history.product_at) else made
    columns["product"] = np.where(made >= 0, codes, None)
    return {spec.name: columns[spec.name] for spec in feature_specs(fault_names, settings)}


def _calendar(history: MachineHistory, t: np.ndarray) -> dict[str, np.ndarray]:
    local = pd.DatetimeIndex(pd.to_datetime(t, unit="s", utc=True)).tz_convert(history.timezone)
    found = {"hour_of_day": (local.hour + local.minute / 60.0).to_numpy(dtype="float64"),
             "weekday": local.day_of_week.to_numpy(dtype="float64")}
    k = np.searchsorted(history.shift_start, t, side="right") - 1
    kk = np.maximum(k, 0)
    inside = (k >= 0) & (t < history.shift_end[kk]) if len(history.shift_start) else np.zeros(len(t), bool)
    names = history.shift_name.astype(object)[kk] if len(history.shift_start) else np.full(len(t), None)
    found["shift"] = np.where(inside, names, None)
    starts = history.shift_start[kk] if len(history.shift_start) else np.zeros(len(t))
    found["hours_into_shift"] = np.where(inside, (t - starts) / 3600.0, np.nan)
    return found


def _stops(history: MachineHistory, down: Runs, t: np.ndarray) -> dict[str, np.ndarray]:
    at, states = history.change_at, history.change_state
    changeovers = runs_of(at, states, "changeover", history.end).begin
    down_clock, idle_clock = StateClock(at, states, "down"), StateClock(at, states, "idle")
    threshold = history.micro_stop_threshold_s
    found = {}
    for window, seconds in WINDOWS.items():
        a = t - seconds
        found[f"down_stops_{window}"] = stops_reaching(down, threshold, t, a)
        found[f"down_seconds_{window}"] = down_clock.between(a, t)
        found[f"small_stops_{window}"] = short_runs_ended(down, threshold, t, a)
        found[f"idle_seconds_{window}"] = idle_clock.between(a, t)
        found[f"changeovers_{window}"] = count_in(changeovers, a, t)
    return found


def _faults(history: MachineHistory, t: np.ndarray, fault_names: Mapping[str, str]) -> dict[str, np.ndarray]:
    raised = onsets(history.change_at, history.change_fault)
    return {f"faults_{window}:{code}": count_in(raised.get(code, np.empty(0)), t - WINDOWS[window], t)
            for window in FAULT_WINDOWS for code in fault_names}


def _counted(history: MachineHistory, t: np.ndarray) -> dict[str, np.ndarray]:
    """Drift and reject rate over the whole clock hours before t: counts arrive in bulk at minute ends, so a
    part of an hour would say more about when they were sent than about the machine."""
    last_end = np.floor(t / HOUR_S) * HOUR_S
    good, reject, ideal = (np.concatenate([[0.0], np.cumsum(v)])
                           for v in (history.hour_good, history.hour_reject, history.hour_ideal_s))
    running = StateClock(history.change_at, history.change_state, "running")
    found = {}
    for window in sorted(set(DRIFT_WINDOWS) | set(REJECT_WINDOWS)):
        first = last_end - WINDOWS[window]
        a = np.searchsorted(history.hour_start, first, side="left")
        b = np.searchsorted(history.hour_start, last_end, side="left")
        units = (good[b] - good[a]) + (reject[b] - reject[a])
        if window in DRIFT_WINDOWS:
            ideal_s = ideal[b] - ideal[a]
            run_s = running.between(first, last_end)
            found[f"cycle_drift_{window}"] = np.divide(run_s, ideal_s, out=np.full(len(t), np.nan),
                                                       where=ideal_s > 0) - 1.0
        if window in REJECT_WINDOWS:
            found[f"reject_rate_{window}"] = np.divide(reject[b] - reject[a], units, out=np.full(len(t), np.nan),
                                                       where=units > 0)
    return found
