"""The table a downtime-risk model is trained, scored and evaluated on: one row per (machine, moment).

Columns: "equipment_id" (int), "at" (epoch seconds), "label" (1.0 / 0.0 / NaN: not known yet), then one column
per FeatureSpec in order: "machine", "product" and "shift" as pandas categories, the rest floats (NaN: unknown).
Rows are in time order (then by machine). Moments are every clock hour while the machine is inside a shift
(`hourly_moments`; every hour when the site has no shifts), one given moment for all ("now", for scoring), or
given per history.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Mapping, Sequence

import numpy as np
import pandas as pd

from core.ml.feature_words import CATEGORIES, FeatureSpec, feature_specs
from core.ml.features import features_at
from core.ml.history import HOUR_S, MachineHistory
from core.ml.labels import labels
from core.plant.config_ml import MlSettings

HOURLY = "hourly"


@dataclass(frozen=True, eq=False)
class Dataset:
    frame: pd.DataFrame
    specs: tuple[FeatureSpec, ...]

    @property
    def feature_names(self) -> list[str]:
        return [spec.name for spec in self.specs]


def hourly_moments(history: MachineHistory, start: datetime | float | None = None,
                   end: datetime | float | None = None) -> np.ndarray:
    """Every clock hour in [start, end) (default: the history's window) at which the machine is inside a shift
    of the site's calendar; every hour of it when the site has no shifts."""
    first = _epoch(start) if start is not None else history.start
    last = _epoch(end) if end is not None else history.end
    hours = np.arange(np.ceil(first / HOUR_S) * HOUR_S, last, HOUR_S, dtype="float64")
    if not len(history.shift_start):
        return hours
    k = np.searchsorted(history.shift_start, hours, side="right") - 1
    inside = (k >= 0) & (hours < history.shift_end[np.maximum(k, 0)])
    return hours[inside]


def build_dataset(histories: Sequence[MachineHistory], moments: str | datetime | Sequence[Sequence[float]],
                  settings: MlSettings, fault_names: Mapping[str, str]) -> Dataset:
    """Features and labels of every machine at its moments: `"hourly"` (hourly_moments over each history's
    window), one aware datetime for every machine (scoring now), or one sequence of epoch seconds per history.
    `fault_names` (fault code -> text, the plant's fault catalog) gives a column per code and window."""
    per_history = _moments(histories, moments)
    specs = feature_specs(fault_names, settings)
    parts = []
    for history, at in zip(histories, per_history):
        columns = features_at(history, at, settings, fault_names)
        parts.append({"equipment_id": np.full(len(at), history.equipment_id, dtype="int64"), "at": at,
                      "label": labels(history, at, settings), **columns})
    names = ["equipment_id", "at", "label"] + [spec.name for spec in specs]
    data = {name: (np.concatenate([p[name] for p in parts]) if parts else np.empty(0)) for name in names}
    frame = pd.DataFrame({name: _column(name, values, histories) for name, values in data.items()})
    frame["equipment_id"] = frame["equipment_id"].astype("int64")
    frame = frame.sort_values(["at", "equipment_id"], kind="stable").reset_index(drop=True)
    return Dataset(frame, specs)


def _column(name: str, values: np.ndarray, histories: Sequence[MachineHistory]) -> pd.Series | np.ndarray:
    if name not in CATEGORIES:
        return values.astype("float64") if name != "equipment_id" else values
    if name == "machine":
        known = sorted({h.code for h in histories})
    elif name == "shift":
        known = sorted({str(s) for h in histories for s in h.shift_name})
    else:
        known = sorted({v for v in values if v is not None})
    return pd.Categorical(values, categories=known)


def _moments(histories: Sequence[MachineHistory], moments) -> list[np.ndarray]:
    if isinstance(moments, str):
        if moments != HOURLY:
            raise ValueError(f"moments must be {HOURLY!r}, a datetime or one sequence per machine, not {moments!r}")
        return [hourly_moments(h) for h in histories]
    if isinstance(moments, datetime):
        return [np.array([_epoch(moments)]) for _ in histories]
    given = [np.asarray(m, dtype="float64") for m in moments]
    if len(given) != len(histories):
        raise ValueError(f"{len(given)} sequences of moments for {len(histories)} machines")
    return given


def _epoch(moment: datetime | float) -> float:
    if isinstance(moment, datetime):
        if moment.tzinfo is None:
            raise ValueError("moments must be aware datetimes (UTC)")
        return moment.timestamp()
    return float(moment)
