"""The ideal cycle of a machine at any moment: that of the product it is making, else the machine's own.

The product in force at a moment is the machine's latest product change at or
before it (core.persistence.product_tables.ProductChange). A product without
an ideal cycle of its own on that machine runs at the machine's cycle.
"""

from __future__ import annotations

import math
from datetime import datetime, timezone
from typing import Mapping, Sequence

import numpy as np
import pandas as pd
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from core.oee.store_queries import counts_in_spans
from core.persistence.product_tables import ProductChange
from core.timeline import count_totals

COLUMNS = ["equipment_id", "at", "cycle"]


def product_cycle_changes(db: sessionmaker[Session], equipment_ids: Sequence[int], start: datetime,
                          end: datetime) -> pd.DataFrame:
    """Columns equipment_id, at (epoch seconds), cycle (NaN: the machine's own), product_code: the product change
    in force at `start` and every change in [start, end), sorted by time (ties as written). Empty when no machine
    ever had a product. (core.ml.history reads the product made at each moment from the same rows.)"""
    ids = list(equipment_ids)
    columns = (ProductChange.equipment_id, ProductChange.at, ProductChange.ideal_cycle_time_s, ProductChange.id,
               ProductChange.product_code)
    with db() as session:
        rows = list(session.execute(select(*columns).where(ProductChange.equipment_id.in_(ids),
                                                           ProductChange.at >= start, ProductChange.at < end)))
        for equipment_id in ids:
            before = session.execute(select(*columns).where(ProductChange.equipment_id == equipment_id,
                                                            ProductChange.at < start)
                                     .order_by(ProductChange.at.desc(), ProductChange.id.desc()).limit(1)).first()
            if before is not None:
                rows.append(before)
        if not rows:
            return pd.DataFrame({"equipment_id": pd.Series(dtype="int64"), "at": pd.Series(dtype="float64"),
                                 "cycle": pd.Series(dtype="float64"), "product_code": pd.Series(dtype=object)})
    frame = pd.DataFrame({
        "equipment_id": np.array([r[0] for r in rows], dtype="int64"),
        "at": np.array([r[1].timestamp() for r in rows], dtype="float64"),
        "cycle": np.array([math.nan if r[2] is None else r[2] for r in rows], dtype="float64"),
        "id": np.array([r[3] for r in rows], dtype="int64"),
        "product_code": np.array([r[4] for r in rows], dtype=object),
    })
    return frame.sort_values(["at", "id"]).drop(columns="id").reset_index(drop=True)


def change_moments(changes: pd.DataFrame, start: datetime, end: datetime) -> list[datetime]:
    """The whole seconds from which each change in (start, end) holds for count rows, which are placed at their
    whole second (`at_epoch`): time buckets cut there never hold counts of two products."""
    seconds = np.ceil(changes["at"].to_numpy(dtype="float64"))
    inside = (seconds > start.timestamp()) & (seconds < end.timestamp())
    return [datetime.fromtimestamp(float(s), tz=timezone.utc) for s in np.unique(seconds[inside])]


def cycles_at(changes: pd.DataFrame, equipment_ids: np.ndarray, moments: np.ndarray,
              own_cycle: Mapping[int, float]) -> np.ndarray:
    """The ideal cycle of each (machine, moment) pair: from the product change in force at the moment (by whole
    second, see change_moments), else the machine's own."""
    wanted = pd.DataFrame({"equipment_id": np.asarray(equipment_ids, dtype="int64"),
                           "at": np.asarray(moments, dtype="float64"), "order": np.arange(len(moments))})
    known = changes.assign(at=np.ceil(changes["at"].to_numpy(dtype="float64")))
    merged = pd.merge_asof(wanted.sort_values("at", kind="stable"), known, on="at", by="equipment_id",
                           direction="backward", allow_exact_matches=True).sort_values("order")
    own = merged["equipment_id"].map(own_cycle).to_numpy(dtype="float64")
    return np.where(np.isnan(merged["cycle"].to_numpy(dtype="float64")), own, merged["cycle"].to_numpy())


