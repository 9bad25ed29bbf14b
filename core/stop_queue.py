"""Stops as people see them: the stretches of a machine's timeline in a stop state, which of them still need a
reason on the line's tablet, and the reason tree the operator picks from.

A stop is a run of consecutive state changes with the same stop state and
reason (a PLC may report `down` twice in a row); it is named by its first row's
id and lasts until the machine's next different state, or until now.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta

from sqlalchemy import and_, func, select
from sqlalchemy.orm import Session, sessionmaker

from core.persistence.plant_tables import EquipmentRow, LineRow, ReasonRow
from core.persistence.timeline_tables import StateChange
from core.plant.equipment import SiteCalendar, site_calendar
from core.shift_calendar import current_shift

STOP_STATES = ("down", "changeover", "idle", "planned_stop")
QUEUED_STATES = ("down", "idle")  # a changeover or a planned stop already says why the machine stands
QUEUE_LOOKBACK = timedelta(hours=8)
QUEUE_LIMIT = 50
RUN_CONTEXT = 200  # state changes read either side of a stop to find its run
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
    # The run of this state it belongs to (a stop split into reasons is one run): the micro-stop threshold
    # applies to the run, as in the OEE engine. Filled in by `stop_runs`.
    run_start: datetime | None = field(default=None, repr=False)
    run_end: datetime | None = field(default=None, repr=False)

    def seconds(self, now: datetime) -> float:
        return ((self.end or now) - self.start).total_seconds()

    def outlasts(self, threshold_s: float, now: datetime) -> bool:
        """Whether its run of the same state lasted (or has lasted so far) at least `threshold_s`."""
        start = self.run_start or self.start
        end = self.run_end if self.run_start is not None else self.end
        return ((end or now) - start).total_seconds() >= threshold_s


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
    return _with_runs(stops)


def _with_runs(stops: list[Stop]) -> list[Stop]:
    """Each stop with the start and end of the run of its state: neighbours with the same state, one after
    the other, make one run."""
    result: list[Stop] = []
    group: list[Stop] = []

    def flush() -> None:
        result.extend(replace(s, run_start=group[0].start, run_end=group[-1].end) for s in group)

    for stop in stops:
        if group and (group[-1].state, group[-1].end) != (stop.state, stop.start):
            flush()
            group = []
        group.append(stop)
    if group:
        flush()
    return result


def stop_at(session: Session, row_id: int) -> Stop | None:
    """The stop that holds the state change `row_id`, as it stands now (with the run it belongs to); None when
    that row is not part of a stop."""
    row = session.get(StateChange, row_id)
    if row is None:
        return None
    equipment = session.get(EquipmentRow, row.equipment_id)
    mine = StateChange.equipment_id == row.equipment_id
    before = session.scalars(select(StateChange).where(mine, StateChange.at <= row.at)
                             .order_by(StateChange.at.desc(), StateChange.id.desc()).limit(RUN_CONTEXT)).all()
    after = session.scalars(select(StateChange).where(mine, StateChange.at >= row.at)
                            .order_by(StateChange.at, StateChange.id).limit(RUN_CONTEXT)).all()
    rows = sorted({r.id: r for r in list(before) + list(after)}.values(), key=lambda r: (r.at, r.id))
    complete = len(after) < RUN_CONTEXT  # otherwise the last stop may go on beyond the rows read
    stops = stop_runs(rows, equipment) if complete else stop_runs(rows[:-1], equipment, rows[-1].at)
    return next((s for s in stops if row_id in s.row_ids), None)


def line_stops(db: sessionmaker[Session], line_code: str, start: datetime, end: datetime,
               now: datetime) -> list[Stop]:
    """Stops of the line's machines that overlap [start, end) and outlasted the machine's micro-stop threshold
    (or have lasted that long so far), oldest first."""
    end = min(end, now)
    with db() as session:
        equipment = session.scalars(
            select(EquipmentRow).join(LineRow, EquipmentRow.line_id == LineRow.id)
            .where(LineRow.code == line_code, EquipmentRow.active.is_(True))).all()
        ids = [m.id for m in equipment]
        # three reads for the whole line (the tablet asks every two seconds): the change in force at `start`,
        # the changes inside the window, and when each machine next changed after it
        latest = (select(StateChange.equipment_id, func.max(StateChange.at).label("at"))
                  .where(StateChange.equipment_id.in_(ids), StateChange.at < start)
                  .group_by(StateChange.equipment_id).subquery())
        before = session.scalars(select(StateChange).join(latest, and_(
            StateChange.equipment_id == latest.c.equipment_id, StateChange.at == latest.c.at))).all()
        inside = session.scalars(select(StateChange).where(
            StateChange.equipment_id.in_(ids), StateChange.at >= start, StateChange.at < end)
            .order_by(StateChange.at, StateChange.id)).all()
        after = dict(session.execute(select(StateChange.equipment_id, func.min(StateChange.at)).where(
            StateChange.equipment_id.in_(ids), StateChange.at >= end).group_by(StateChange.equipment_id)).all())
    in_force = {}
    for row in before:  # rows at the same moment: the last written holds
        if row.equipment_id not in in_force or row.id > in_force[row.equipment_id].id:
            in_force[row.equipment_id] = row
    rows_of: dict[int, list[StateChange]] = {i: [in_force[i]] if i in in_force else [] for i in ids}
    for row in inside:
        rows_of[row.equipment_id].append(row)
    found = []
    for machine in equipment:
        rows = rows_of[machine.id]
        found += [s for s in stop_runs(rows, machine, after.get(machine.id))
                  if (s.end is None or s.end > start) and s.outlasts(machine.micro_stop_threshold_s, now)]
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
