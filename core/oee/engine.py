"""The OEE engine: totals per machine and window, computed from the store with SQL sums and vectorised pandas.

`machine_totals` splits [boundaries[0], boundaries[-1]) into windows and
returns, for every machine and window, the additive Totals (seconds by state,
units, ideal seconds) that `core.oee.figures` turns into OEE. Time after
`now` has not happened yet and counts nowhere.
"""

from __future__ import annotations

import math
from datetime import datetime
from functools import reduce
from typing import Sequence

import numpy as np
import pandas as pd
from sqlalchemy.orm import Session, sessionmaker

from core.oee.figures import TOTAL_FIELDS
from core.oee.product_cycles import bucket_ideal_seconds, cycles_at, product_cycle_changes
from core.oee.store_queries import counts_by_bucket, rejects_after, state_changes_frame
from core.plant.equipment import Machine, SiteCalendar
from core.shift_calendar import unscheduled_parts

STOP_STATES = ["down", "changeover", "idle"]
STATE_COLUMNS = {"running": "running_s", "small_stop": "small_stop_s", "down": "down_s",
                 "changeover": "changeover_s", "idle": "idle_s", "planned_stop": "planned_stop_s",
                 "no_data": "no_data_s"}
DEFAULT_STARTUP_WINDOW_S = 30 * 60.0


def _epoch(moment: datetime) -> float:
    return moment.timestamp()


class _Covered:
    """Time covered by sorted, disjoint intervals up to any moment: F(t), vectorised."""

    def __init__(self, intervals: Sequence[tuple[datetime, datetime]]):
        self.starts = np.array([_epoch(a) for a, _ in intervals], dtype="float64")
        self.lengths = np.array([_epoch(b) - _epoch(a) for a, b in intervals], dtype="float64")
        self.before = np.concatenate([[0.0], np.cumsum(self.lengths)])

    def upto(self, t: np.ndarray) -> np.ndarray:
        if not len(self.starts):
            return np.zeros_like(t, dtype="float64")
        k = np.searchsorted(self.starts, t, side="right") - 1
        inside = np.clip(t - self.starts[np.maximum(k, 0)], 0, self.lengths[np.maximum(k, 0)])
        return np.where(k >= 0, self.before[np.maximum(k, 0)] + inside, 0.0)

    def between(self, a: np.ndarray, b: np.ndarray) -> np.ndarray:
        return self.upto(b) - self.upto(a)


def machine_totals(db: sessionmaker[Session], machines: Sequence[Machine], boundaries: Sequence[datetime],
                   now: datetime, calendar: SiteCalendar | None,
                   startup_window_s: float = DEFAULT_STARTUP_WINDOW_S) -> pd.DataFrame:
    """Totals for every (equipment_id, window); window i is [boundaries[i], boundaries[i + 1])."""
    index = pd.MultiIndex.from_product([[m.id for m in machines], range(len(boundaries) - 1)],
                                       names=["equipment_id", "window"])
    totals = pd.DataFrame(0.0, index=index, columns=list(TOTAL_FIELDS))
    start, end = boundaries[0], boundaries[-1]
    effective_end = min(end, now)
    if not machines or effective_end <= start:
        return totals
    edges = np.minimum(np.array([_epoch(b) for b in boundaries]), _epoch(effective_end))
    gaps, breaks = (unscheduled_parts(list(calendar.shifts), calendar.zone, start, effective_end)
                    if calendar else ([], []))
    gap, brk = _Covered(gaps), _Covered(breaks)

    windows = pd.DataFrame({"window": range(len(edges) - 1)})
    windows["all_s"] = np.diff(edges)
    windows["not_scheduled_s"] = gap.between(edges[:-1], edges[1:])
    windows["break_s"] = brk.between(edges[:-1], edges[1:])
    for column in ("all_s", "not_scheduled_s", "break_s"):
        totals[column] = np.tile(windows[column].to_numpy(), len(machines))

    stretches = _stretches(db, machines, start, effective_end)
    state_seconds, changeover_ends = _state_seconds(stretches, edges, gap, brk)
    for column in state_seconds.columns:
        totals.loc[state_seconds.index, column] = state_seconds[column]

    products = product_cycle_changes(db, [m.id for m in machines], start, effective_end)
    own_cycle = {m.id: m.ideal_cycle_time_s for m in machines}
    counts, product_ideal = _counts(db, machines, start, effective_end, boundaries, gaps + breaks, edges, gap, brk,
                                    products, own_cycle)
    for column in counts.columns:
        totals.loc[counts.index, column] = counts[column]

    startup = _startup_rejects(db, changeover_ends, edges, effective_end, startup_window_s)
    if not startup.empty:
        totals.loc[startup.index, "startup_reject"] = np.minimum(startup, totals.loc[startup.index, "reject"])

    cycle = pd.Series({m.id: m.ideal_cycle_time_s for m in machines})
    per_row_cycle = cycle.reindex(totals.index.get_level_values("equipment_id")).to_numpy()
    totals["ideal_total_s"] = per_row_cycle * (totals["good"] + totals["reject"])
    totals["ideal_good_s"] = per_row_cycle * totals["good"]
    totals["ideal_startup_reject_s"] = per_row_cycle * totals["startup_reject"]
    if not products.empty:  # machines that made products: each unit at the cycle of the product it was made as
        _use_product_cycles(db, totals, product_ideal, changeover_ends, edges, effective_end, startup_window_s,
                            products, own_cycle)
    return totals