def bucket_ideal_seconds(db: sessionmaker[Session], buckets: pd.DataFrame, size: int, changes: pd.DataFrame,
                         own_cycle: Mapping[int, float], start: datetime, end: datetime) -> tuple[np.ndarray, np.ndarray]:
    """(ideal_total_s, ideal_good_s) of each row of `buckets` (equipment_id, bucket = at_epoch // size, good,
    reject, inside: counted in planned time), each unit at the cycle of the product in force when it was counted.

    A bucket holds one product unless a change falls inside it: only those buckets are summed again in parts,
    cut at the changes (core.oee.store_queries.counts_in_spans), so the cost follows the number of changes, not
    where in the second they fell; the buckets stay as long as the windows allow."""
    machine = buckets["equipment_id"].to_numpy(dtype="int64")
    begins = np.maximum(buckets["bucket"].to_numpy(dtype="float64") * size, start.timestamp())
    units = (buckets["good"] + buckets["reject"]).to_numpy(dtype="float64") * buckets["inside"].to_numpy()
    good = buckets["good"].to_numpy(dtype="float64") * buckets["inside"].to_numpy()
    cycle = cycles_at(changes, machine, begins, own_cycle)
    total_s, good_s = cycle * units, cycle * good
    spans = _spans_cut_at_changes(buckets, size, changes, start, end)
    if spans.empty:
        return total_s, good_s
    sums = counts_in_spans(db, spans, start, end)
    span_cycle = cycles_at(changes, spans["equipment_id"].to_numpy(), np.maximum(spans["e0"], start.timestamp()),
                           own_cycle)
    inside = buckets["inside"].to_numpy()[spans["row"].to_numpy()]
    parts = pd.DataFrame({"row": spans["row"].to_numpy(),
                          "total": span_cycle * (sums["good"] + sums["reject"]).to_numpy() * inside,
                          "good": span_cycle * sums["good"].to_numpy() * inside}).groupby("row").sum()
    total_s[parts.index.to_numpy()], good_s[parts.index.to_numpy()] = parts["total"], parts["good"]
    return total_s, good_s


def _spans_cut_at_changes(buckets: pd.DataFrame, size: int, changes: pd.DataFrame, start: datetime,
                          end: datetime) -> pd.DataFrame:
    """Columns row (of `buckets`), equipment_id, e0, e1: the buckets a product change falls inside (not on their
    first second), cut at the whole seconds the changes hold from (see change_moments)."""
    cuts = changes.assign(cut=np.ceil(changes["at"].to_numpy(dtype="float64")).astype("int64"))
    cuts = cuts[(cuts["cut"] > start.timestamp()) & (cuts["cut"] < end.timestamp()) & (cuts["cut"] % size != 0)]
    rows = buckets.reset_index(drop=True).reset_index().rename(columns={"index": "row"})
    inside = rows.merge(cuts.assign(bucket=cuts["cut"] // size)[["equipment_id", "bucket", "cut"]],
                        on=["equipment_id", "bucket"])
    spans = []
    for (row, equipment_id, bucket), found in inside.groupby(["row", "equipment_id", "bucket"]):
        bounds = [bucket * size, *sorted(set(found["cut"])), (bucket + 1) * size]
        spans += [(row, equipment_id, a, b) for a, b in zip(bounds, bounds[1:])]
    return pd.DataFrame(spans, columns=["row", "equipment_id", "e0", "e1"])


def live_ideal_seconds(db: sessionmaker[Session], equipment_id: int, own_cycle: float, start: datetime,
                       end: datetime) -> tuple[float, float, float] | None:
    """For the live board: (ideal_total_s, ideal_good_s) of the units counted in [start, end), each product's
    units at its cycle, and the cycle in force at `end`; None when the machine never made a product (the
    caller's own arithmetic then applies unchanged)."""
    changes = product_cycle_changes(db, [equipment_id], start, end)
    if changes.empty:
        return None
    cuts = [start] + change_moments(changes, start, end) + [end]
    total = good_total = 0.0
    for a, b in zip(cuts, cuts[1:]):
        good, reject = count_totals(db, [equipment_id], a, b)[equipment_id]
        [cycle] = cycles_at(changes, np.array([equipment_id]), np.array([a.timestamp()]), {equipment_id: own_cycle})
        total += cycle * (good + reject)
        good_total += cycle * good
    [now_cycle] = cycles_at(changes, np.array([equipment_id]), np.array([end.timestamp()]), {equipment_id: own_cycle})
    return total, good_total, float(now_cycle)
