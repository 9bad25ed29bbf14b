"""Machine timelines: state changes and count increments, written in bulk and read by time range.

A state holds from its change until the next change of the same machine; a
late change simply takes its place by time. Readers get, for a window, the
change in force at its start plus every change inside it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Iterable, Sequence

from sqlalchemy import func, insert, select
from sqlalchemy.orm import Session, sessionmaker

from core.persistence.timeline_tables import CountIncrement, StateChange

STATES = ("running", "down", "changeover", "planned_stop", "idle", "no_data")
SOURCES = ("plc", "api", "manual", "sync", "sim", "scrap")  # scrap: moves made by core.quality.scrap


@dataclass(frozen=True)
class StateAt:
    equipment_id: int
    at: datetime
    state: str
    reason_code: str | None = None
    source: str = "api"
    fault_code: str | None = None


@dataclass(frozen=True)
class CountAt:
    equipment_id: int
    at: datetime
    good: int
    reject: int
    source: str = "api"


def add_state_changes(session: Session, changes: Sequence[StateAt]) -> None:
    if changes:
        session.execute(insert(StateChange), [
            {"equipment_id": c.equipment_id, "at": c.at, "at_epoch": c.at.timestamp(), "state": c.state,
             "reason_code": c.reason_code, "source": c.source, "fault_code": c.fault_code} for c in changes])


def add_counts(session: Session, counts: Sequence[CountAt]) -> None:
    if counts:
        session.execute(insert(CountIncrement), [
            {"equipment_id": c.equipment_id, "at": c.at, "at_epoch": int(c.at.timestamp() // 1), "good": c.good,
             "reject": c.reject, "source": c.source} for c in counts])


def state_changes(db: sessionmaker[Session], equipment_ids: Iterable[int], start: datetime,
                  end: datetime) -> dict[int, list[StateAt]]:
    """Per machine: the change in force at `start` (if any) and every change in [start, end), in time order."""
    columns = (StateChange.equipment_id, StateChange.at, StateChange.state, StateChange.reason_code,
               StateChange.source, StateChange.fault_code)
    with db() as session:
        rows = changes_around(session, equipment_ids, start, end, columns)
    return {equipment_id: [StateAt(*row) for row in found] for equipment_id, found in rows.items()}


def changes_around(session: Session, equipment_ids: Iterable[int], start: datetime, end: datetime,
                   columns: Sequence) -> dict[int, list]:
    """Per machine, rows of `columns` (StateChange columns, equipment_id first): the change in force at `start`
    (if any) and every change in [start, end), in time order (ties by id, as they were written)."""
    ids = list(equipment_ids)
    found: dict[int, list] = {i: [] for i in ids}
    if not ids:
        return found
    for equipment_id in ids:
        before = session.execute(
            select(*columns).where(StateChange.equipment_id == equipment_id, StateChange.at < start)
            .order_by(StateChange.at.desc(), StateChange.id.desc()).limit(1)
        ).first()
        if before is not None:
            found[equipment_id].append(before)
    rows = session.execute(
        select(*columns).where(StateChange.equipment_id.in_(ids), StateChange.at >= start, StateChange.at < end)
        .order_by(StateChange.equipment_id, StateChange.at, StateChange.id)
    )
    for row in rows:
        found[row[0]].append(row)
    return found


def count_totals(db: sessionmaker[Session], equipment_ids: Iterable[int], start: datetime,
                 end: datetime) -> dict[int, tuple[int, int]]:
    """Per machine: (good, reject) counted in [start, end)."""
    ids = list(equipment_ids)
    totals = {i: (0, 0) for i in ids}
    if not ids:
        return totals
    with db() as session:
        rows = session.execute(
            select(CountIncrement.equipment_id, func.sum(CountIncrement.good), func.sum(CountIncrement.reject))
            .where(CountIncrement.equipment_id.in_(ids), CountIncrement.at >= start, CountIncrement.at < end)
            .group_by(CountIncrement.equipment_id)
        )
        for equipment_id, good, reject in rows:
            totals[equipment_id] = (int(good or 0), int(reject or 0))
    return totals


def stretch_start(db: sessionmaker[Session], change: StateAt) -> datetime:
    """When the machine entered the state and reason of `change` without a break, looking back as far as needed."""
    same = (StateChange.state == change.state) & (
        StateChange.reason_code.is_(None) if change.reason_code is None else StateChange.reason_code == change.reason_code)
    with db() as session:
        last_different = session.scalar(
            select(func.max(StateChange.at)).where(StateChange.equipment_id == change.equipment_id,
                                                   StateChange.at < change.at, ~same))
        first_after = select(func.min(StateChange.at)).where(StateChange.equipment_id == change.equipment_id,
                                                             StateChange.at <= change.at)
        if last_different is not None:
            first_after = first_after.where(StateChange.at > last_different)
        return session.scalar(first_after) or change.at


def current_state(changes: Sequence[StateAt]) -> tuple[StateAt | None, datetime | None]:
    """The newest change, and since when the machine has been in that state and reason without a break."""
    if not changes:
        return None, None
    latest = changes[-1]
    since = latest.at
    for change in reversed(changes[:-1]):
        if (change.state, change.reason_code) != (latest.state, latest.reason_code):
            break
        since = change.at
    return latest, since
