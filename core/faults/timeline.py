"""A machine's state timeline over a window, as segments of one state, reason and fault (the Gantt's bars).

Pure: the changes come in time order, the first one possibly before the window (the state in force at its
start). A state holds until the next change; before the first change anybody heard of the state is unknown
(`no_data`), as in the OEE engine.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Protocol, Sequence


class Change(Protocol):
    at: datetime
    state: str
    reason_code: str | None
    fault_code: str | None


@dataclass(frozen=True)
class Segment:
    equipment_code: str
    start: datetime
    end: datetime
    state: str
    reason_code: str | None = None
    fault_code: str | None = None

    @property
    def seconds(self) -> float:
        return (self.end - self.start).total_seconds()


def state_segments(equipment_code: str, changes: Sequence[Change], start: datetime, end: datetime) -> list[Segment]:
    """The parts of [start, end) each (state, reason, fault) covers; neighbours that are alike are one segment."""
    if end <= start:
        return []
    segments: list[Segment] = []
    first_heard = changes[0].at if changes else end
    if first_heard > start:
        segments.append(Segment(equipment_code, start, min(first_heard, end), "no_data"))
    for index, change in enumerate(changes):
        until = changes[index + 1].at if index + 1 < len(changes) else end
        a, b = max(change.at, start), min(until, end)
        if b <= a:
            continue
        last = segments[-1] if segments else None
        if last and last.end == a and (last.state, last.reason_code, last.fault_code) == (
                change.state, change.reason_code, change.fault_code):
            segments[-1] = Segment(equipment_code, last.start, b, last.state, last.reason_code, last.fault_code)
        else:
            segments.append(Segment(equipment_code, a, b, change.state, change.reason_code, change.fault_code))
    return segments
