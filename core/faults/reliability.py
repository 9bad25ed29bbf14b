"""MTBF and MTTR: one definition for the fault analysis page, the downtime report and maintenance's MTTR from stops.

The workshop's reading, over a window:
- a breakdown is a `down` stop past the machine's micro-stop threshold; those that BEGAN in the window count;
- MTTR = the mean FULL duration of those breakdowns, start to end (or to `now` while still down), even where
  the breakdown goes on past the window's end: a breakdown 23:00-03:00 gives day 1 one breakdown of 4 h and
  day 2 none (its MTTR blank), although three of its hours fall on day 2;
- MTBF = the OEE engine's run time in the window / those breakdowns;
- both None when no breakdown began. Per fault code likewise (breakdowns with that code; the run time of the
  machines that had them). Several machines or codes: times and counts summed, then divided.
The arithmetic keeps the unit it is given (seconds in, seconds out; minutes in, minutes out).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Iterable


@dataclass(frozen=True)
class Reliability:
    run_time: float  # the engine's run time in the window
    breakdown_time: float  # the full durations of the breakdowns begun in the window, added up
    breakdowns: int  # begun in the window

    @property
    def mtbf(self) -> float | None:
        """Mean time between failures: run time per breakdown begun."""
        return self.run_time / self.breakdowns if self.breakdowns else None

    @property
    def mttr(self) -> float | None:
        """Mean time to repair: the mean full duration of the breakdowns begun."""
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


def repair_seconds(start: datetime, end: datetime | None, now: datetime) -> float:
    """A breakdown's full duration: start to end, or to `now` while it is still going."""
    return max(((end or now) - start).total_seconds(), 0.0)


def reliability_of(run_time: float, repairs: Iterable[float]) -> Reliability:
    """Run time and the full durations of the breakdowns begun in the window (same unit)."""
    durations = list(repairs)
    return Reliability(run_time, float(sum(durations)), len(durations))
