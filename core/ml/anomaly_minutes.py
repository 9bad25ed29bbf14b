"""Each machine's behaviour minute by minute, for the anomaly model: how many units it made, how long each took,
what share was rejected, and the minute means of its trend tags.

Only minutes in which the machine ran for most of the minute are kept: an odd minute of a stopped machine is a
stop, and stops are shown elsewhere (the fault analysis). Counts are summed per minute by the database
(core.oee.store_queries.counts_by_bucket); the running seconds of each minute come from the state changes by a
cumulative sum, so a week of minutes costs a few array operations, not a loop per minute.

Each minute's features are taken over two windows of wall-clock time that end with it (the running minutes
among them): the median units, cycle time and tag means and the mean reject share of the last FAST_MINUTES, and
the same over the last SLOW_MINUTES (the feature name then ends in HOUR). A count per minute jitters by a unit or
two and a reject is rare, so one minute alone hides a 20 % slower cycle in noise, while five minutes of it stand
out; a machine drifting a few per cent slow for hours (a part wearing out) shows only over the hour. The windows
look only back, so scoring a minute needs nothing after it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import NamedTuple, Sequence

import numpy as np
import pandas as pd
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from core.oee.store_queries import counts_by_bucket, state_changes_frame
from core.persistence.plc_tables import TagMinute

MINUTE = 60
RUNNING_SHARE = 0.75  # a minute counts when the machine ran at least 45 of its 60 seconds
FAST_MINUTES, SLOW_MINUTES = 5, 60
HOUR = "@1h"  # suffix of the features over the last SLOW_MINUTES
UNITS, CYCLE_TIME, REJECT_SHARE = "units_per_minute", "cycle_time_s", "reject_share"
COUNT_FEATURES = (UNITS, CYCLE_TIME, REJECT_SHARE)
TAG_PREFIX = "tag:"  # a trend tag's minute mean is the feature "tag:<tag name>"


class MinuteSource(NamedTuple):
    """A machine to read: its id, code and the trend tags whose minute means are features."""

    equipment_id: int
    code: str
    tags: tuple[str, ...]


@dataclass(frozen=True)
class MachineMinutes:
    """A machine's running minutes in time order and their features (one column per name in `features`)."""

    equipment_id: int
    code: str
    minutes: np.ndarray  # int64: start of each minute, epoch seconds UTC
    features: tuple[str, ...]
    values: np.ndarray  # float64, minutes x features; NaN where unknown (no unit made: no cycle time; tag not read)
    running_s: np.ndarray  # float64: seconds of each minute the machine ran

    def column(self, feature: str) -> np.ndarray:
        return self.values[:, self.features.index(feature)]


def tag_feature(tag: str) -> str:
    return TAG_PREFIX + tag


def running_seconds(change_times: np.ndarray, running: np.ndarray, minute_starts: np.ndarray) -> np.ndarray:
    """Seconds of each minute [m, m + 60) spent running, given the state changes (sorted times, and whether each
    change starts a running state). A state holds until the next change; before the first change nothing ran."""
    times = np.asarray(change_times, dtype=np.float64)
    if times.size == 0:
        return np.zeros(len(minute_starts))
    on = np.asarray(running, dtype=np.float64)
    ran_before = np.concatenate([[0.0], np.cumsum(on[:-1] * np.diff(times))])  # running seconds up to each change

    def ran_until(moments: np.ndarray) -> np.ndarray:
        index = np.searchsorted(times, moments, side="right") - 1
        safe = np.clip(index, 0, None)
        return np.where(index < 0, 0.0, ran_before[safe] + on[safe] * (moments - times[safe]))

    starts = np.asarray(minute_starts, dtype=np.float64)
    return ran_until(starts + MINUTE) - ran_until(starts)


def minutes_from_records(equipment_id: int, code: str, minute_starts: np.ndarray, running_s: np.ndarray,
                         good: np.ndarray, reject: np.ndarray, tag_means: dict[str, np.ndarray],
                         running_share: float = RUNNING_SHARE, first: int | None = None) -> MachineMinutes:
    """The features of the minutes in which the machine ran at least `running_share` of the minute. `good`,
    `reject` and every array of `tag_means` (NaN: not read that minute) are aligned with `minute_starts`.
    Minutes before `first` (epoch seconds) only give the later ones their windows and are not returned."""
    keep = np.asarray(running_s, dtype=np.float64) >= running_share * MINUTE
    ran = np.asarray(running_s, dtype=np.float64)[keep]
    good_kept = np.asarray(good, dtype=np.float64)[keep]
    reject_kept = np.asarray(reject, dtype=np.float64)[keep]
    units = good_kept + reject_kept
    made = units > 0
    with np.errstate(divide="ignore", invalid="ignore"):
        cycle = np.where(made, ran / np.where(made, units, 1.0), np.nan)
        share = np.where(made, reject_kept / np.where(made, units, 1.0), np.nan)
    columns = [units, cycle, share] + [np.asarray(tag_means[tag], dtype=np.float64)[keep] for tag in tag_means]
    names = COUNT_FEATURES + tuple(tag_feature(tag) for tag in tag_means)
    starts = np.asarray(minute_starts, dtype=np.int64)[keep]
    values = np.hstack([_over(starts, names, columns, FAST_MINUTES), _over(starts, names, columns, SLOW_MINUTES)])
    wanted = starts >= first if first is not None else slice(None)
    return MachineMinutes(equipment_id, code, starts[wanted], names + tuple(name + HOUR for name in names),
                          values[wanted], ran[wanted])


