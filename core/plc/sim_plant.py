"""The simulated plant: a SimDriver per `sim` machine, and history written straight from the same schedules.

`floorboard demo` backfills days of history in bulk (per-minute counts, every
state change) and then keeps the plant running live through the same drivers
a real plant's PLCs would use.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Callable, Sequence

import numpy as np

from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session, sessionmaker

from core.persistence.timeline_tables import CountIncrement, PollBaseline, StateChange
from core.plant.equipment import Machine, SiteCalendar
from core.plc.sim_driver import SimDriver
from core.plc.sim_schedule import (
    BREAKDOWN, CHANGEOVER, PLANNED, RUN, SMALL_STOP, STARVED, MachineProfile, Segment, schedule,
)
from core.plc.tag_rules import FaultDefinition, first_fault
from core.shift_calendar import not_scheduled
from core.timeline import CountAt, StateAt, add_counts, add_state_changes

DEMO_SEED = 20260302
_STATE_OF = {RUN: "running", SMALL_STOP: "down", BREAKDOWN: "down", CHANGEOVER: "changeover", STARVED: "idle",
             PLANNED: "planned_stop"}


def profile_of(machine: Machine, faults: Sequence[FaultDefinition], hidden_causes: bool = True) -> MachineProfile:
    """The machine's simulated behaviour; its failures raise bit 3 and its warnings bit 7 where the catalog has them."""
    bits = tuple(sorted({f.bit for f in faults if f.applies_to(machine.code) and f.bit != 1})) or (3,)
    return MachineProfile(machine.code, machine.ideal_cycle_time_s, fault_bits=bits,
                          failure_bit=3 if 3 in bits else bits[0], precursor_bit=7 if 7 in bits else None,
                          hidden_causes=hidden_causes)


def planned_intervals(calendar: SiteCalendar | None) -> Callable[[datetime, datetime], list]:
    if calendar is None:
        return lambda start, end: []
    return lambda start, end: not_scheduled(list(calendar.shifts), calendar.zone, start, end)


def simulator(calendar: SiteCalendar | None, faults: Sequence[FaultDefinition], clock: Callable[[], datetime],
              seed: int = DEMO_SEED) -> Callable[[Machine], SimDriver]:
    """Makes the simulated PLC of a `sim` machine, following the same schedule the history was written from."""
    planned = planned_intervals(calendar)
    return lambda machine: SimDriver(profile_of(machine, faults), machine.tags, seed, planned, clock)


@dataclass
class BackfillSummary:
    machines: int = 0
    state_changes: int = 0
    count_rows: int = 0


def backfill_history(db: sessionmaker[Session], plant: Sequence[Machine], calendar: SiteCalendar | None,
                     faults: Sequence[FaultDefinition], start: datetime, end: datetime,
                     seed: int = DEMO_SEED) -> BackfillSummary:
    """Write simulated history for the `sim` machines from `start` (or where each one's data stops) to `end`."""
    planned = planned_intervals(calendar)
    summary = BackfillSummary()
    counted_until, changed_until = _last_times(db, CountIncrement), _last_times(db, StateChange)
    for machine in (m for m in plant if m.plc_driver == "sim"):
        # Counts and states resume each where it stopped: nothing is written twice.
        count_from = max(start, counted_until.get(machine.id, start))
        state_from = max(start, changed_until.get(machine.id, start))
        begin = min(count_from, state_from)
        if end - count_from < timedelta(minutes=1):
            continue
        segments = schedule(profile_of(machine, faults), seed, begin, end, planned)
        states = [c for c in _state_changes(machine, segments, faults)
                  if machine.id not in changed_until or c.at > changed_until[machine.id]]
        counts = _minute_counts(machine, [_clip_start(s, count_from) for s in segments if s.end > count_from],
                                count_from, end)
        with db.begin() as session:
            add_state_changes(session, states)
            add_counts(session, counts)
            # The poller starts afresh from what it reads next: its old baseline predates this history.
            session.execute(delete(PollBaseline).where(PollBaseline.equipment_id == machine.id))
        summary.machines += 1
        summary.state_changes += len(states)
        summary.count_rows += len(counts)
    return summary


def _last_times(db: sessionmaker[Session], table) -> dict[int, datetime]:
    with db() as session:
        return dict(session.execute(select(table.equipment_id, func.max(table.at)).group_by(table.equipment_id)).all())


def _clip_start(segment: Segment, start: datetime) -> Segment:
    if segment.start >= start:
        return segment
    return Segment(start, segment.end, segment.kind, segment.fault_bit, segment.rate_per_s, segment.reject_share)


