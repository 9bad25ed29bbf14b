"""A machine's timeline as arrays: runs of one state, time spent in a state, events in a look-back window.

A state holds from its change until the machine's next change; the last one holds until the end of the data.
A run is a maximal stretch of one state, however many changes (fault codes, reasons) it was written as: a jam
re-posted with another fault code is still one stop. Everything here is vectorised over many moments at once
(searchsorted and cumulative sums), so features for a hundred thousand moments cost milliseconds.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np


@dataclass(frozen=True, eq=False)
class Runs:
    """Runs of one state in time order: when each began and when it ended (the end of the data if it had not)."""

    begin: np.ndarray
    end: np.ndarray

    @property
    def seconds(self) -> np.ndarray:
        return self.end - self.begin

    def where(self, keep: np.ndarray) -> Runs:
        return Runs(self.begin[keep], self.end[keep])


def runs_of(at: np.ndarray, states: np.ndarray, state: str, data_end: float) -> Runs:
    """The runs of `state` on a timeline of changes `at` (sorted epoch seconds) to `states`."""
    inside = states == state
    if not inside.any():
        return Runs(np.empty(0), np.empty(0))
    before = np.concatenate([[False], inside[:-1]])
    after = np.concatenate([inside[1:], [False]])
    begin = at[inside & ~before]
    last = np.flatnonzero(inside & ~after)  # the last change of each run; the next change ends it
    following = np.minimum(last + 1, len(at) - 1)
    end = np.where(last + 1 < len(at), at[following], np.maximum(data_end, at[last]))
    return Runs(begin, end)


class StateClock:
    """Seconds spent in one state from the first change up to any moment (0 before the first change)."""

    def __init__(self, at: np.ndarray, states: np.ndarray, state: str):
        self.at = at
        self.inside = states == state
        lengths = np.diff(at) * self.inside[:-1]
        self.before = np.concatenate([[0.0], np.cumsum(lengths)])  # time in the state up to each change

    def upto(self, t: np.ndarray) -> np.ndarray:
        if not len(self.at):
            return np.zeros(len(t))
        k = np.searchsorted(self.at, t, side="right") - 1
        kk = np.maximum(k, 0)
        value = self.before[kk] + np.where(self.inside[kk], t - self.at[kk], 0.0)
        return np.where(k >= 0, value, 0.0)

    def between(self, a: np.ndarray, b: np.ndarray) -> np.ndarray:
        return self.upto(b) - self.upto(a)


def count_in(times: np.ndarray, a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """How many of the sorted `times` fall in [a, b), for each pair."""
    return (np.searchsorted(times, b, side="left") - np.searchsorted(times, a, side="left")).astype("float64")


def onsets(at: np.ndarray, codes: np.ndarray) -> dict[str, np.ndarray]:
    """Per code: the times a change raised it ("" means none), not counting a change that repeats the code the
    change before already carried."""
    previous = np.concatenate([[""], codes[:-1]])
    raised = (codes != "") & (codes != previous)
    found: dict[str, np.ndarray] = {}
    for code in np.unique(codes[raised]):
        found[str(code)] = at[raised & (codes == code)]
    return found


def stops_reaching(runs: Runs, seconds: float, t: np.ndarray, a: np.ndarray) -> np.ndarray:
    """Runs begun in [a, t) that had lasted `seconds` by t (known before t whatever happens after)."""
    long_begins = runs.begin[runs.seconds >= seconds]
    return count_in(long_begins, a, np.nextafter(t - seconds, np.inf))


def short_runs_ended(runs: Runs, seconds: float, t: np.ndarray, a: np.ndarray) -> np.ndarray:
    """Runs shorter than `seconds` begun at or after a and over before t."""
    short = runs.where(runs.seconds < seconds)
    ended = np.searchsorted(short.end, t, side="left")
    begun_before = np.searchsorted(short.begin, a, side="left")
    return (ended - np.minimum(begun_before, ended)).astype("float64")


def hours_since_run_reaching(runs: Runs, seconds: float, t: np.ndarray, look_back_s: float) -> np.ndarray:
    """Hours from the end of the latest run that had lasted `seconds` by t (0 while it still goes on); NaN when
    no such run began within `look_back_s` before t."""
    long = runs.where(runs.seconds >= seconds)
    k = np.searchsorted(long.begin + seconds, t, side="right") - 1
    kk = np.maximum(k, 0)
    if not len(long.begin):
        return np.full(len(t), np.nan)
    hours = np.maximum(t - long.end[kk], 0.0) / 3600.0
    return np.where((k >= 0) & (t - long.begin[kk] <= look_back_s), hours, np.nan)


def latest_before(times: np.ndarray, t: np.ndarray) -> np.ndarray:
    """Index of the latest of the sorted `times` strictly before each t (-1: none)."""
    return np.searchsorted(times, t, side="left") - 1
