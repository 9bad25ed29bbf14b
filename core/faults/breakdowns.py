"""The breakdowns begun in a window, each with its full duration (core.faults.reliability), and MTBF/MTTR per
machine from them: the one code path of the faults page, the downtime report and maintenance's MTTR from stops."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Sequence

from sqlalchemy.orm import Session, sessionmaker

from core.faults.counted_stops import CountedStop
from core.faults.reliability import Reliability, reliability_of, repair_seconds
from core.faults.window_stops import window_stops
from core.oee.service import Window
from core.reports.oee_source import WindowFigures
from core.stop_queue import stop_at


@dataclass(frozen=True)
class Breakdown:
    stop: CountedStop
    end: datetime | None  # its real end, None while it is still going
    repair_s: float  # start to end, or to now


def begun_breakdowns(db: sessionmaker[Session], stops: Sequence[CountedStop], counted_until: datetime,
                     now: datetime) -> list[Breakdown]:
    """The breakdowns among `stops` (core.faults.window_stops) that began in the window, with their full
    durations; one that goes on past the window is followed to its real end (or `now`)."""
    found = []
    for stop in stops:
        if stop.kind != "down" or not stop.began_in_window:
            continue
        end: datetime | None = None if stop.still_going else stop.end
        if end is not None and end > counted_until and stop.id is not None:
            end = _real_end(db, stop.id, end)
        found.append(Breakdown(stop, end, repair_seconds(stop.start, end, now)))
    return found


def _real_end(db: sessionmaker[Session], row_id: int, seen_end: datetime) -> datetime | None:
    """Where the stop truly ends: a later change of the same state and reason does not end it."""
    with db() as session:
        stop = stop_at(session, row_id)
    return seen_end if stop is None else stop.end


def machine_reliability(source: WindowFigures, breakdowns: Sequence[Breakdown]) -> dict[str, Reliability]:
    """Per machine code, in the source's order: the engine's run time and the breakdowns begun (seconds)."""
    return {m.code: reliability_of(source.by_machine[m.code].run_time_s,
                                   (b.repair_s for b in breakdowns if b.stop.equipment_code == m.code))
            for m in source.machines}


def window_reliability(db: sessionmaker[Session], source: WindowFigures, window: Window,
                       now: datetime) -> dict[str, Reliability]:
    """MTBF and MTTR inputs of every machine of `source` over `window`, read from the stops (seconds)."""
    found = window_stops(db, source.machines, window, now, source.calendar)
    return machine_reliability(source, begun_breakdowns(db, found.stops, found.counted_until, now))