def simulated_history(machine: Machine, calendar: SiteCalendar | None, faults: Sequence[FaultDefinition],
                      start: datetime, end: datetime, seed: int = DEMO_SEED, hidden_causes: bool = True,
                      per_hour: bool = False) -> tuple[list[StateAt], list[CountAt]]:
    """The state changes and per-minute counts a machine would have sent over [start, end), without a database.

    The same history `backfill_history` writes (for tests and benchmarks that
    need a plant's data in memory); `hidden_causes=False` gives the same plant
    with nothing that foretells its long stops. `per_hour` sums the minutes'
    counts per clock hour (UTC), each sum at its hour's last counted minute:
    the same hourly totals in a sixtieth of the records (months of many machines).
    """
    segments = schedule(profile_of(machine, faults, hidden_causes), seed, start, end, planned_intervals(calendar))
    return _state_changes(machine, segments, faults), _minute_counts(machine, segments, start, end, per_hour)


def _state_changes(machine: Machine, segments: Sequence[Segment], faults) -> list[StateAt]:
    changes: list[StateAt] = []
    fault_of: dict[int, FaultDefinition | None] = {}
    for segment in segments:
        fault = None
        if segment.fault_bit is not None:
            if segment.fault_bit not in fault_of:
                fault_of[segment.fault_bit] = first_fault(1 << segment.fault_bit, machine.code, faults)
            fault = fault_of[segment.fault_bit]
        change = StateAt(machine.id, segment.start, _STATE_OF[segment.kind], fault.reason_code if fault else None,
                         "sim", fault.code if fault else None)
        if changes and (changes[-1].state, changes[-1].reason_code, changes[-1].fault_code) == (
                change.state, change.reason_code, change.fault_code):
            continue
        changes.append(change)
    return changes


def _minute_counts(machine: Machine, segments: Sequence[Segment], origin: datetime, end: datetime,
                   per_hour: bool = False) -> list[CountAt]:
    """Per-minute count increments, at the end of each minute; whole units, nothing lost to rounding.

    Worked out on arrays (months of minutes for many machines, for the ML
    benchmark): cumulative good and rejected units at every minute's end that
    any run touches, floored; each minute gets what its floor grew by.
    """
    runs = [s for s in segments if s.kind == RUN and s.end > s.start]
    if not runs:
        return []
    starts = np.array([(s.start - origin).total_seconds() for s in runs])
    ends = np.array([(s.end - origin).total_seconds() for s in runs])
    rates = np.array([s.rate_per_s for s in runs])
    shares = np.array([s.reject_share for s in runs])
    made = (ends - starts) * rates
    knots = np.column_stack([starts, ends]).ravel()
    good_at = _cumulative_knots(made * (1 - shares))
    rejects_at = _cumulative_knots(made * shares)
    first, last = np.floor(starts / 60).astype(np.int64), np.ceil(ends / 60).astype(np.int64)  # minutes touched
    minutes = np.unique(np.concatenate([np.arange(a, b) for a, b in zip(first, last)]))
    good = np.maximum.accumulate(np.floor(np.interp((minutes + 1) * 60.0, knots, good_at)))  # both only grow
    rejects = np.maximum.accumulate(np.floor(np.interp((minutes + 1) * 60.0, knots, rejects_at)))
    good_step = np.diff(good, prepend=0.0).astype(np.int64)
    reject_step = np.diff(rejects, prepend=0.0).astype(np.int64)
    keep = (good_step != 0) | (reject_step != 0)
    minutes, good_step, reject_step = minutes[keep], good_step[keep], reject_step[keep]
    if per_hour and len(minutes):
        counted_at = np.minimum(origin.timestamp() + (minutes + 1) * 60.0, end.timestamp())
        hour = np.floor(counted_at / 3600)
        firsts = np.flatnonzero(np.diff(hour, prepend=-1.0))
        lasts = np.append(firsts[1:], len(minutes)) - 1
        minutes = minutes[lasts]
        good_step, reject_step = np.add.reduceat(good_step, firsts), np.add.reduceat(reject_step, firsts)
    minute = timedelta(minutes=1)
    return [CountAt(machine.id, min(origin + (m + 1) * minute, end), good, reject, "sim")
            for m, good, reject in zip(minutes.tolist(), good_step.tolist(), reject_step.tolist())]


def _cumulative_knots(units: np.ndarray) -> np.ndarray:
    """Cumulative units at each run's start and end (flat between runs), in knot order."""
    after = np.cumsum(units)
    return np.column_stack([np.concatenate([[0.0], after[:-1]]), after]).ravel()
