"""Every stop of some machines over a window, classified by loss and with what it counts, read once for the
faults page and the stops list; and the same machines' timelines as Gantt segments."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Sequence

from sqlalchemy.orm import Session, sessionmaker

from core.faults.counted_stops import CountedStop, calendar_breaks, counted_stops
from core.faults.timeline import Segment, state_segments
from core.faults.timeline_store import machine_changes
from core.oee.service import Window
from core.plant.equipment import Machine, SiteCalendar
from core.shift_calendar import unscheduled_parts
from core.stop_queue import STOP_STATES, stop_runs


@dataclass(frozen=True)
class WindowStops:
    counted_until: datetime  # the window's end, or now when it is not over
    stops: list[CountedStop]  # in time order, the calendar's breaks included (kind "break")
    segments: list[Segment]  # per machine in the given order, each in time order


def window_stops(db: sessionmaker[Session], machines: Sequence[Machine], window: Window, now: datetime,
                 calendar: SiteCalendar | None) -> WindowStops:
    counted_until = min(window.end, now)
    if counted_until <= window.start or not machines:
        return WindowStops(max(counted_until, window.start), [], [])
    gaps, breaks = (unscheduled_parts(list(calendar.shifts), calendar.zone, window.start, counted_until)
                    if calendar else ([], []))
    unplanned = sorted(gaps + breaks)
    changes = machine_changes(db, [m.id for m in machines], window.start, counted_until)
    stops: list[CountedStop] = []
    segments: list[Segment] = []
    for machine in machines:
        found = changes[machine.id]
        runs = stop_runs(found.rows, machine, found.next_at or counted_until)  # type: ignore[arg-type]
        # no change since the window: the last state is still going (a stop, if it is one)
        going = found.next_at is None and bool(found.rows) and found.rows[-1].state in STOP_STATES
        stops += counted_stops(runs, machine.micro_stop_threshold_s, window.start, counted_until, unplanned, going)
        segments += state_segments(machine.code, found.rows, window.start, counted_until)
    stops += calendar_breaks(breaks, [m.code for m in machines])
    return WindowStops(counted_until, sorted(stops, key=lambda s: (s.start, s.equipment_code)), segments)
