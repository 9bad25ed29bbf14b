"""Totals per machine and period, read from the hourly roll-ups where they are complete, computed elsewhere.

The middle of a long window (whole hours already rolled up) comes from
`oee_rollups`; the edges (the current hour, windows that do not start on the
hour) come from the engine. Both hold the same additive totals, so the sum is
the engine's figure for the whole window.
"""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from typing import Sequence

import numpy as np
import pandas as pd
from sqlalchemy.orm import Session, sessionmaker

from core.oee.engine import machine_totals, stop_pieces
from core.oee.figures import TOTAL_FIELDS
from core.oee.rollups import complete_hours, rollup_sums, rollup_totals, stop_rollups
from core.plant.equipment import Machine, SiteCalendar

MIN_ROLLUP_SPAN = timedelta(hours=6)  # shorter windows are computed directly: it is as fast
HOUR = timedelta(hours=1)
SQL_SUM_MAX_EDGES = 120  # beyond this many windows the CASE grows long: sum the fetched rows instead


def _hour_of(moment: datetime) -> datetime:
    return moment.astimezone(timezone.utc).replace(minute=0, second=0, microsecond=0)


def _hours(start: datetime, end: datetime) -> list[datetime]:
    hours, cursor = [], start
    while cursor < end:
        hours.append(cursor)
        cursor += HOUR
    return hours


def period_totals(db: sessionmaker[Session], machines: Sequence[Machine], edges: Sequence[datetime], now: datetime,
                  calendar: SiteCalendar | None, startup_window_s: float) -> pd.DataFrame:
    """Like `machine_totals` (window i is [edges[i], edges[i + 1])), from roll-ups where they are complete."""
    ids = [m.id for m in machines]
    covered = complete_hours(db, ids, edges[0], min(edges[-1], now)) if ids else None
    if covered is None or covered[1] - covered[0] < MIN_ROLLUP_SPAN:
        return machine_totals(db, machines, edges, now, calendar, startup_window_s)
    middle_start, middle_end = covered
    # Hours that a period edge cuts through are computed too, with the parts before and after the middle.
    cut = {_hour_of(e) for e in edges if middle_start < e < middle_end and e != _hour_of(e)}
    stored_hours = [h for h in _hours(middle_start, middle_end) if h not in cut]
    segments = [(edges[0], middle_start)] + [(h, h + HOUR) for h in sorted(cut)] + [(middle_end, edges[-1])]
    parts = []
    for seg_start, seg_end in segments:
        if seg_end <= seg_start or seg_start >= now:
            continue  # nothing there, or nothing yet
        piece = sorted({seg_start, seg_end} | {e for e in edges if seg_start < e < seg_end})
        frame = machine_totals(db, machines, piece, now, calendar, startup_window_s).reset_index()
        parts.append(frame.assign(start=[piece[w] for w in frame["window"]]))
    if len(edges) <= SQL_SUM_MAX_EDGES:
        # Few windows: the database sums the hours per machine and window.
        stored = rollup_sums(db, list(edges), middle_start, middle_end, sorted(cut), ids)
        stored = stored.assign(start=[edges[int(w)] for w in stored["window"]]).drop(columns="window")
    else:
        stored = rollup_totals(db, "hour", middle_start, middle_end, ids).rename(columns={"period_start": "start"})
        stored = stored[stored["start"].isin(stored_hours)] if not stored.empty else stored
    atoms = pd.concat(parts + [stored], ignore_index=True)
    edge_times = np.array([e.timestamp() for e in edges])
    atom_times = np.array([t.timestamp() for t in atoms["start"]])
    atoms["window"] = np.searchsorted(edge_times, atom_times, side="right") - 1
    atoms = atoms[(atoms["window"] >= 0) & (atoms["window"] < len(edges) - 1)]
    grouped = atoms.groupby(["equipment_id", "window"])[list(TOTAL_FIELDS)].sum()
    index = pd.MultiIndex.from_product([ids, range(len(edges) - 1)], names=["equipment_id", "window"])
    return grouped.reindex(index, fill_value=0.0)


def period_stops(db: sessionmaker[Session], machines: Sequence[Machine], start: datetime, end: datetime,
                 now: datetime, calendar: SiteCalendar | None) -> pd.DataFrame:
    """Stops of [start, end) by machine, state and reason: seconds and stops begun; roll-ups for whole hours."""
    ids = [m.id for m in machines]
    covered = complete_hours(db, ids, start, min(end, now)) if ids else None
    if covered is None or covered[1] - covered[0] < MIN_ROLLUP_SPAN:
        return stop_pieces(db, machines, [start, end], now, calendar).drop(columns="window")
    parts = [stop_pieces(db, machines, [a, b], now, calendar).drop(columns="window")
             for a, b in ((start, covered[0]), (covered[1], end)) if b > a and a < now]
    stored = stop_rollups(db, covered[0], covered[1], ids).drop(columns="period_start")
    frames = [p for p in parts + [stored] if not p.empty]
    if not frames:
        return pd.DataFrame(columns=["equipment_id", "state", "reason_code", "seconds", "began"])
    return pd.concat(frames, ignore_index=True)