def _over(starts: np.ndarray, names: tuple[str, ...], columns: list[np.ndarray], minutes: int) -> np.ndarray:
    """Each minute's features over the running minutes of the last `minutes` minutes (itself included): medians,
    but the mean for the reject share (mostly zero, its median would hide every reject)."""
    if starts.size == 0:
        return np.empty((0, len(names)))
    frame = pd.DataFrame(dict(zip(names, columns)), index=pd.to_datetime(starts, unit="s"))
    window = frame.rolling(f"{minutes}min", min_periods=1)
    smoothed = window.median()
    smoothed[REJECT_SHARE] = window.mean()[REJECT_SHARE]
    return smoothed[list(names)].to_numpy(dtype=np.float64)


def minute_grid(start: datetime, end: datetime) -> np.ndarray:
    """Starts of the whole minutes inside [start, end)."""
    first = -(-int(start.timestamp()) // MINUTE) * MINUTE
    last = int(end.timestamp()) // MINUTE * MINUTE
    return np.arange(first, last, MINUTE, dtype=np.int64)


def load_minutes(db: sessionmaker[Session], sources: Sequence[MinuteSource], start: datetime,
                 end: datetime, running_share: float = RUNNING_SHARE) -> list[MachineMinutes]:
    """Per machine, its running minutes inside [start, end) with their features, read from the store. The hour
    before `start` is read too, so that the first minutes' windows are as full as any other's."""
    first = -(-int(start.timestamp()) // MINUTE) * MINUTE  # the first whole minute inside the window
    start = start - timedelta(minutes=SLOW_MINUTES)
    grid = minute_grid(start, end)
    ids = [source.equipment_id for source in sources]
    if not ids or grid.size == 0:
        return [minutes_from_records(s.equipment_id, s.code, grid[:0], grid[:0], grid[:0], grid[:0],
                                     {tag: grid[:0] for tag in s.tags}, running_share, first) for s in sources]
    counts = counts_by_bucket(db, ids, start, end, MINUTE)
    changes = state_changes_frame(db, ids, start, end)
    tags = _tag_means(db, sources, grid)
    found = []
    for source in sources:
        mine = changes[changes["equipment_id"] == source.equipment_id]
        ran = running_seconds(mine["at"].to_numpy(), (mine["state"] == "running").to_numpy(), grid)
        good, reject = np.zeros(grid.size), np.zeros(grid.size)
        of_machine = counts[counts["equipment_id"] == source.equipment_id]
        slots = (of_machine["bucket"].to_numpy() * MINUTE - grid[0]) // MINUTE
        inside = (slots >= 0) & (slots < grid.size)
        np.add.at(good, slots[inside], of_machine["good"].to_numpy()[inside])
        np.add.at(reject, slots[inside], of_machine["reject"].to_numpy()[inside])
        means = {tag: tags.get((source.equipment_id, tag), np.full(grid.size, np.nan)) for tag in source.tags}
        found.append(minutes_from_records(source.equipment_id, source.code, grid, ran, good, reject, means,
                                          running_share, first))
    return found


def _tag_means(db: sessionmaker[Session], sources: Sequence[MinuteSource],
               grid: np.ndarray) -> dict[tuple[int, str], np.ndarray]:
    """(equipment id, tag) -> the tag's minute means on `grid`, NaN where no minute summary was stored."""
    wanted = {(s.equipment_id, tag) for s in sources for tag in s.tags}
    if not wanted:
        return {}
    means: dict[tuple[int, str], np.ndarray] = {key: np.full(grid.size, np.nan) for key in wanted}
    query = (select(TagMinute.equipment_id, TagMinute.tag, TagMinute.minute_epoch, TagMinute.mean)
             .where(TagMinute.equipment_id.in_({key[0] for key in wanted}),
                    TagMinute.tag.in_({key[1] for key in wanted}),
                    TagMinute.minute_epoch >= int(grid[0]), TagMinute.minute_epoch <= int(grid[-1])))
    with db() as session:
        for equipment_id, tag, minute, mean in session.execute(query):
            series = means.get((equipment_id, tag))
            if series is not None:
                series[(int(minute) - int(grid[0])) // MINUTE] = mean
    return means
