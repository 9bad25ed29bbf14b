"""A machine's recent past as numpy arrays: what features and labels of downtime risk are computed from.

`load_histories` reads it from the store (state changes, counts summed per hour in SQL, product changes,
preventive maintenance done); `history_from_records` builds the same thing from in-memory records, so tests and
the benchmark need no database. Both give equal histories for equal data. Times are float epoch seconds (UTC).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Sequence

import numpy as np
import pandas as pd
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from core.oee.product_cycles import bucket_ideal_seconds, product_cycle_changes
from core.oee.store_queries import counts_by_bucket
from core.persistence.maintenance_tables import MaintenanceOrderRow
from core.persistence.timeline_tables import StateChange
from core.plant.equipment import Machine, SiteCalendar
from core.shift_calendar import shift_instances
from core.timeline import CountAt, StateAt

HOUR_S = 3600
# How far before `start` a history reaches: the longest look-back window (24 h) and the "hours since the last
# long stop" horizon (48 h), so that features at `start` are computed exactly as those at any later moment.
LOOK_BACK = timedelta(hours=48)


@dataclass(frozen=True)
class ProductAt:
    """From `at` on the machine makes `product_code`, at `ideal_cycle_time_s` (None: the machine's own)."""

    at: datetime
    product_code: str
    ideal_cycle_time_s: float | None = None


@dataclass(frozen=True, eq=False)
class MachineHistory:
    """One machine's data over [start - LOOK_BACK, end). State changes sorted by time (ties as written); strings
    "" where a change has no fault or reason code. Counts summed per clock hour (UTC, epoch // 3600): units, and
    the ideal seconds of those units (each at the cycle of the product in force when counted)."""

    equipment_id: int
    code: str
    ideal_cycle_time_s: float
    micro_stop_threshold_s: float
    timezone: str  # the site's IANA zone: local hour of day and weekday
    start: float  # the first moment whose features have their whole look-back
    end: float  # what happened is known up to here
    change_at: np.ndarray
    change_state: np.ndarray
    change_fault: np.ndarray
    change_reason: np.ndarray
    hour_start: np.ndarray
    hour_good: np.ndarray
    hour_reject: np.ndarray
    hour_ideal_s: np.ndarray
    product_at: np.ndarray
    product_code: np.ndarray
    preventive_done: np.ndarray
    shift_start: np.ndarray
    shift_end: np.ndarray
    shift_name: np.ndarray


def history_from_records(machine: Machine, state_changes: Sequence[StateAt], counts: Sequence[CountAt],
                         calendar: SiteCalendar | None, products: Sequence[ProductAt] = (),
                         preventive_done: Sequence[datetime] = (), *, start: datetime | None = None,
                         end: datetime | None = None) -> MachineHistory:
    """The history of `machine` from in-memory records (only those of this machine, and before `end`, are used,
    as load_histories reads them). `start` defaults to LOOK_BACK after the first record, `end` to the latest
    record (pass the simulated window's end: the machine's last state may have lasted long after its last
    change)."""
    if (start is not None and start.tzinfo is None) or (end is not None and end.tzinfo is None):
        raise ValueError("start and end must be aware datetimes (UTC)")
    before_end = (lambda moment: moment < end) if end is not None else (lambda moment: True)
    changes = sorted((c for c in state_changes if c.equipment_id == machine.id and before_end(c.at)),
                     key=lambda c: c.at)
    units = [c for c in counts if c.equipment_id == machine.id and before_end(c.at)]
    products = [p for p in products if before_end(p.at)]
    times = [c.at for c in changes] + [c.at for c in units]
    if not times and (start is None or end is None):
        raise ValueError(f"no records for machine {machine.code}, and no start and end to say the window")
    end = end or max(times)
    start = start or min(min(times) + LOOK_BACK, end)
    product_rows = sorted(products, key=lambda p: p.at)
    product_frame = _product_frame([p.at.timestamp() for p in product_rows],
                                   [p.ideal_cycle_time_s for p in product_rows])
    count_epoch = np.array([int(c.at.timestamp() // 1) for c in units], dtype="int64")
    good = np.array([c.good for c in units], dtype="float64")
    reject = np.array([c.reject for c in units], dtype="float64")
    cycle = _cycles_at(product_frame, count_epoch.astype("float64"), machine.ideal_cycle_time_s)
    hours = pd.DataFrame({"hour": count_epoch // HOUR_S, "good": good, "reject": reject,
                          "ideal": cycle * (good + reject)}).groupby("hour", sort=True).sum()
    return _history(
        machine, calendar, start, end,
        at=np.array([c.at.timestamp() for c in changes], dtype="float64"),
        states=[c.state for c in changes], faults=[c.fault_code for c in changes],
        reasons=[c.reason_code for c in changes],
        hours=(hours.index.to_numpy() * HOUR_S, hours["good"], hours["reject"], hours["ideal"]),
        products=([p.at.timestamp() for p in product_rows], [p.product_code for p in product_rows]),
        preventive=[d.timestamp() for d in preventive_done if d < end])


def load_histories(db: sessionmaker[Session], machines: Sequence[Machine], start: datetime, end: datetime,
                   calendar: SiteCalendar | None) -> list[MachineHistory]:
    """Histories of `machines` over [start - LOOK_BACK, end) read from the store: the state change in force at
    the look-back's beginning and every change after it, counts summed per machine and hour in SQL,
    product changes, and every preventive order done before `end`. Features at `start` (and after) have their
    whole look-back; for scoring now, start = end = now."""
    if start.tzinfo is None or end.tzinfo is None:
        raise ValueError("start and end must be aware datetimes (UTC)")
    if end < start:
        raise ValueError(f"the window ends ({end.isoformat()}) before it starts ({start.isoformat()})")
    ids = [m.id for m in machines]
    if not ids:
        return []
    since = start - LOOK_BACK
    changes = _state_rows(db, ids, since, end)
    products = product_cycle_changes(db, ids, since, end)
    own_cycle = {m.id: m.ideal_cycle_time_s for m in machines}
    buckets = counts_by_bucket(db, ids, since, end, HOUR_S).sort_values(["equipment_id", "bucket"])
    buckets = buckets.reset_index(drop=True).assign(inside=1)
    cycle_changes = products[["equipment_id", "at", "cycle"]]  # in time order, as merge_asof wants them
    buckets["ideal"] = (bucket_ideal_seconds(db, buckets, HOUR_S, cycle_changes, own_cycle, since, end)[0]
                        if len(buckets) else np.empty(0))
    with db() as session:
        done = session.execute(
            select(MaintenanceOrderRow.equipment_id, MaintenanceOrderRow.done_at)
            .where(MaintenanceOrderRow.equipment_id.in_(ids), MaintenanceOrderRow.kind == "preventive",
                   MaintenanceOrderRow.done_at.is_not(None), MaintenanceOrderRow.done_at < end)).all()
    histories = []
    for machine in machines:
        mine = changes[changes["equipment_id"] == machine.id]
        hours = buckets[buckets["equipment_id"] == machine.id]
        made = products[products["equipment_id"] == machine.id]
        histories.append(_history(
            machine, calendar, start, end, at=mine["at"].to_numpy(dtype="float64"), states=mine["state"],
            faults=mine["fault_code"], reasons=mine["reason_code"],
            hours=(hours["bucket"].to_numpy() * HOUR_S, hours["good"], hours["reject"], hours["ideal"]),
            products=(made["at"], made["product_code"]),
            preventive=sorted(d.timestamp() for equipment_id, d in done if equipment_id == machine.id)))
    return histories


def _history(machine: Machine, calendar: SiteCalendar | None, start: datetime, end: datetime, *, at, states,
             faults, reasons, hours, products, preventive) -> MachineHistory:
    shifts = (shift_instances(list(calendar.shifts), calendar.zone, start - LOOK_BACK, end)
              if calendar and calendar.shifts else [])
    hour_start, good, reject, ideal = hours
    return MachineHistory(
        equipment_id=machine.id, code=machine.code, ideal_cycle_time_s=float(machine.ideal_cycle_time_s),
        micro_stop_threshold_s=float(machine.micro_stop_threshold_s),
        timezone=calendar.zone.key if calendar else "UTC", start=start.timestamp(), end=end.timestamp(),
        change_at=np.asarray(at, dtype="float64"), change_state=_text(states), change_fault=_text(faults),
        change_reason=_text(reasons), hour_start=np.asarray(hour_start, dtype="float64"),
        hour_good=np.asarray(good, dtype="float64"), hour_reject=np.asarray(reject, dtype="float64"),
        hour_ideal_s=np.asarray(ideal, dtype="float64"), product_at=np.asarray(products[0], dtype="float64"),
        product_code=_text(products[1]), preventive_done=np.asarray(preventive, dtype="float64"),
        shift_start=np.array([s.start.timestamp() for s in shifts], dtype="float64"),
        shift_end=np.array([s.end.timestamp() for s in shifts], dtype="float64"),
        shift_name=_text([s.name for s in shifts]))


def _text(values) -> np.ndarray:
    """Strings as a numpy unicode array, None as ""."""
    return np.array(["" if v is None or (isinstance(v, float) and math.isnan(v)) else str(v) for v in values],
                    dtype="U")


def _product_frame(at: Sequence[float], cycles: Sequence[float | None]) -> pd.DataFrame:
    return pd.DataFrame({"at": np.asarray(at, dtype="float64"),
                         "cycle": np.array([math.nan if c is None else c for c in cycles], dtype="float64")})


def _cycles_at(changes: pd.DataFrame, seconds: np.ndarray, own_cycle: float) -> np.ndarray:
    """The ideal cycle for units counted at whole epoch `seconds`: from the product change in force then (a
    change holds from its whole second on, as core.oee.product_cycles counts it), else the machine's own."""
    if changes.empty:
        return np.full(len(seconds), own_cycle)
    k = np.searchsorted(np.ceil(changes["at"].to_numpy()), seconds, side="right") - 1
    cycle = changes["cycle"].to_numpy()[np.maximum(k, 0)]
    return np.where((k >= 0) & ~np.isnan(cycle), cycle, own_cycle)


def _state_rows(db: sessionmaker[Session], ids: list[int], since: datetime, end: datetime) -> pd.DataFrame:
    columns = (StateChange.equipment_id, StateChange.at_epoch, StateChange.state, StateChange.fault_code,
               StateChange.reason_code)
    with db() as session:
        rows = []
        for equipment_id in ids:
            before = session.execute(
                select(*columns).where(StateChange.equipment_id == equipment_id, StateChange.at < since)
                .order_by(StateChange.at.desc(), StateChange.id.desc()).limit(1)).first()
            rows += [before] if before is not None else []
        rows += session.execute(
            select(*columns).where(StateChange.equipment_id.in_(ids), StateChange.at >= since, StateChange.at < end)
            .order_by(StateChange.equipment_id, StateChange.at, StateChange.id)).all()
    values = list(zip(*rows)) if rows else [()] * 5
    frame = pd.DataFrame({"equipment_id": np.asarray(values[0], dtype="int64"),
                          "at": np.asarray(values[1], dtype="float64"),
                          "state": np.asarray(values[2], dtype=object),
                          "fault_code": np.asarray(values[3], dtype=object),
                          "reason_code": np.asarray(values[4], dtype=object)})
    return frame.sort_values(["equipment_id", "at"], kind="stable").reset_index(drop=True)
