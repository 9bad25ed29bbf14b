"""Train on the past, test on the later days, with a gap so no training label peeks into the test days.

A row's label at moment t looks ahead to t + horizon (+ the stop's minimum length to know it lasted). Were a
training moment closer than that to the first holdout moment, its label would describe the same stops the holdout
is judged on; so training ends `gap_s` = horizon + stop_minutes before the first holdout moment. Days are UTC
calendar days that hold at least one row (a plant closed at weekends has 5 days a week).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

DAY_S = 86_400.0
MIN_DAYS = 7
MIN_HOLDOUT_DAYS = 2
MIN_TRAIN_DAYS = 5
HOLDOUT_SHARE = 0.25


@dataclass(frozen=True)
class TimeSplit:
    train: np.ndarray  # bool mask over the rows given
    holdout: np.ndarray  # bool mask
    days: int  # days with rows
    holdout_days: int
    gap_s: float


def gap_seconds(settings) -> float:
    return settings.horizon_hours * 3600.0 + settings.stop_minutes * 60.0


def time_split(at, settings, holdout_days: int | None = None) -> TimeSplit:
    """Holdout = the last ~25 % of the days (at least 2), training = rows a full gap before the first holdout row.

    Raises ValueError, in words, when the rows span too few days to learn and test on.
    """
    at = np.asarray(at, dtype=float)
    days = np.unique(np.floor(at / DAY_S))
    if len(days) < MIN_DAYS:
        raise ValueError(
            f"Too little history to train and test: the outcomes known so far cover {len(days)} day(s); "
            f"at least {MIN_DAYS} days are needed (the last {MIN_HOLDOUT_DAYS}+ of them are kept aside for testing)."
        )
    if holdout_days is None:
        holdout_days = max(MIN_HOLDOUT_DAYS, int(round(HOLDOUT_SHARE * len(days))))
    if holdout_days < MIN_HOLDOUT_DAYS:
        raise ValueError(f"The holdout must span at least {MIN_HOLDOUT_DAYS} days; {holdout_days} were asked for.")
    if len(days) - holdout_days < MIN_TRAIN_DAYS:
        raise ValueError(
            f"Too little history to train: {len(days)} day(s) with known outcomes, {holdout_days} of them kept "
            f"for testing, leaves fewer than {MIN_TRAIN_DAYS} days to learn from."
        )
    return cut(at, holdout_days, gap_seconds(settings))


def cut(at: np.ndarray, holdout_days: int, gap_s: float) -> TimeSplit:
    """The split itself, without the minimum-size rules (also used inside training to pick the iterations)."""
    day = np.floor(at / DAY_S)
    days = np.unique(day)
    if not 1 <= holdout_days < len(days):
        raise ValueError(f"cannot keep {holdout_days} of {len(days)} day(s) for testing")
    holdout = day >= days[len(days) - holdout_days]
    first_holdout = at[holdout].min()
    train = ~holdout & (at + gap_s <= first_holdout)
    return TimeSplit(train=train, holdout=holdout, days=len(days), holdout_days=holdout_days, gap_s=gap_s)
