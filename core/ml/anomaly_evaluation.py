"""Whether flagged minutes mean something: how often a long unplanned stop begins soon after a flagged minute,
against after an unflagged one. Pure: arrays of times in, counts and rates out.

No number is invented: a minute counts only when the data reach far enough past it to know whether a long stop
began (its next `hours` plus the stop's minimum length); a rate with no minutes behind it, and a lift with no
rate to divide by, are None.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

LIFT_HOURS = 2.0  # a long stop beginning within this many hours after a minute follows it


@dataclass
class FollowCounts:
    """Minutes whose outcome is known, and how many of them a long stop followed; flagged and unflagged."""

    flagged: int = 0
    flagged_followed: int = 0
    unflagged: int = 0
    unflagged_followed: int = 0

    def add(self, flagged: np.ndarray, followed: np.ndarray) -> None:
        self.flagged += int(flagged.sum())
        self.flagged_followed += int((flagged & followed).sum())
        self.unflagged += int((~flagged).sum())
        self.unflagged_followed += int((~flagged & followed).sum())

    def figures(self) -> dict:
        after_flagged = self.flagged_followed / self.flagged if self.flagged else None
        after_unflagged = self.unflagged_followed / self.unflagged if self.unflagged else None
        lift = (after_flagged / after_unflagged if after_flagged is not None and after_unflagged else None)
        return {"lift_minutes_flagged": self.flagged, "lift_minutes_flagged_followed": self.flagged_followed,
                "lift_minutes_unflagged": self.unflagged, "lift_minutes_unflagged_followed": self.unflagged_followed,
                "long_stop_rate_after_flagged": after_flagged, "long_stop_rate_after_unflagged": after_unflagged,
                "lift": lift}


def long_stop_starts(change_times: np.ndarray, states: np.ndarray, data_end: float, stop_minutes: float) -> np.ndarray:
    """Begin times of the unplanned stops (maximal runs of state "down") that lasted at least `stop_minutes`.
    A run still going at `data_end` counts once it has already lasted that long."""
    times = np.asarray(change_times, dtype=np.float64)
    down = np.asarray(states) == "down"
    if times.size == 0 or not down.any():
        return np.empty(0)
    previous = np.concatenate([[False], down[:-1]])
    begins = np.flatnonzero(down & ~previous)
    ends_at = np.flatnonzero(~down)  # the next change that is not "down" ends the run
    following = np.searchsorted(ends_at, begins)
    ends = np.full(begins.size, float(data_end))
    has_end = following < ends_at.size
    ends[has_end] = times[ends_at[following[has_end]]]
    long_enough = (np.minimum(ends, data_end) - times[begins]) >= stop_minutes * 60
    return times[begins][long_enough]


def followed_by_long_stop(minute_starts: np.ndarray, stop_starts: np.ndarray, data_end: float, stop_minutes: float,
                          hours: float = LIFT_HOURS) -> tuple[np.ndarray, np.ndarray]:
    """(known, followed) per minute: whether the data reach far enough to tell, and whether a long stop began
    within `hours` after the minute ended."""
    ends = np.asarray(minute_starts, dtype=np.float64) + 60
    horizon = hours * 3600
    known = ends + horizon + stop_minutes * 60 <= data_end
    stops = np.sort(np.asarray(stop_starts, dtype=np.float64))
    first_after = np.searchsorted(stops, ends, side="right")  # first stop beginning after the minute ended
    followed = np.zeros(ends.size, dtype=bool)
    some = first_after < stops.size
    followed[some] = stops[first_after[some]] <= ends[some] + horizon
    return known, followed
