"""Where a window's seconds went, for one machine, from its state changes in memory (the live board's
shift so far; the analysis computes the same Totals in bulk in core.oee.engine).

Pure function of the machine's state changes, the window, the calendar's
breaks and its micro-stop threshold (definitions in DESIGN.md, "Machine data
and OEE"):

- calendar breaks and `planned_stop` states are planned stops (an overlap counts once);
- `no_data` is left out of planned time and reported on its own; so is time
  before the first change anybody heard of;
- a stop (`down`, `changeover`, `idle`) shorter than the micro-stop threshold
  is run time, reported as a small stop.
"""

from __future__ import annotations

from datetime import datetime
from typing import Sequence

from core.oee.figures import Totals
from core.timeline import StateAt

STOP_STATES = ("down", "changeover", "idle")


def account_time(
    changes: Sequence[StateAt],
    start: datetime,
    end: datetime,
    breaks: Sequence[tuple[datetime, datetime]] = (),
    micro_stop_threshold_s: float = 0.0,
) -> Totals:
    """Split [start, end) by state (seconds only; no units). `changes` are in time order and may begin
    before `start`."""
    totals = {"break": 0.0, "planned_stop": 0.0, "no_data": 0.0, "running": 0.0, "small_stop": 0.0,
              "down": 0.0, "changeover": 0.0, "idle": 0.0}
    for piece_start, piece_end, state, stop_length_s in _pieces(changes, start, end):
        inside_breaks = _overlap_with(breaks, piece_start, piece_end)
        seconds = (piece_end - piece_start).total_seconds() - inside_breaks
        totals["break"] += inside_breaks
        if state in STOP_STATES and stop_length_s < micro_stop_threshold_s:
            state = "small_stop"
        totals[state] += seconds
    return Totals(
        all_s=(end - start).total_seconds(), break_s=totals["break"], planned_stop_s=totals["planned_stop"],
        no_data_s=totals["no_data"], running_s=totals["running"], small_stop_s=totals["small_stop"],
        down_s=totals["down"], changeover_s=totals["changeover"], idle_s=totals["idle"],
    )


def _pieces(changes: Sequence[StateAt], start: datetime, end: datetime):
    """(piece start, piece end, state, whole stop length in s) for the parts of [start, end) each state covers."""
    # Consecutive changes into the same state are one stretch (a stop's length is the whole stretch).
    stretches: list[tuple[datetime, str]] = []
    for change in changes:
        if not stretches or stretches[-1][1] != change.state:
            stretches.append((change.at, change.state))
    if not stretches or stretches[0][0] > start:
        stretches.insert(0, (start, "no_data"))  # before the first change anybody heard of
    for index, (stretch_start, state) in enumerate(stretches):
        stretch_end = stretches[index + 1][0] if index + 1 < len(stretches) else end
        piece_start, piece_end = max(stretch_start, start), min(stretch_end, end)
        if piece_end > piece_start:
            yield piece_start, piece_end, state, (stretch_end - stretch_start).total_seconds()


def _overlap_with(breaks: Sequence[tuple[datetime, datetime]], start: datetime, end: datetime) -> float:
    return sum(max(0.0, (min(end, b_end) - max(start, b_start)).total_seconds()) for b_start, b_end in breaks)