def _use_product_cycles(db, totals: pd.DataFrame, product_ideal: pd.DataFrame, changeover_ends: pd.DataFrame,
                        edges: np.ndarray, end: datetime, window_s: float, products: pd.DataFrame,
                        own_cycle: dict[int, float]) -> None:
    if not product_ideal.empty:
        totals.loc[product_ideal.index, ["ideal_total_s", "ideal_good_s"]] = product_ideal[
            ["ideal_total_s", "ideal_good_s"]].to_numpy()
    ends = changeover_ends[changeover_ends["equipment_id"].isin(products["equipment_id"].unique())]
    startup = _startup_rejects(db, ends, edges, end, window_s, products, own_cycle)
    if startup.empty:
        return
    counted = totals.loc[startup.index, "startup_reject"].to_numpy(dtype="float64")  # capped at the rejects
    share = np.divide(counted, startup["startup_reject"].to_numpy(dtype="float64"),
                      out=np.zeros(len(startup)), where=startup["startup_reject"].to_numpy() > 0)
    totals.loc[startup.index, "ideal_startup_reject_s"] = startup["ideal_startup_reject_s"].to_numpy() * share


def _stretches(db, machines: Sequence[Machine], start: datetime, end: datetime,
               by_reason: bool = False) -> pd.DataFrame:
    """One row per stretch of an unchanged state (and reason, with `by_reason`): equipment_id, at, until, state,
    reason_code, kind. A stop is a small stop when its whole run in the same state is shorter than the machine's
    micro-stop threshold, however many reasons it was split into."""
    start_e, end_e = _epoch(start), _epoch(end)
    changes = state_changes_frame(db, [m.id for m in machines], start, end)
    if not changes.empty:
        by_machine = changes.groupby("equipment_id")
        same = changes["state"] == by_machine["state"].shift(1)
        if by_reason:
            reason = changes["reason_code"].fillna("")
            same &= reason == by_machine["reason_code"].shift(1).fillna("")
        changes = changes[~same].copy()
        # runs of one state: where the state differs from the row before (a machine's first row included)
        changes["run"] = (changes["state"] != changes.groupby("equipment_id")["state"].shift(1)).cumsum()
        changes["until"] = changes.groupby("equipment_id")["at"].shift(-1)
        changes = changes[changes["at"] < end_e]
        changes["until"] = changes["until"].fillna(end_e)  # still going at the window's end
    # Before the first change anybody heard of, the state is unknown: no_data.
    first = changes.groupby("equipment_id")["at"].min() if not changes.empty else pd.Series(dtype="float64")
    leading = []
    for machine in machines:
        begins = first.get(machine.id, math.inf)
        if begins > start_e:
            leading.append({"equipment_id": machine.id, "at": start_e, "state": "no_data",
                            "until": min(begins, end_e), "run": -1 - len(leading)})
    stretches = pd.concat([changes, pd.DataFrame(leading)], ignore_index=True) if leading else changes
    if stretches.empty:
        return pd.DataFrame(columns=["equipment_id", "at", "until", "state", "reason_code", "kind"])
    threshold = pd.Series({m.id: m.micro_stop_threshold_s for m in machines})
    runs = stretches.groupby("run")
    length = runs["until"].transform("max") - runs["at"].transform("min")
    small = stretches["state"].isin(STOP_STATES) & (length < threshold.reindex(stretches["equipment_id"]).to_numpy())
    stretches["kind"] = np.where(small, "small_stop", stretches["state"])
    return stretches


