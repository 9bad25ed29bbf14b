"""MTBF and MTTR: one definition for the downtime report and the fault analysis page.

MTBF = run time / breakdowns begun; MTTR = breakdown time / breakdowns begun; both None when no breakdown
began. Breakdowns are `down` stops past the machine's micro-stop threshold that began in the window; run time
and breakdown time are the OEE engine's for the window, so a breakdown that began before the window adds its
time but is not counted. The arithmetic keeps the unit it is given (seconds in, seconds out; minutes in,
minutes out).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Iterable

import pandas as pd


@dataclass(frozen=True)
class Reliability:
    run_time: float
    breakdown_time: float
    breakdowns: int  # begun in the window

    @property
    def mtbf(self) -> float | None:
        """Mean time between failures: run time per breakdown begun."""
        return self.run_time / self.breakdowns if self.breakdowns else None

    @property
    def mttr(self) -> float | None:
        """Mean time to repair: breakdown time per breakdown begun."""
        return self.breakdown_time / self.breakdowns if self.breakdowns else None

    def __add__(self, other: "Reliability") -> "Reliability":
        return Reliability(self.run_time + other.run_time, self.breakdown_time + other.breakdown_time,
                           self.breakdowns + other.breakdowns)


def combined(parts: Iterable[Reliability]) -> Reliability:
    """Several machines (or fault codes) as one: times and counts summed, then divided (never a mean of means)."""
    total = Reliability(0.0, 0.0, 0)
    for part in parts:
        total = total + part
    return total


def breakdowns_begun(stops: pd.DataFrame) -> dict[int, int]:
    """Breakdowns begun per equipment id, from stop pieces (core.oee.period_totals.period_stops: stops past the
    micro-stop threshold by machine, state and reason, with how many began in the window)."""
    if stops.empty:
        return {}
    return {int(k): int(v) for k, v in stops[stops["state"] == "down"].groupby("equipment_id")["began"].sum().items()}
