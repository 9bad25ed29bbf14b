"""Which loss each stop belongs to, and how much of it the loss counts: the stops that make up a loss.

Pure rules, the OEE engine's (DESIGN.md, "Machine data and OEE"):
- a `down`, `changeover` or `idle` stop whose run of the same state is shorter than the machine's micro-stop
  threshold is a small stop (a performance loss); otherwise it is a breakdown, a setup or idle time;
- a `planned_stop` state and the shift calendar's breaks are planned stops (an overlap counts once, as a
  break);
- only the part inside the window and inside planned time (not outside every shift, not in a break) counts,
  so a loss is exactly the sum of the `counted_s` of its stops.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Sequence

from core.stop_queue import Stop

SHORT_STOP_STATES = ("down", "changeover", "idle")  # may be small stops (core.oee.engine.STOP_STATES)
# The waterfall's losses made of stops: loss -> the kinds of stop it holds
LOSS_KINDS = {"breakdowns": ("down",), "setup": ("changeover",), "idle": ("idle",), "small_stops": ("small_stop",),
              "planned_stops": ("planned_stop", "break")}
LOSS_NAMES = {"breakdowns": "Breakdowns", "setup": "Changeovers", "idle": "Idle", "small_stops": "Small stops",
              "planned_stops": "Planned stops"}
# Losses no stop makes up, and why
NOT_MADE_OF_STOPS = {
    "reduced_speed": "Reduced speed is running slower than the ideal cycle time: no stops make it up.",
    "production_rejects": "Production rejects are units made bad, not time stopped: no stops make them up.",
    "startup_rejects": "Startup rejects are units made bad after a changeover: no stops make them up.",
    "no_data": "No signal is time when nothing was heard from the machine: it is no stop.",
    "not_scheduled": "Not scheduled is time outside every shift: no production was planned, so nothing stopped.",
}
DOWNTIME_KINDS = ("down", "changeover", "idle")  # the downtime Pareto's stops: past the threshold, by reason


@dataclass(frozen=True)
class CountedStop:
    id: int | None  # the stop's first state change (core.stop_queue); None for a calendar break
    equipment_code: str
    start: datetime
    end: datetime  # the stop's end, or when counting stopped while it is still going
    state: str
    kind: str  # down, changeover, idle, planned_stop, small_stop, or break (the shift calendar's)
    reason_code: str | None
    fault_code: str | None
    counted_s: float  # what it adds to its loss: inside the window and in planned time
    began_in_window: bool
    still_going: bool = False

    @property
    def seconds(self) -> float:
        return (self.end - self.start).total_seconds()


def stop_kind(stop: Stop, threshold_s: float) -> str:
    """The loss kind of a closed stop: its state, or small_stop when its run is shorter than `threshold_s`."""
    if stop.state in SHORT_STOP_STATES and not stop.outlasts(threshold_s, stop.end or stop.start):
        return "small_stop"
    return stop.state


def overlap_s(a: datetime, b: datetime, intervals: Sequence[tuple[datetime, datetime]]) -> float:
    """Seconds of [a, b) covered by `intervals` (disjoint)."""
    return sum(max((min(b, end) - max(a, start)).total_seconds(), 0.0) for start, end in intervals)


def counted_stops(stops: Sequence[Stop], threshold_s: float, window_start: datetime, counted_until: datetime,
                  unplanned: Sequence[tuple[datetime, datetime]], still_going: bool = False) -> list[CountedStop]:
    """One machine's stops (closed, in time order) that overlap [window_start, counted_until), each with its
    kind and counted seconds; `unplanned` are the gaps and breaks of the calendar; `still_going`: the last
    stop had not ended when counting stopped."""
    found = []
    for index, stop in enumerate(stops):
        end = stop.end or counted_until
        if end <= window_start or stop.start >= counted_until:
            continue
        a, b = max(stop.start, window_start), min(end, counted_until)
        counted = max((b - a).total_seconds() - overlap_s(a, b, unplanned), 0.0)
        found.append(CountedStop(stop.id, stop.equipment_code, stop.start, end, stop.state,
                                 stop_kind(stop, threshold_s), stop.reason_code, stop.fault_code, counted,
                                 stop.start >= window_start, still_going and index == len(stops) - 1))
    return found


def calendar_breaks(breaks: Sequence[tuple[datetime, datetime]], machines: Sequence[str]) -> list[CountedStop]:
    """The calendar's breaks (already clipped to the window) as planned stops: each counts once per machine."""
    label = machines[0] if len(machines) == 1 else f"all {len(machines)} machines"
    return [CountedStop(None, label, a, b, "planned_stop", "break", None, None,
                        (b - a).total_seconds() * len(machines), True) for a, b in breaks if b > a and machines]


def of_loss(stops: Sequence[CountedStop], loss: str) -> list[CountedStop]:
    """The stops that make up one of the waterfall's losses (LOSS_KINDS)."""
    kinds = LOSS_KINDS[loss]
    return [s for s in stops if s.kind in kinds]


def of_reason(stops: Sequence[CountedStop], reason_code: str) -> list[CountedStop]:
    """The stops behind one bar of the downtime Pareto: stops past the threshold with this reason ("" none)."""
    return [s for s in stops if s.kind in DOWNTIME_KINDS and (s.reason_code or "") == reason_code]


def of_fault(stops: Sequence[CountedStop], fault_code: str) -> list[CountedStop]:
    """The stops behind one bar of the fault Pareto: every stop that carries this fault code."""
    return [s for s in stops if s.fault_code == fault_code and s.kind != "break"]
