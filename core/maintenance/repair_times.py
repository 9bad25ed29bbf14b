"""MTTR from work orders, beside MTTR from stops.

MTTR from work orders (per machine, over a window): the mean, over the corrective orders completed in the
window, of the time from the failure to the order's completion; the failure is the start of the linked stop
when the order was made from a stop (or from an andon call raised during one), else the order's creation.
It measures the whole repair as maintenance lived it (waiting, diagnosis, parts, work, paperwork), while MTTR
from stops (core.faults.reliability: the mean full duration of the breakdowns begun) measures how long the
machine stood.
Preventive orders are not repairs and are left out. Minutes spent on the orders is the hands-on part.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Iterable

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from core.faults.breakdowns import window_reliability
from core.faults.reliability import Reliability
from core.oee.service import Scope, Window
from core.persistence.maintenance_tables import MaintenanceOrderRow
from core.reports.oee_source import window_figures


@dataclass(frozen=True)
class RepairTimes:
    orders: int  # corrective orders completed in the window
    mttr_minutes: float | None  # None: none completed
    spent_minutes: float | None  # mean time spent on them (hands-on)


def repair_minutes(failed_at: datetime, done_at: datetime) -> float:
    return max(0.0, (done_at - failed_at).total_seconds() / 60)


def mttr_from_work_orders(db: sessionmaker[Session], equipment_ids: Iterable[int],
                          window: Window) -> dict[int, RepairTimes]:
    """Per equipment id: the corrective orders completed in [window.start, window.end) and their MTTR."""
    ids = list(equipment_ids)
    with db() as session:
        rows = session.execute(select(MaintenanceOrderRow.equipment_id, MaintenanceOrderRow.created_at,
                                      MaintenanceOrderRow.stop_start, MaintenanceOrderRow.done_at,
                                      MaintenanceOrderRow.minutes_spent)
                               .where(MaintenanceOrderRow.equipment_id.in_(ids),
                                      MaintenanceOrderRow.kind == "corrective", MaintenanceOrderRow.state == "done",
                                      MaintenanceOrderRow.done_at >= window.start,
                                      MaintenanceOrderRow.done_at < window.end)).all()
    repairs: dict[int, list[tuple[float, int]]] = {i: [] for i in ids}
    for equipment_id, created_at, stop_start, done_at, spent in rows:
        repairs[equipment_id].append((repair_minutes(stop_start or created_at, done_at), spent or 0))
    return {i: RepairTimes(len(found), _mean(m for m, _ in found), _mean(s for _, s in found))
            for i, found in repairs.items()}


def mttr_from_stops(db: sessionmaker[Session], window: Window, now: datetime) -> dict[int, Reliability]:
    """Per equipment id (every active machine): run time, the breakdowns begun in the window and their full
    durations (seconds), as the fault analysis and the downtime report count them."""
    source = window_figures(db, Scope(), window, now)
    by_code = window_reliability(db, source, window, now)
    return {m.id: by_code[m.code] for m in source.machines}


def _mean(values) -> float | None:
    values = list(values)
    return sum(values) / len(values) if values else None
