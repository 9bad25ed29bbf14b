"""The simulator's hidden causes: what makes a simulated machine stop, so that a model has something real to learn.

Three causes, each drawn deterministically per (seed, machine, hour) like the
rest of the schedule, so any moment can be asked for in any order:

- wear-out failures: about one per 15 hours a main-drive failure (15-40
  minutes down). In the one and a half to four hours before nine in ten of them
  the machine warns: it runs 8-18 % slow, more as the failure nears, and its
  photo-eye trips several times an hour (short stops). A failure that falls in
  planned time (a break, outside the shifts) does not happen: the fitter found
  the worn part while the line stood still.
- fatigue: ordinary breakdowns are mostly short (2-9 minutes), but the longer
  the machine has run since its last planned standstill the likelier one is
  long (10-25 minutes), from 2.5 hours without a break on.
- noise: the photo-eye also trips now and then for no reason at all.

With `hidden_causes` off the same failures still happen, with no warning, and
long breakdowns come at one fixed chance: as many long stops, none of them
foreseeable from anything a model can see.
"""

from __future__ import annotations

import bisect
import random
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Callable, Sequence

Intervals = Sequence[tuple[datetime, datetime]]
PlannedSource = Intervals | Callable[[datetime, datetime], Intervals]  # the whole plan, or the plan of a window

FAILURE_CHANCE = 1 / 15  # per hour: a wear-out failure drawn in it
FAILURE_MINUTES = (15.0, 40.0)
WARNED_SHARE = 0.9  # failures with precursors
WARNING_HOURS = (1.5, 4.0)
SLOW_AT_START, SLOW_AT_FAILURE = 0.08, 0.18  # cycle time this much slower while a failure approaches
PRECURSOR_TRIP_SHARE = 0.8  # of the stops while warning: the photo-eye
NOISE_TRIP_SHARE = 0.04  # of ordinary short stops: the photo-eye, for no reason
LONG_STRETCH_HOURS = 2.5
LONG_BREAKDOWN_RESTED, LONG_BREAKDOWN_TIRED = 0.02, 0.16  # chance a breakdown is long: fresh / 4+ hours on
LONG_BREAKDOWN_FIXED = 0.065  # the same on average, whatever the time since the break (hidden causes off)
SINCE_BREAK_CAP = timedelta(hours=8)
LOOK_BACK = SINCE_BREAK_CAP + timedelta(hours=1)  # planned time a block needs to see behind it
LOOK_AHEAD = timedelta(hours=6)  # and ahead of it (failures up to four hours later, their length)
_HOURS_AHEAD = int(WARNING_HOURS[1]) + 1


class PlannedTime:
    """Planned intervals, merged and searchable: when the machine stands still by plan."""

    def __init__(self, intervals: Sequence[tuple[datetime, datetime]]):
        merged: list[list[datetime]] = []
        for a, b in sorted(intervals):
            if b <= a:
                continue
            if merged and a <= merged[-1][1]:
                merged[-1][1] = max(merged[-1][1], b)
            else:
                merged.append([a, b])
        self.starts = [a for a, _ in merged]
        self.ends = [b for _, b in merged]

    @classmethod
    def of(cls, planned: PlannedSource, start: datetime, end: datetime) -> "PlannedTime":
        """From a fixed list (the whole plan) or a function of a window (asked with margins any block needs)."""
        if callable(planned):
            return cls(planned(start - LOOK_BACK - timedelta(hours=1), end + LOOK_AHEAD + timedelta(hours=1)))
        return cls(planned)

    def covering(self, moment: datetime) -> tuple[datetime, datetime] | None:
        i = bisect.bisect_right(self.starts, moment) - 1
        if i >= 0 and moment < self.ends[i]:
            return self.starts[i], self.ends[i]
        return None

    def next_start(self, moment: datetime) -> datetime | None:
        """The first planned interval starting after `moment`."""
        i = bisect.bisect_right(self.starts, moment)
        return self.starts[i] if i < len(self.starts) else None

    def since_last(self, moment: datetime) -> timedelta:
        """How long the machine has been free to run at `moment` (capped: longer than that reads as the cap)."""
        i = bisect.bisect_right(self.starts, moment) - 1
        if i < 0:
            return SINCE_BREAK_CAP
        return min(SINCE_BREAK_CAP, max(timedelta(0), moment - min(self.ends[i], moment)))


@dataclass(frozen=True)
class Failure:
    at: datetime
    end: datetime | None  # None: it fell in planned time and did not happen
    warned_from: datetime | None  # when its precursors began (None: it comes without warning)


def failure_of_hour(code: str, seed: int, block: int, block_start: datetime, planned: PlannedTime) -> Failure | None:
    """The wear-out failure drawn in hour `block`, if any (the same draw whether or not causes are hidden)."""
    rng = random.Random(f"{seed}:{code}:failure:{block}")
    if rng.random() >= FAILURE_CHANCE:
        return None
    at = block_start + timedelta(seconds=rng.uniform(0, 3600))
    end = at + timedelta(minutes=rng.uniform(*FAILURE_MINUTES))
    warned = rng.random() < WARNED_SHARE
    warned_from = at - timedelta(hours=rng.uniform(*WARNING_HOURS)) if warned else None
    if planned.covering(at) is not None:
        return Failure(at, None, warned_from)
    next_planned = planned.next_start(at)
    if next_planned is not None and next_planned < end:
        end = next_planned  # mended during the break
    return Failure(at, end, warned_from)


def failures_near(code: str, seed: int, block: int, block_start: datetime, planned: PlannedTime,
                  cache: dict[int, Failure | None]) -> list[Failure]:
    """Failures that can touch hour `block`: the hour before's (still down) and those up to five hours ahead."""
    found = []
    for other in range(block - 1, block + _HOURS_AHEAD + 1):
        if other not in cache:
            cache[other] = failure_of_hour(code, seed, other, block_start + (other - block) * timedelta(hours=1),
                                           planned)
        if cache[other] is not None:
            found.append(cache[other])
    return found


def wear(failures: Sequence[Failure], moment: datetime) -> float | None:
    """How near a warned failure is at `moment`: 0 when its precursors begin, 1 at the failure; None: no warning."""
    near = [(moment - f.warned_from) / (f.at - f.warned_from) for f in failures
            if f.warned_from is not None and f.warned_from <= moment < f.at]
    return max(near) if near else None


def slowdown(progress: float | None) -> float:
    """Extra cycle time (a share) while a failure approaches."""
    return 0.0 if progress is None else SLOW_AT_START + (SLOW_AT_FAILURE - SLOW_AT_START) * progress


def long_breakdown_chance(since_break: timedelta, hidden_causes: bool) -> float:
    if not hidden_causes:
        return LONG_BREAKDOWN_FIXED
    hours = since_break.total_seconds() / 3600
    tiredness = min(1.0, max(0.0, (hours - LONG_STRETCH_HOURS) / 1.5))
    return LONG_BREAKDOWN_RESTED + (LONG_BREAKDOWN_TIRED - LONG_BREAKDOWN_RESTED) * tiredness
