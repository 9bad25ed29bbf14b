"""The simulated plant: a SimDriver per `sim` machine, and history written straight from the same schedules.

`floorboard demo` backfills days of history in bulk (per-minute counts, every
state change) and then keeps the plant running live through the same drivers
a real plant's PLCs would use.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Callable, Sequence

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


def profile_of(machine: Machine, faults: Sequence[FaultDefinition]) -> MachineProfile:
    bits = tuple(sorted({f.bit for f in faults if f.applies_to(machine.code) and f.bit != 1})) or (3,)
    return MachineProfile(machine.code, machine.ideal_cycle_time_s, fault_bits=bits)


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
        segments = schedule(profile_of(machine, faults), seed, begin, end, planned(begin, end))
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


def _state_changes(machine: Machine, segments: Sequence[Segment], faults) -> list[StateAt]:
    changes: list[StateAt] = []
    for segment in segments:
        fault = first_fault(1 << segment.fault_bit, machine.code, faults) if segment.fault_bit is not None else None
        change = StateAt(machine.id, segment.start, _STATE_OF[segment.kind], fault.reason_code if fault else None,
                         "sim", fault.code if fault else None)
        if changes and (changes[-1].state, changes[-1].reason_code, changes[-1].fault_code) == (
                change.state, change.reason_code, change.fault_code):
            continue
        changes.append(change)
    return changes


def _minute_counts(machine: Machine, segments: Sequence[Segment], origin: datetime, end: datetime) -> list[CountAt]:
    """Per-minute count increments, at the end of each minute; whole units, nothing lost to rounding."""
    made = rejected = 0.0
    buckets: dict[int, tuple[float, float]] = {}
    for segment in segments:
        if segment.kind != RUN:
            continue
        t = segment.start
        while t < segment.end:
            minute = int((t - origin).total_seconds() // 60)
            minute_end = origin + timedelta(minutes=minute + 1)
            piece_end = min(segment.end, minute_end)
            units = (piece_end - t).total_seconds() * segment.rate_per_s
            made += units
            rejected += units * segment.reject_share
            buckets[minute] = (made, rejected)
            t = piece_end
    counts, last_good, last_rejects = [], 0, 0
    for minute in sorted(buckets):
        total, rejects = buckets[minute]
        good_so_far, rejects_so_far = math.floor(total - rejects), math.floor(rejects)  # both only grow
        good, reject = good_so_far - last_good, rejects_so_far - last_rejects
        if good or reject:
            counts.append(CountAt(machine.id, min(origin + timedelta(minutes=minute + 1), end), good, reject, "sim"))
        last_good, last_rejects = good_so_far, rejects_so_far
    return counts
