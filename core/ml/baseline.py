"""The naive guess a model must beat: how often this machine stopped at this hour of the day before.

A model earns its place only if it ranks and calibrates better than this table. The table is smoothed so that an
hour seen a handful of times does not claim "never" or "always": each machine-hour rate is pulled toward the
machine's overall rate, and each machine's rate toward the rate of all machines, with a weight worth a fixed number
of rows. A machine or hour that training never saw gets the rate one level up.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

HOUR_COLUMN = "hour_of_day"
# Rows' worth of weight behind the rate one level up: an hour seen 10 times sits half way to the machine's rate.
HOUR_PRIOR_ROWS = 10.0
MACHINE_PRIOR_ROWS = 20.0


@dataclass
class HourlyRateBaseline:
    """`fit(frame)` on training rows ("equipment_id", "hour_of_day", "label"), then `predict(frame)`."""

    hour_prior_rows: float = HOUR_PRIOR_ROWS
    machine_prior_rows: float = MACHINE_PRIOR_ROWS
    global_rate: float | None = None
    machine_rates: dict[int, float] = field(default_factory=dict)
    hour_rates: dict[tuple[int, int], float] = field(default_factory=dict)

    def fit(self, frame: pd.DataFrame) -> HourlyRateBaseline:
        rows = _known(frame)
        if rows.empty:
            raise ValueError("the baseline needs training rows whose outcome is known; there are none")
        y = rows["label"].to_numpy(dtype=float)
        # Half a stop and half a non-stop of prior keep even an all-quiet plant's rate off exactly 0.
        self.global_rate = float((y.sum() + 0.5) / (len(y) + 1.0))
        machines = rows.groupby("equipment_id", sort=True)["label"].agg(["sum", "count"])
        self.machine_rates = {
            int(machine): float((s + self.machine_prior_rows * self.global_rate) / (n + self.machine_prior_rows))
            for machine, s, n in zip(machines.index, machines["sum"], machines["count"])
        }
        hours = rows.dropna(subset=[HOUR_COLUMN]).assign(_hour=lambda f: _hours(f[HOUR_COLUMN]))
        cells = hours.groupby(["equipment_id", "_hour"], sort=True)["label"].agg(["sum", "count"])
        self.hour_rates = {}
        for (machine, hour), s, n in zip(cells.index, cells["sum"], cells["count"]):
            prior = self.machine_rates[int(machine)]
            self.hour_rates[(int(machine), int(hour))] = float(
                (s + self.hour_prior_rows * prior) / (n + self.hour_prior_rows)
            )
        return self

    def predict(self, frame: pd.DataFrame) -> np.ndarray:
        """One probability per row of `frame` (its label is not read)."""
        if self.global_rate is None:
            raise ValueError("the baseline has not been fitted")
        machines = frame["equipment_id"].to_numpy()
        hours = frame[HOUR_COLUMN].to_numpy(dtype=float)
        out = np.empty(len(frame), dtype=float)
        for i, (machine, hour) in enumerate(zip(machines, hours)):
            machine_rate = self.machine_rates.get(int(machine), self.global_rate)
            if np.isnan(hour):
                out[i] = machine_rate
            else:
                out[i] = self.hour_rates.get((int(machine), int(hour) % 24), machine_rate)
        return out


def _known(frame: pd.DataFrame) -> pd.DataFrame:
    missing = {"equipment_id", "label", HOUR_COLUMN} - set(frame.columns)
    if missing:
        raise ValueError(f"the baseline needs the columns {sorted(missing)}")
    return frame.loc[frame["label"].notna(), ["equipment_id", HOUR_COLUMN, "label"]]


def _hours(values: pd.Series) -> pd.Series:
    return values.astype(float).astype(int) % 24
