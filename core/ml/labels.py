"""What downtime risk predicts, as of a moment t: does an unplanned stop of at least `stop_minutes` begin within
the next `horizon_hours`?

An unplanned stop is a maximal run of state "down" (changes of fault code or reason inside it do not split it).
It counts when it begins in (t, t + horizon] and lasts at least stop_minutes; a stop already going on at t does
not (the question is whether a new one begins). The outcome is unknown (NaN, None) until the data reaches
t + horizon + stop_minutes: only then is every stop that could count either seen to last that long or to end.
"""

from __future__ import annotations

from datetime import datetime

import numpy as np

from core.ml.history import MachineHistory
from core.ml.state_runs import runs_of
from core.plant.config_ml import MlSettings


def labels(history: MachineHistory, moments: np.ndarray, settings: MlSettings) -> np.ndarray:
    """1.0 / 0.0 for each moment (epoch seconds), NaN where the outcome is not known yet."""
    t = np.asarray(moments, dtype="float64")
    stop_s, horizon_s = settings.stop_minutes * 60.0, settings.horizon_hours * 3600.0
    down = runs_of(history.change_at, history.change_state, "down", history.end)
    long_begins = down.begin[down.seconds >= stop_s]
    begun = (np.searchsorted(long_begins, t + horizon_s, side="right")
             - np.searchsorted(long_begins, t, side="right"))
    known = t + horizon_s + stop_s <= history.end
    return np.where(known, (begun > 0).astype("float64"), np.nan)


def outcome(history: MachineHistory, t: datetime | float, settings: MlSettings) -> bool | None:
    """Whether a stop of at least stop_minutes began on the machine in (t, t + horizon]; None while unknown."""
    if isinstance(t, datetime) and t.tzinfo is None:
        raise ValueError("t must be an aware datetime (UTC)")
    moment = t.timestamp() if isinstance(t, datetime) else float(t)
    [value] = labels(history, np.array([moment]), settings)
    return None if np.isnan(value) else bool(value)