def _state_seconds(stretches: pd.DataFrame, edges: np.ndarray, gap: _Covered, brk: _Covered):
    if stretches.empty:
        return pd.DataFrame(), pd.DataFrame(columns=["equipment_id", "end"])
    a = np.maximum(stretches["at"].to_numpy(dtype="float64"), edges[0])
    b = np.minimum(stretches["until"].to_numpy(dtype="float64"), edges[-1])
    keep = b > a
    frame = pd.DataFrame({"equipment_id": stretches["equipment_id"].to_numpy()[keep], "a": a[keep], "b": b[keep],
                          "kind": stretches["kind"].to_numpy()[keep]})
    # Cut each stretch at the window edges it crosses.
    first = np.searchsorted(edges, frame["a"].to_numpy(), side="right") - 1
    last = np.searchsorted(edges, frame["b"].to_numpy(), side="left")
    pieces = np.maximum(last - first, 1)
    rows = np.repeat(np.arange(len(frame)), pieces)
    window = first[rows] + (np.arange(len(rows)) - np.repeat(np.cumsum(pieces) - pieces, pieces))
    window = np.clip(window, 0, len(edges) - 2)
    piece_a = np.maximum(frame["a"].to_numpy()[rows], edges[window])
    piece_b = np.minimum(frame["b"].to_numpy()[rows], edges[window + 1])
    seconds = (piece_b - piece_a) - gap.between(piece_a, piece_b) - brk.between(piece_a, piece_b)
    expanded = pd.DataFrame({"equipment_id": frame["equipment_id"].to_numpy()[rows], "window": window,
                             "kind": frame["kind"].to_numpy()[rows], "seconds": np.maximum(seconds, 0.0)})
    table = (expanded.groupby(["equipment_id", "window", "kind"])["seconds"].sum()
             .unstack("kind", fill_value=0.0).rename(columns=STATE_COLUMNS))
    changeovers = stretches[(stretches["kind"] == "changeover") & (stretches["until"] < edges[-1])]
    ends = pd.DataFrame({"equipment_id": changeovers["equipment_id"].to_numpy(),
                         "end": changeovers["until"].to_numpy(dtype="float64")})
    return table, ends


def stop_pieces(db: sessionmaker[Session], machines: Sequence[Machine], edges: Sequence[datetime], now: datetime,
                calendar: SiteCalendar | None) -> pd.DataFrame:
    """Stops longer than their machine's micro-stop threshold, per machine, window, state and reason:
    seconds inside planned time, and how many of them began in the window (window i is [edges[i], edges[i+1]))."""
    columns = ["equipment_id", "window", "state", "reason_code", "seconds", "began"]
    effective_end = min(edges[-1], now)
    if not machines or effective_end <= edges[0]:
        return pd.DataFrame(columns=columns)
    bounds = np.minimum(np.array([_epoch(e) for e in edges]), _epoch(effective_end))
    gaps, breaks = (unscheduled_parts(list(calendar.shifts), calendar.zone, edges[0], effective_end)
                    if calendar else ([], []))
    stretches = _stretches(db, machines, edges[0], effective_end, by_reason=True)
    stops = stretches[stretches["kind"].isin(STOP_STATES)]
    a = np.maximum(stops["at"].to_numpy(dtype="float64"), bounds[0])
    b = np.minimum(stops["until"].to_numpy(dtype="float64"), bounds[-1])
    keep = b > a
    if not keep.any():
        return pd.DataFrame(columns=columns)
    began_at = stops["at"].to_numpy(dtype="float64")[keep]
    a, b = a[keep], b[keep]
    first = np.searchsorted(bounds, a, side="right") - 1
    last = np.searchsorted(bounds, b, side="left")
    pieces = np.maximum(last - first, 1)
    rows = np.repeat(np.arange(len(a)), pieces)
    window = np.clip(first[rows] + (np.arange(len(rows)) - np.repeat(np.cumsum(pieces) - pieces, pieces)),
                     0, len(bounds) - 2)
    piece_a = np.maximum(a[rows], bounds[window])
    piece_b = np.minimum(b[rows], bounds[window + 1])
    gap, brk = _Covered(gaps), _Covered(breaks)
    seconds = np.maximum((piece_b - piece_a) - gap.between(piece_a, piece_b) - brk.between(piece_a, piece_b), 0.0)
    reasons = stops["reason_code"].to_numpy(dtype=object)[keep][rows]
    frame = pd.DataFrame({
        "equipment_id": stops["equipment_id"].to_numpy()[keep][rows], "window": window,
        "state": stops["kind"].to_numpy()[keep][rows],
        "reason_code": ["" if r is None or r != r else r for r in reasons],  # r != r: NaN
        "seconds": seconds, "began": (began_at[rows] == piece_a).astype("int64"),
    })
    return frame.groupby(["equipment_id", "window", "state", "reason_code"], as_index=False)[
        ["seconds", "began"]].sum()


def bucket_seconds(moments: Sequence[datetime]) -> int:
    """The longest bucket (up to an hour) that every boundary falls on, so no bucket straddles one."""
    step = reduce(math.gcd, (int(_epoch(m)) for m in moments if _epoch(m).is_integer()), 3600)
    return max(step, 1)


