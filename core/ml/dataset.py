"""The table a downtime-risk model is trained, scored and evaluated on: one row per (machine, moment).

Columns: "equipment_id" (int), "at" (epoch seconds), "label" (1.0 / 0.0 / NaN: not known yet), then one column
per FeatureSpec in order: "machine", "product" and "shift" as pandas categories, the rest floats (NaN: unknown).
Rows are in time order (then by machine). Moments are every clock hour of the site's zone while the machine is
inside a shift (`hourly_moments`; every hour when the site has no shifts), one given moment for all (a scoring),
or given per history. A scoring is made as of the start of the site's current clock hour (`clock_hour_start`),
so its moment is one of the grid the model was trained on: the hour of day and the hours into the shift take
the whole values the trees learned from (a 10:36 scoring would read as hour 11 to the trees).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timezone
from typing import Mapping, Sequence
from zoneinfo import ZoneInfo

import numpy as np
import pandas as pd

from core.ml.feature_words import CATEGORIES, FeatureSpec, feature_specs
from core.ml.features import features_at
from core.ml.history import MachineHistory
from core.ml.labels import labels
from core.plant.config_ml import MlSettings

HOURLY = "hourly"
QUARTER_S = 900  # every zone's offset from UTC is a whole number of quarter hours (India +5:30, Nepal +5:45)


@dataclass(frozen=True, eq=False)
class Dataset:
    frame: pd.DataFrame
    specs: tuple[FeatureSpec, ...]

    @property
    def feature_names(self) -> list[str]:
        return [spec.name for spec in self.specs]


def hourly_moments(history: MachineHistory, start: datetime | float | None = None,
                   end: datetime | float | None = None) -> np.ndarray:
    """Every clock hour of the site's zone in [start, end) (default: the history's window) at which the machine is
    inside a shift of the site's calendar; every hour of it when the site has no shifts. In a zone a half or
    quarter hour off UTC these are not UTC hours: shifts begin on the local hour."""
    first = _epoch(start) if start is not None else history.start
    last = _epoch(end) if end is not None else history.end
    quarters = np.arange(np.ceil(first / QUARTER_S) * QUARTER_S, last, QUARTER_S, dtype="float64")
    hours = quarters[_on_the_hour(quarters, history.timezone)]
    if not len(history.shift_start):
        return hours
    k = np.searchsorted(history.shift_start, hours, side="right") - 1
    inside = (k >= 0) & (hours < history.shift_end[np.maximum(k, 0)])
    return hours[inside]


def clock_hour_start(moment: datetime, zone: ZoneInfo | str) -> datetime:
    """The latest local clock hour of `zone` at or before `moment` (aware, UTC): the moment a scoring is made as
    of, one of `hourly_moments`. (Where a clock jumps by half an hour, Lord Howe Island, the hour it skipped
    into is not one: the hour before it is.)"""
    t = _epoch(moment)
    quarters = np.floor(t / QUARTER_S) * QUARTER_S - QUARTER_S * np.arange(8, dtype="float64")
    return datetime.fromtimestamp(float(quarters[_on_the_hour(quarters, zone)][0]), tz=timezone.utc)


def _on_the_hour(epochs: np.ndarray, zone: ZoneInfo | str) -> np.ndarray:
    local = pd.DatetimeIndex(pd.to_datetime(epochs, unit="s", utc=True)).tz_convert(
        zone.key if isinstance(zone, ZoneInfo) else zone)
    return np.asarray(local.minute == 0)


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
