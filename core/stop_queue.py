"""Stops as people see them: the stretches of a machine's timeline in a stop state, which of them still need a
reason on the line's tablet, and the reason tree the operator picks from.

A stop is a run of consecutive state changes with the same stop state and
reason (a PLC may report `down` twice in a row); it is named by its first row's
id and lasts until the machine's next different state, or until now.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from core.persistence.plant_tables import EquipmentRow, LineRow, ReasonRow
from core.persistence.timeline_tables import StateChange
from core.plant.equipment import SiteCalendar, site_calendar
from core.shift_calendar import current_shift

STOP_STATES = ("down", "changeover", "idle", "planned_stop")
QUEUED_STATES = ("down", "idle")  # a changeover or a planned stop already says why the machine stands
QUEUE_LOOKBACK = timedelta(hours=8)
QUEUE_LIMIT = 50
# The state a stop takes from its reason's category: a stop given "Break" becomes a planned stop
CATEGORY_STATE = {"unplanned": "down", "quality": "down", "planned": "planned_stop", "changeover": "changeover",
                  "idle": "idle"}


@dataclass(frozen=True)
class Stop:
    id: int  # the id of the stop's first state change
    equipment_id: int
    equipment_code: str
    equipment_name: str
    start: datetime
    end: datetime | None  # None: still stopped
    state: str
    reason_code: str | None
    fault_code: str | None
    row_ids: tuple[int, ...] = field(default=(), repr=False)

    def seconds(self, now: datetime) -> float:
        return ((self.end or now) - self.start).total_seconds()


@dataclass(frozen=True)
class ReasonChoice:
    code: str
    name: str
    category: str
    children: tuple["ReasonChoice", ...] = ()


def stop_runs(rows: list[StateChange], equipment: EquipmentRow, end: datetime | None = None) -> list[Stop]:
    """The stops among one machine's state changes (ordered by time); `end` closes a stop still going at the
    end of the rows, None leaves it open."""
    stops: list[Stop] = []
    run: list[StateChange] = []

    def close(until: datetime | None) -> None:
        if run and run[0].state in STOP_STATES:
            first = run[0]
            stops.append(Stop(first.id, equipment.id, equipment.code, equipment.name, first.at, until, first.state,
                              first.reason_code, first.fault_code, tuple(r.id for r in run)))

    for row in rows:
        if run and (row.state, row.reason_code) == (run[0].state, run[0].reason_code):
            run.append(row)
            continue
        close(row.at)
        run = [row]
    close(end)
    return stops


def stop_at(session: Session, stop_id: int) -> Stop | None:
    """The stop whose first state change is `stop_id`, as it stands now; None when there is no such stop."""
    first = session.get(StateChange, stop_id)
    if first is None:
        return None
    equipment = session.get(EquipmentRow, first.equipment_id)
    rows = session.scalars(
        select(StateChange).where(StateChange.equipment_id == first.equipment_id, StateChange.at >= first.at)
        .order_by(StateChange.at, StateChange.id).limit(500)).all()
    rows = [r for r in rows if (r.at, r.id) >= (first.at, first.id)]
    runs = stop_runs(rows, equipment)
    return runs[0] if runs and runs[0].id == stop_id else None


def line_stops(db: sessionmaker[Session], line_code: str, start: datetime, end: datetime,
               now: datetime) -> list[Stop]:
    """Stops of the line's machines that overlap [start, end) and outlasted the machine's micro-stop threshold
    (or have lasted that long so far), oldest first."""
    end = min(end, now)
    with db() as session:
        equipment = session.scalars(
            select(EquipmentRow).join(LineRow, EquipmentRow.line_id == LineRow.id)
            .where(LineRow.code == line_code, EquipmentRow.active.is_(True))).all()
        found = []
        for machine in equipment:
            mine = StateChange.equipment_id == machine.id
            in_force = session.scalars(select(StateChange).where(mine, StateChange.at < start)
                                       .order_by(StateChange.at.desc(), StateChange.id.desc()).limit(1)).all()
            rows = session.scalars(select(StateChange).where(mine, StateChange.at >= start, StateChange.at < end)
                                   .order_by(StateChange.at, StateChange.id)).all()
            after = session.scalar(select(func.min(StateChange.at)).where(mine, StateChange.at >= end))
            found += [s for s in stop_runs(list(in_force) + list(rows), machine, after)
                      if (s.end is None or s.end > start) and s.seconds(now) >= machine.micro_stop_threshold_s]
    return sorted(found, key=lambda s: (s.start, s.id))


def queue_start(calendar: SiteCalendar | None, now: datetime) -> datetime:
    """Where the tablet's queue begins: the start of the shift in progress (its crew answers for it), or
    QUEUE_LOOKBACK ago when no shift is running."""
    shift = current_shift(list(calendar.shifts), calendar.zone, now) if calendar and calendar.shifts else None
    return shift.start if shift else now - QUEUE_LOOKBACK


def stops_awaiting_reason(db: sessionmaker[Session], line_code: str, now: datetime) -> list[Stop]:
    """The line's stops of the shift in progress that still have no reason and are of a kind that needs one
    (the ones still going included), newest first: the crew remembers them best."""
    stops = line_stops(db, line_code, queue_start(site_calendar(db), now), now, now)
    waiting = [s for s in stops if s.state in QUEUED_STATES and s.reason_code is None]
    return waiting[::-1][:QUEUE_LIMIT]


def reason_tree(db: sessionmaker[Session]) -> tuple[ReasonChoice, ...]:
    """The active reasons as a tree in the plant file's order, roots first."""
    with db() as session:
        rows = session.scalars(select(ReasonRow).where(ReasonRow.active.is_(True)).order_by(ReasonRow.position)).all()
    children: dict[str | None, list[ReasonRow]] = {}
    for row in rows:
        children.setdefault(row.parent_code, []).append(row)

    def build(row: ReasonRow, depth: int) -> ReasonChoice:
        below = tuple(build(c, depth + 1) for c in children.get(row.code, ())) if depth < 8 else ()
        return ReasonChoice(row.code, row.name, row.category, below)

    known = {row.code for row in rows}
    roots = [row for row in rows if row.parent_code is None or row.parent_code not in known]
    return tuple(build(row, 1) for row in roots)


def find_choice(tree: tuple[ReasonChoice, ...], code: str) -> ReasonChoice | None:
    for choice in tree:
        if choice.code == code:
            return choice
        found = find_choice(choice.children, code)
        if found is not None:
            return found
    return None