def _counts(db, machines, start, end, boundaries, excluded, edges, gap: _Covered, brk: _Covered,
            products: pd.DataFrame, own_cycle: dict[int, float]) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Units per machine and window (in planned time, and outside it); and, for machines that made products,
    their ideal seconds with each unit at its product's cycle (core.oee.product_cycles.bucket_ideal_seconds:
    buckets are not cut at product changes, so they stay as long as the windows allow)."""
    moments = [b for b in boundaries if b < end] + [m for interval in excluded for m in interval if m < end]
    size = bucket_seconds(moments + [start])
    sums = counts_by_bucket(db, [m.id for m in machines], start, end, size)
    if sums.empty:
        return pd.DataFrame(), pd.DataFrame()
    bucket_start = (sums["bucket"] * size).to_numpy(dtype="float64")
    middle = np.maximum(bucket_start, edges[0]) + 0.5
    window = np.clip(np.searchsorted(edges, middle, side="right") - 1, 0, len(edges) - 2)
    outside = (gap.between(middle - 0.25, middle + 0.25) + brk.between(middle - 0.25, middle + 0.25)) > 0
    sums = sums.assign(window=window,
                       good_in=np.where(outside, 0, sums["good"]), reject_in=np.where(outside, 0, sums["reject"]),
                       good_out=np.where(outside, sums["good"], 0), reject_out=np.where(outside, sums["reject"], 0))
    grouped = sums.groupby(["equipment_id", "window"])[["good_in", "reject_in", "good_out", "reject_out"]].sum()
    units = grouped.rename(columns={"good_in": "good", "reject_in": "reject", "good_out": "outside_good",
                                    "reject_out": "outside_reject"})
    made = sums[sums["equipment_id"].isin(products["equipment_id"].unique())]
    if made.empty:
        return units, pd.DataFrame()
    ideal_total_s, ideal_good_s = bucket_ideal_seconds(db, made.assign(inside=~outside[made.index]), size, products,
                                                       own_cycle, start, end)
    ideal = made.assign(ideal_total_s=ideal_total_s, ideal_good_s=ideal_good_s)
    return units, ideal.groupby(["equipment_id", "window"])[["ideal_total_s", "ideal_good_s"]].sum()


def _startup_rejects(db, ends: pd.DataFrame, edges: np.ndarray, end: datetime, window_s: float,
                     products: pd.DataFrame | None = None, own_cycle: dict[int, float] | None = None):
    """Rejects in the startup window after each changeover, per machine and window of the changeover's end.
    With `products`: a frame of startup_reject and ideal_startup_reject_s, the startup windows cut at product
    changes so that each reject counts at the cycle of its product."""
    if ends.empty or window_s <= 0:
        return pd.Series(dtype="float64") if products is None else pd.DataFrame()
    end_e = _epoch(end)
    ends = ends[ends["end"] < end_e].reset_index(drop=True)
    windows = pd.DataFrame({"equipment_id": ends["equipment_id"], "t0": ends["end"],
                            "t1": np.minimum(ends["end"] + window_s, end_e)})
    window = np.clip(np.searchsorted(edges, ends["end"].to_numpy(), side="right") - 1, 0, len(edges) - 2)
    if products is not None:
        return _startup_rejects_by_product(db, windows.assign(window=window), products, own_cycle or {})
    rejects = rejects_after(db, windows)
    frame = pd.DataFrame({"equipment_id": ends["equipment_id"], "window": window, "startup_reject": rejects})
    return frame.groupby(["equipment_id", "window"])["startup_reject"].sum()


def _startup_rejects_by_product(db, windows: pd.DataFrame, products: pd.DataFrame,
                                own_cycle: dict[int, float]) -> pd.DataFrame:
    cuts = np.ceil(products["at"].to_numpy(dtype="float64"))  # where counts change product (see change_moments)
    pieces = []
    for row in windows.itertuples():
        inside = cuts[(products["equipment_id"].to_numpy() == row.equipment_id) & (cuts > row.t0) & (cuts < row.t1)]
        bounds = [row.t0, *np.unique(inside), row.t1]
        pieces += [(row.equipment_id, row.window, a, b) for a, b in zip(bounds, bounds[1:])]
    frame = pd.DataFrame(pieces, columns=["equipment_id", "window", "t0", "t1"])
    rejects = rejects_after(db, frame[["equipment_id", "t0", "t1"]]).to_numpy(dtype="float64")
    cycle = cycles_at(products, frame["equipment_id"].to_numpy(), frame["t0"].to_numpy(), own_cycle)
    frame = frame.assign(startup_reject=rejects, ideal_startup_reject_s=cycle * rejects)
    return frame.groupby(["equipment_id", "window"])[["startup_reject", "ideal_startup_reject_s"]].sum()
