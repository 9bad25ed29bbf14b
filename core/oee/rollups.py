"""Hourly and per-shift OEE roll-ups, kept up to date from the timelines, late data included.

`refresh_rollups` finds the rows written since its last run (by row id, so a
late event with an old timestamp is found like a new one), recomputes every
hour and shift from the earliest moment they touch up to now with the OEE
engine, and replaces those roll-up rows in one transaction.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta, timezone

import pandas as pd
from sqlalchemy import case, delete, func, insert, select
from sqlalchemy.orm import Session, sessionmaker

from core.oee.engine import machine_totals, stop_pieces
from core.oee.figures import TOTAL_FIELDS
from core.persistence.product_tables import ProductChange
from core.persistence.rollup_tables import OeeRollup, RollupRequest, RollupWatermark, StopRollup
from core.persistence.stop_tables import StopEdit
from core.persistence.timeline_tables import CountIncrement, StateChange
from core.plant.equipment import machines, site_calendar
from core.shift_calendar import shift_instances

LOOKBACK = timedelta(hours=2)  # always recomputed: time passes even when no row arrives
MAX_RECOMPUTE = timedelta(days=62)
# Tables whose new rows change the timelines from their `at` on
SOURCES = {"state_changes": StateChange, "count_increments": CountIncrement, "stop_edits": StopEdit,
           "product_changes": ProductChange, "rollup_requests": RollupRequest}


@dataclass
class RollupSummary:
    since: datetime | None = None
    hours: int = 0
    shifts: int = 0


def _hour_floor(moment: datetime) -> datetime:
    return moment.astimezone(timezone.utc).replace(minute=0, second=0, microsecond=0)


def refresh_rollups(db: sessionmaker[Session], now: datetime) -> RollupSummary:
    plant = machines(db)
    if not plant:
        return RollupSummary()
    earliest, marks = _earliest_new_row(db)
    if not _has_rollups(db):
        earliest = min(earliest or now, _oldest_row(db) or now)  # first run, or after a plant change: rebuild
    since = _hour_floor(max(min(earliest or now, now - LOOKBACK), now - MAX_RECOMPUTE))
    calendar = site_calendar(db)
    hours = []
    cursor = since
    while cursor < now:
        hours.append(cursor)
        cursor += timedelta(hours=1)
    edges = hours + [cursor]
    rows = _rows(machine_totals(db, plant, edges, now, calendar), "hour",
                 [(a, b, a.strftime("%Y-%m-%d %H:00")) for a, b in zip(edges, edges[1:])], now)
    stops = stop_pieces(db, plant, edges, now, calendar)
    stop_rows = [{"equipment_id": int(r.equipment_id), "period_start": edges[int(r.window)], "state": r.state,
                  "reason_code": r.reason_code, "seconds": float(r.seconds), "began": int(r.began)}
                 for r in stops.itertuples()]
    shifts = shift_instances(list(calendar.shifts), calendar.zone, since, now) if calendar else []
    shift_edges = sorted({s.start for s in shifts} | {s.end for s in shifts})
    if shifts:
        totals = machine_totals(db, plant, shift_edges, now, calendar)
        periods = {shift_edges.index(s.start): (s.start, s.end, f"{s.day.isoformat()} {s.name}") for s in shifts}
        totals = totals[totals.index.get_level_values("window").isin(list(periods))]
        rows += _rows(totals, "shift", periods, now)
    with db.begin() as session:
        session.execute(delete(OeeRollup).where(OeeRollup.period == "hour", OeeRollup.period_start >= since))
        if shifts:
            session.execute(delete(OeeRollup).where(OeeRollup.period == "shift",
                                                    OeeRollup.period_start >= shift_edges[0]))
        if rows:
            session.execute(insert(OeeRollup), rows)
        session.execute(delete(StopRollup).where(StopRollup.period_start >= since))
        if stop_rows:
            session.execute(insert(StopRollup), stop_rows)
        for source, last_id in marks.items():
            mark = session.get(RollupWatermark, source)
            if mark is None:
                session.add(RollupWatermark(source=source, last_id=last_id))
            else:
                mark.last_id = max(mark.last_id, last_id)
    return RollupSummary(since, len(hours), len(shifts))


def _has_rollups(db: sessionmaker[Session]) -> bool:
    with db() as session:
        return session.scalar(select(OeeRollup.id).limit(1)) is not None


def _oldest_row(db: sessionmaker[Session]) -> datetime | None:
    with db() as session:
        return session.scalar(select(func.min(StateChange.at)))


def discard_rollups(session: Session) -> None:
    """Forget every roll-up (the plant's rules changed); the next refresh rebuilds them."""
    session.execute(delete(OeeRollup))
    session.execute(delete(StopRollup))


def complete_hours(db: sessionmaker[Session], equipment_ids: list[int], start: datetime,
                   end: datetime) -> tuple[datetime, datetime] | None:
    """The longest run of whole hours inside [start, end) whose hourly roll-ups exist for every machine and
    were computed after the hour ended; None when there is none."""
    first = _hour_floor(start) + (timedelta(hours=1) if _hour_floor(start) < start else timedelta(0))
    last = _hour_floor(end)
    if last <= first or not equipment_ids:
        return None
    with db() as session:
        rows = session.execute(
            select(OeeRollup.period_start, func.count(), func.min(OeeRollup.computed_at),
                   func.max(OeeRollup.period_end))
            .where(OeeRollup.period == "hour", OeeRollup.period_start >= first, OeeRollup.period_start < last,
                   OeeRollup.equipment_id.in_(equipment_ids))
            .group_by(OeeRollup.period_start).order_by(OeeRollup.period_start)).all()
    run_start = run_end = None
    best = None
    for hour, machines_found, computed, hour_end in rows:
        good = machines_found == len(equipment_ids) and computed >= hour_end
        if good and run_end == hour:
            run_end = hour + timedelta(hours=1)
        elif good:
            run_start, run_end = hour, hour + timedelta(hours=1)
        else:
            run_start = run_end = None
        if run_start is not None and (best is None or run_end - run_start > best[1] - best[0]):
            best = (run_start, run_end)
    return best


def _earliest_new_row(db: sessionmaker[Session]) -> tuple[datetime | None, dict[str, int]]:
    """The earliest `at` among rows written since the last run, and each table's newest id."""
    earliest, marks = None, {}
    with db() as session:
        for source, table in SOURCES.items():
            mark = session.get(RollupWatermark, source)
            last = mark.last_id if mark else 0
            oldest, newest = session.execute(
                select(func.min(table.at), func.max(table.id)).where(table.id > last)).one()
            marks[source] = newest or last
            if oldest is not None:
                earliest = oldest if earliest is None else min(earliest, oldest)
    return earliest, marks


def _rows(totals: pd.DataFrame, period: str, periods, now: datetime) -> list[dict]:
    labels = periods if isinstance(periods, dict) else dict(enumerate(periods))
    rows = []
    for (equipment_id, window), values in totals.iterrows():
        start, end, label = labels[window]
        rows.append({"equipment_id": int(equipment_id), "period": period, "period_start": start, "period_end": end,
                     "label": label, "computed_at": now,
                     **{field: (int(values[field]) if field in _UNITS else float(values[field]))
                        for field in TOTAL_FIELDS}})
    return rows


_UNITS = {"good", "reject", "startup_reject", "outside_good", "outside_reject"}


def rollup_totals(db: sessionmaker[Session], period: str, start: datetime, end: datetime,
                  equipment_ids: list[int] | None = None) -> pd.DataFrame:
    """Stored roll-ups of `period` starting in [start, end): one row per machine and period."""
    columns = [OeeRollup.equipment_id, OeeRollup.period_start, OeeRollup.label] + \
        [getattr(OeeRollup, field) for field in TOTAL_FIELDS]
    query = select(*columns).where(OeeRollup.period == period, OeeRollup.period_start >= start,
                                   OeeRollup.period_start < end)
    if equipment_ids is not None:
        query = query.where(OeeRollup.equipment_id.in_(equipment_ids))
    with db() as session:
        rows = session.execute(query).all()
    names = ["equipment_id", "period_start", "label", *TOTAL_FIELDS]
    if not rows:
        return pd.DataFrame(columns=names)
    frame = pd.DataFrame(dict(zip(names, (list(column) for column in zip(*rows)))))
    return frame.astype({field: "float64" for field in TOTAL_FIELDS})


def stop_rollups(db: sessionmaker[Session], start: datetime, end: datetime, equipment_ids: list[int]) -> pd.DataFrame:
    """Stored stop roll-ups of the hours starting in [start, end)."""
    with db() as session:
        rows = session.execute(
            select(StopRollup.equipment_id, StopRollup.period_start, StopRollup.state, StopRollup.reason_code,
                   StopRollup.seconds, StopRollup.began)
            .where(StopRollup.period_start >= start, StopRollup.period_start < end,
                   StopRollup.equipment_id.in_(equipment_ids))).all()
    names = ["equipment_id", "period_start", "state", "reason_code", "seconds", "began"]
    return pd.DataFrame(rows, columns=names) if rows else pd.DataFrame(columns=names)


def rollup_sums(db: sessionmaker[Session], edges: list[datetime], start: datetime, end: datetime,
                skip: list[datetime], equipment_ids: list[int]) -> pd.DataFrame:
    """Hourly roll-ups of the hours in [start, end) but `skip`, summed in SQL per machine and window (window i
    is [edges[i], edges[i + 1])): a few rows travel instead of one per machine and hour."""
    window = case(*[(OeeRollup.period_start < edge, index - 1) for index, edge in enumerate(edges) if index],
                  else_=len(edges) - 1).label("window")
    sums = [func.sum(getattr(OeeRollup, field)).label(field) for field in TOTAL_FIELDS]
    with db() as session:
        rows = session.execute(
            select(OeeRollup.equipment_id, window, *sums)
            .where(OeeRollup.period == "hour", OeeRollup.period_start >= start, OeeRollup.period_start < end,
                   OeeRollup.period_start.not_in(skip), OeeRollup.equipment_id.in_(equipment_ids))
            .group_by(OeeRollup.equipment_id, window)).all()
    names = ["equipment_id", "window", *TOTAL_FIELDS]
    if not rows:
        return pd.DataFrame(columns=names)
    frame = pd.DataFrame(dict(zip(names, (list(column) for column in zip(*rows)))))
    return frame.astype({field: "float64" for field in TOTAL_FIELDS})
